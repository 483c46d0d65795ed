/**
 * The byte layer's one interface: a file or a URL read by `(offset, length)` slices, in the
 * shape geotiff.js's `GeoTIFF.fromSource` consumes. `openByteSource` picks the
 * implementation from the href: a path or `file://` URL opens a FileByteSource, an
 * `http(s)://` URL an HttpByteSource; the block reader above never knows which.
 */
import { fileURLToPath } from 'node:url';
import { FileByteSource } from './fileSource.js';
import { HttpByteSource } from './httpSource.js';
import { MemoryByteSource } from './memorySource.js';

export interface Slice {
  offset: number;
  length: number;
}

export interface ByteSource {
  /** The path or URL as given (error messages name it). */
  readonly path: string;
  readonly size: number;
  /** geotiff.js reads the size from this getter. */
  readonly fileSize: number;
  /** Bytes read so far (tests and `--verbose` use it to show that window reads stay windowed). */
  readonly bytesRead: number;
  /** Read requests made so far (one per HTTP request; one per read call for files). */
  readonly requests: number;
  /** Bytes [offset, offset + length), zero-padded past the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  fetch(slices: Slice[]): Promise<ArrayBuffer[]>;
  close(): Promise<void>;
}

/** True for `http://` and `https://` hrefs. */
export function isRemoteHref(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

/**
 * Opens a path, `file://` URL or `http(s)://` URL. `wholeFile` reads a local file into memory
 * at once (MemoryByteSource, for small files read entirely); it does not apply to URLs.
 * @throws Error (the caller names the file)
 */
export async function openByteSource(href: string, options: { wholeFile?: boolean } = {}): Promise<ByteSource> {
  if (isRemoteHref(href)) return HttpByteSource.open(href);
  const file = /^file:\/\//i.test(href) ? fileURLToPath(href) : href;
  return options.wholeFile ? MemoryByteSource.open(file) : FileByteSource.open(file);
}
