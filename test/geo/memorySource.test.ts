/**
 * MemoryByteSource: the whole file read once, then sliced. Slices must be the file's bytes
 * (zero-padded past the end, as FileByteSource), and fetch() must hand geotiff.js buffers
 * that hold exactly the slice (a view's .buffer would be the whole file).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileByteSource } from '../../src/geo/source/fileSource.js';
import { MemoryByteSource } from '../../src/geo/source/memorySource.js';
import { REPO_ROOT } from '../helpers/oracle.js';

const FILE = path.join(REPO_ROOT, 'test/fixtures/tiling/encodings/u16_tiles_deflate_planar_separate.tif');

describe('MemoryByteSource', () => {
  it('reads the same bytes as FileByteSource, inside, across and past the end', async () => {
    const bytes = readFileSync(FILE);
    const mem = await MemoryByteSource.open(FILE);
    const file = await FileByteSource.open(FILE);
    try {
      expect(mem.size).toBe(bytes.length);
      for (const [offset, length] of [[0, 16], [123, 4567], [bytes.length - 10, 10], [bytes.length - 10, 1024], [bytes.length + 5, 8]] as const) {
        const a = await mem.read(offset, length);
        const b = await file.read(offset, length);
        expect(a.length).toBe(length);
        expect(Buffer.compare(Buffer.from(a), Buffer.from(b)), `${offset}+${length}`).toBe(0);
      }
      const [x, y] = await mem.fetch([{ offset: 100, length: 50 }, { offset: 2000, length: 300 }]);
      expect(x!.byteLength).toBe(50);
      expect(Buffer.compare(Buffer.from(x!), bytes.subarray(100, 150))).toBe(0);
      expect(y!.byteLength).toBe(300);
      expect(Buffer.compare(Buffer.from(y!), bytes.subarray(2000, 2300))).toBe(0);
    } finally {
      await file.close();
      await mem.close();
    }
  });

  it('fails to open a missing file with the fs error', async () => {
    await expect(MemoryByteSource.open(path.join(REPO_ROOT, 'no-such-file.tif'))).rejects.toThrow(/ENOENT/);
  });
});
