/**
 * A synthetic world is replaced whole or not at all: a run that dies half-way leaves the
 * previous world as it was, and leftovers of killed runs do not pile up beside it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/synth/index.js';
import { listFiles } from './helpers.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'co2sat-synth-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const tiny = { sites: 1, dates: 2, size: 128 } as const;

describe('synth output replacement', () => {
  it('keeps the previous world intact when a run fails half-way', async () => {
    const out = path.join(root, 'w');
    await generateWorld({ out, ...tiny, seed: 1 });
    const before = listFiles(out).map((f) => [f, readFileSync(path.join(out, f)).toString('base64')]);
    let written = 0;
    await expect(
      generateWorld({
        out,
        ...tiny,
        seed: 2,
        onProgress: () => {
          if (++written === 5) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(listFiles(out).map((f) => [f, readFileSync(path.join(out, f)).toString('base64')])).toEqual(before);
    expect(readdirSync(root)).toEqual(['w']);
  });

  it('removes leftovers of dead runs and finishes the job', async () => {
    const out = path.join(root, 'v');
    const dead = path.join(root, 'v.partial-999999999');
    mkdirSync(dead);
    writeFileSync(path.join(dead, 'half.tif'), 'x');
    await generateWorld({ out, ...tiny, seed: 1 });
    expect(readdirSync(root).sort()).toEqual(['v', 'w']);
    expect(listFiles(out)).toContain('truth.json');
  });
});
