import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { produceFileAtomic, removeStaleTemporaries, writeFileAtomic } from '../../src/io/atomicWrite.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'co2sat-atomic-'));

describe('atomic writes', () => {
  it('replaces a file whole and leaves no temporary behind', async () => {
    const dir = tmp();
    const f = path.join(dir, 'sub', 'a.json');
    await writeFileAtomic(f, 'old');
    await writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(path.dirname(f))).toEqual(['a.json']);
  });
  it('keeps the previous file when producing the new one fails', async () => {
    const dir = tmp();
    const f = path.join(dir, 'b.geojson');
    writeFileSync(f, 'previous');
    await expect(
      produceFileAtomic(f, async (t) => {
        writeFileSync(t, 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(f, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['b.geojson']);
  });
  it('removes temporaries of dead writers only', async () => {
    const dir = tmp();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(path.join(dir, `.x.json.${dead}.0123abcd.tmp`), 'torn');
    writeFileSync(path.join(dir, `.y.json.${process.pid}.0123abcd.tmp`), 'mine, in flight');
    expect(await removeStaleTemporaries(dir)).toBe(1);
    expect(readdirSync(dir)).toEqual([`.y.json.${process.pid}.0123abcd.tmp`]);
  });
});
