/**
 * JPEG 2000 decoding with OpenJPEG compiled to WebAssembly (`@cornerstonejs/codec-openjpeg`,
 * the decoder-only build), loaded on first use so commands that never meet a JP2 file do not
 * pay for it. One decoder instance is reused; decodes run one at a time (the wasm module is
 * single-threaded and synchronous), so concurrency comes from the I/O around them.
 *
 * The codec decodes whole codestreams (or whole lower resolutions); it has no decode-area
 * call, so windowed reads hand it one-tile codestreams (see jp2/codestream.ts).
 */
import { createRequire } from 'node:module';

export interface DecodedJ2k {
  width: number;
  height: number;
  bitsPerSample: number;
  signed: boolean;
  components: number;
  /** Samples in host order: 1 byte each up to 8 bits, else 2 bytes. */
  data: Uint8Array;
}

interface J2kDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
}

interface OpenJpegModule {
  J2KDecoder: new () => J2kDecoder;
}

type Factory = (overrides: { print: (s: string) => void; printErr: (s: string) => void }) => Promise<OpenJpegModule>;

let decoder: Promise<J2kDecoder> | null = null;

function loadDecoder(): Promise<J2kDecoder> {
  decoder ??= (async () => {
    // A CommonJS Emscripten factory; createRequire keeps its __dirname-relative .wasm lookup.
    const factory = createRequire(import.meta.url)('@cornerstonejs/codec-openjpeg/decodewasmjs') as Factory;
    // OpenJPEG reports progress ("[INFO] Tile 1/4 has been decoded") on stdout; errors are thrown.
    const m = await factory({ print: () => undefined, printErr: () => undefined });
    return new m.J2KDecoder();
  })();
  return decoder;
}

/**
 * Decodes a JPEG 2000 codestream (J2K, not the JP2 box wrapper).
 * @throws Error with OpenJPEG's reason for a corrupt codestream
 */
export async function decodeJ2k(codestream: Uint8Array): Promise<DecodedJ2k> {
  const d = await loadDecoder();
  d.getEncodedBuffer(codestream.length).set(codestream);
  try {
    d.decode();
  } catch (err) {
    throw new Error(`JPEG 2000 decode failed: ${typeof err === 'number' ? `OpenJPEG error (code ${err})` : String((err as Error).message ?? err)}`);
  }
  const info = d.getFrameInfo();
  // The decoded buffer is a view into wasm memory, reused by the next decode: copy it out.
  const data = Uint8Array.from(d.getDecodedBuffer());
  return { width: info.width, height: info.height, bitsPerSample: info.bitsPerSample, signed: info.isSigned, components: info.componentCount, data };
}
