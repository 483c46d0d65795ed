import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { compileEntries } from './compile.js';
import { produceFileAtomic, removeStaleTemporaries, writeFileAtomic, writeStagedFile } from '../../src/io/atomicWrite.js';

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
  it('leaves no temporary when the rename fails, and keeps what was there', async () => {
    const dir = tmp();
    const f = path.join(dir, 'c.json');
    mkdirSync(path.join(f, 'inside'), { recursive: true }); // a non-empty folder cannot be replaced by a file
    await expect(writeFileAtomic(f, 'new')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['c.json']);
    expect(readdirSync(f)).toEqual(['inside']);
  });

  it('writeStagedFile writes and syncs a new file, and refuses to overwrite one', async () => {
    const dir = tmp();
    const f = path.join(dir, '.d.tif.1.ab.tmp');
    await writeStagedFile(f, Uint8Array.of(1, 2, 3));
    expect([...readFileSync(f)]).toEqual([1, 2, 3]);
    await expect(writeStagedFile(f, 'again')).rejects.toThrow(/EEXIST/);
    expect([...readFileSync(f)]).toEqual([1, 2, 3]);
  });

  it('removes temporaries of dead writers only', async () => {
    const dir = tmp();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(path.join(dir, `.x.json.${dead}.0123abcd.tmp`), 'torn');
    writeFileSync(path.join(dir, `.y.json.${process.pid}.0123abcd.tmp`), 'mine, in flight');
    expect(await removeStaleTemporaries(dir)).toBe(1);
    expect(readdirSync(dir)).toEqual([`.y.json.${process.pid}.0123abcd.tmp`]);
  });

  const HAS_STRACE = spawnSync('strace', ['-V']).status === 0;
  it.skipIf(!HAS_STRACE)('fsyncs the folder after the publishing rename (seen with strace; skipped without it)', async () => {
    const root = await compileEntries(['src/io/atomicWrite.ts']);
    const lib = pathToFileURL(path.join(root, 'dist', 'src', 'io', 'atomicWrite.js')).href;
    const dir = tmp();
    const target = path.join(dir, 'out.json');
    const code = `const { writeFileAtomic } = await import(${JSON.stringify(lib)}); await writeFileAtomic(${JSON.stringify(target)}, 'x');`;
    const r = spawnSync('strace', ['-f', '-e', 'trace=openat,rename,renameat,renameat2,fsync,fdatasync', process.execPath, '--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n');
    const renamed = lines.findIndex((l) => /rename/.test(l) && l.includes(target));
    expect(renamed, 'the rename onto the final name').toBeGreaterThan(-1);
    // The folder is opened and fsynced after the rename.
    const opened = lines.slice(renamed).map((l) => new RegExp(`openat\\(AT_FDCWD, "${dir}", [^)]*\\) = (\\d+)`).exec(l)).find((m) => m);
    expect(opened, 'the folder opened after the rename').toBeTruthy();
    const fd = opened![1]!;
    expect(lines.slice(renamed).some((l) => new RegExp(`fsync\\(${fd}\\)`).test(l))).toBe(true);
  });
});
