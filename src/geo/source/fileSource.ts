/**
 * The byte layer: a local file read by `(offset, length)` slices, nothing else. It knows
 * the file size, so the layers above can check that every strip or tile lies inside the
 * file when the file is opened (a truncated download is caught before the first window read).
 * Reads past the end return zeros for the missing part, as geotiff.js's own file source
 * does, because its header parser asks for a fixed 1 KiB prefix of files of every size.
 */
import { promises as fs } from 'node:fs';
import type { ByteSource, Slice } from './byteSource.js';

/** A local file as a ByteSource. */
export class FileByteSource implements ByteSource {
  /** Bytes read so far (tests use it to show that window reads stay windowed). */
  bytesRead = 0;
  requests = 0;

  private constructor(
    readonly path: string,
    private readonly handle: fs.FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileByteSource> {
    const handle = await fs.open(path, 'r');
    try {
      const st = await handle.stat();
      return new FileByteSource(path, handle, st.size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** geotiff.js reads the file size from this getter. */
  get fileSize(): number {
    return this.size;
  }

  /** Bytes [offset, offset + length), zero-padded past the end of the file. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(length);
    const available = Math.max(0, Math.min(length, this.size - offset));
    let done = 0;
    while (done < available) {
      const { bytesRead } = await this.handle.read(buf, done, available - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    this.bytesRead += done;
    this.requests++;
    return buf;
  }

  async fetch(slices: Slice[]): Promise<ArrayBuffer[]> {
    return Promise.all(slices.map(async (s) => (await this.read(s.offset, s.length)).buffer as ArrayBuffer));
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
