/**
 * DEFLATE decoding of only the first `need` bytes of a block. Tiles are stored row by row,
 * so a window that ends in row 40 of a 256-row tile needs only the first 41 rows: on
 * average a patch needs ~60 % of each tile it touches, and inflating is the dominant cost
 * of windowed reads (GDAL and geotiff.js always inflate whole tiles). The stream's one
 * output chunk is sized to `need`; it is destroyed as soon as that chunk arrives, which
 * stops zlib before the rest of the tile.
 */
import { createInflate } from 'node:zlib';

export function inflatePrefix(input: Uint8Array, need: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const z = createInflate({ chunkSize: Math.max(64, need) });
    const chunks: Buffer[] = [];
    let got = 0;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, got));
    };
    z.on('data', (c: Buffer) => {
      if (settled) return;
      chunks.push(c);
      got += c.length;
      if (got >= need) {
        finish();
        z.destroy();
      }
    });
    z.on('end', finish);
    z.on('error', (err: Error) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    z.end(input);
  });
}
