/**
 * DEFLATE decoding of only the first `need` bytes of a block. Tiles are stored row by row,
 * so a window that ends in row 40 of a 256-row tile needs only the first 41 rows: on
 * average a patch needs ~60 % of each tile it touches, and inflating is the dominant cost
 * of windowed reads (GDAL and geotiff.js always inflate whole tiles). The stream's one
 * output chunk is sized to `need`; it is destroyed as soon as that chunk arrives, which
 * stops zlib before the rest of the tile.
 *
 * The compressed bytes may come in parts, each read only if the parts before it did not
 * yield `need` bytes: DEFLATE output grows with the input consumed, so a caller can read a
 * prefix of the compressed block about as long as the fraction of the output it needs, and
 * the rest only when that falls short (the reads, copies and fresh pages of the unneeded
 * tail were ~20 % of a tiling run's CPU).
 */
import { constants, createInflate, inflateSync } from 'node:zlib';

/** A part of the compressed stream, read when the parts before it fell short. */
export type CompressedPart = () => Promise<Uint8Array>;

/**
 * Blocks whose needed output is at most this many bytes inflate synchronously, whole: for a
 * patch's 8 KiB band block a zlib stream's setup, thread-pool hop and early teardown cost
 * ~65 µs against ~30 µs for the inflate itself. Scene tiles (MiBs) keep the stream, which
 * runs on libuv's pool and stops at `need`.
 */
export const SYNC_INFLATE_MAX_BYTES = 64 * 1024;

export async function inflatePrefix(input: Uint8Array | readonly CompressedPart[], need: number): Promise<Buffer> {
  if (need <= SYNC_INFLATE_MAX_BYTES) {
    const whole = input instanceof Uint8Array ? input : input.length === 1 ? await input[0]!() : null;
    // A sync flush at the end returns what a truncated stream holds instead of throwing, as
    // the stream does: the caller names the shortfall.
    if (whole !== null) return inflateSync(whole, { chunkSize: Math.max(64, need), finishFlush: constants.Z_SYNC_FLUSH });
  }
  return inflateStream(input, need);
}

function inflateStream(input: Uint8Array | readonly CompressedPart[], need: number): Promise<Buffer> {
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
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      z.destroy();
      reject(err instanceof Error ? err : new Error(String(err)));
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
    z.on('error', fail);
    if (input instanceof Uint8Array) {
      z.end(input);
      return;
    }
    void (async () => {
      for (const part of input) {
        if (settled) return;
        const bytes = await part();
        if (settled) return;
        // Wait until zlib has consumed this part (its output delivered) before reading the next.
        await new Promise<void>((done) => {
          z.write(bytes, () => done());
          z.once('close', () => done());
        });
      }
      if (!settled) z.end();
    })().catch(fail);
  });
}
