/**
 * The JPEG 2000 codestream structure co2sat needs to decode one tile at a time (ISO/IEC
 * 15444-1 Annex A): the JP2 box that holds the codestream (I.4), the image and tile
 * geometry of the SIZ marker (A.5.1), and where each tile-part lies, from a TLM marker
 * (A.7.1) when the encoder wrote one, else by hopping from SOT to SOT (A.4.2, Psot).
 *
 * `tileCodestream` rebuilds a codestream holding one tile only: the main header with SIZ
 * narrowed to that tile (image and tile-grid origins moved onto the tile, so every sample
 * keeps its reference-grid coordinates and the wavelet, code-block and precinct partitions
 * are the same as in the whole image), TLM/PLM dropped, the tile's parts renumbered 0.
 * Decoding it gives exactly the samples of that tile of the whole-image decode.
 */
import type { ByteSource } from '../source/byteSource.js';

export interface CodestreamSiz {
  /** Image size on the reference grid (Xsiz − XOsiz, Ysiz − YOsiz). */
  width: number;
  height: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  tileWidth: number;
  tileHeight: number;
  tileX0: number;
  tileY0: number;
  tilesAcross: number;
  tilesDown: number;
  components: { precision: number; signed: boolean; dx: number; dy: number }[];
}

export interface CodestreamIndex {
  siz: CodestreamSiz;
  /** Absolute file offset of the codestream (SOC marker). */
  start: number;
  /** Bytes of the codestream (to EOC inclusive, or to the end of the box). */
  length: number;
  /** Main-header marker segments to keep in a one-tile codestream (SIZ excluded), as bytes. */
  mainHeaderKept: Uint8Array[];
  /** True when the main header has a PPM marker (packed packet headers of all tiles): tiles cannot be cut out. */
  hasPpm: boolean;
  /** Tile-parts of each tile: absolute offset and length (SOT to the end of its data). */
  tileParts: { offset: number; length: number }[][];
}

const SOC = 0xff4f;
const SIZ = 0xff51;
const TLM = 0xff55;
const PLM = 0xff57;
const PPM = 0xff60;
const SOT = 0xff90;

/** Thrown for a file that is not a JPEG 2000 codestream co2sat can index; the caller names the file. */
export class CodestreamError extends Error {}

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

/** Offset and length of the codestream: the `jp2c` box of a JP2 file, or the whole file for a raw .j2k. */
async function locateCodestream(source: ByteSource): Promise<{ start: number; length: number }> {
  const head = await source.read(0, 12);
  if (u16(head, 0) === SOC) return { start: 0, length: source.size };
  const isJp2 = u32(head, 0) === 12 && String.fromCharCode(...head.subarray(4, 8)) === 'jP  ';
  if (!isJp2) throw new CodestreamError(`not a JPEG 2000 file (header ${Buffer.from(head.subarray(0, 8)).toString('hex')})`);
  let at = 0;
  while (at + 8 <= source.size) {
    const box = await source.read(at, 16);
    let len = u32(box, 0);
    let headerLen = 8;
    if (len === 1) {
      len = u32(box, 8) * 2 ** 32 + u32(box, 12);
      headerLen = 16;
    } else if (len === 0) {
      len = source.size - at;
    }
    if (len < headerLen) throw new CodestreamError(`corrupt JP2 box at byte ${at} (length ${len})`);
    if (String.fromCharCode(...box.subarray(4, 8)) === 'jp2c') return { start: at + headerLen, length: Math.min(len, source.size - at) - headerLen };
    at += len;
  }
  throw new CodestreamError('JP2 file has no codestream box (jp2c)');
}

function parseSiz(b: Uint8Array): CodestreamSiz {
  // b starts at the Lsiz field.
  const x1 = u32(b, 4);
  const y1 = u32(b, 8);
  const x0 = u32(b, 12);
  const y0 = u32(b, 16);
  const tileWidth = u32(b, 20);
  const tileHeight = u32(b, 24);
  const tileX0 = u32(b, 28);
  const tileY0 = u32(b, 32);
  const count = u16(b, 36);
  const components: CodestreamSiz['components'] = [];
  for (let c = 0; c < count; c++) {
    const s = b[38 + 3 * c]!;
    components.push({ precision: (s & 0x7f) + 1, signed: (s & 0x80) !== 0, dx: b[39 + 3 * c]!, dy: b[40 + 3 * c]! });
  }
  if (tileWidth === 0 || tileHeight === 0 || x1 <= x0 || y1 <= y0) throw new CodestreamError(`corrupt SIZ marker (image ${x0}..${x1} × ${y0}..${y1}, tiles ${tileWidth} × ${tileHeight})`);
  return {
    width: x1 - x0,
    height: y1 - y0,
    x0,
    y0,
    x1,
    y1,
    tileWidth,
    tileHeight,
    tileX0,
    tileY0,
    tilesAcross: Math.ceil((x1 - tileX0) / tileWidth),
    tilesDown: Math.ceil((y1 - tileY0) / tileHeight),
    components,
  };
}

/** Tile-part lengths from TLM segments, in codestream order, with their tile index (null: implicit). */
function parseTlm(segments: Uint8Array[]): { tile: number | null; length: number }[] {
  const out: { tile: number | null; length: number }[] = [];
  for (const seg of segments) {
    // seg starts at the Ltlm field.
    const stlm = seg[3]!;
    const st = (stlm >> 4) & 3;
    const sp = (stlm >> 6) & 1 ? 4 : 2;
    for (let at = 4; at + st + sp <= seg.length; at += st + sp) {
      const tile = st === 0 ? null : st === 1 ? seg[at]! : u16(seg, at);
      out.push({ tile, length: sp === 4 ? u32(seg, at + st) : u16(seg, at + st) });
    }
  }
  return out;
}

/**
 * Reads the main header and finds every tile-part, without reading tile data.
 * @throws CodestreamError for a file that is not JPEG 2000 or whose markers are corrupt
 */
export async function indexCodestream(source: ByteSource): Promise<CodestreamIndex> {
  const { start, length } = await locateCodestream(source);
  const end = start + length;
  const soc = await source.read(start, 2);
  if (u16(soc, 0) !== SOC) throw new CodestreamError(`codestream at byte ${start} does not start with SOC`);
  let at = start + 2;
  let siz: CodestreamSiz | null = null;
  const kept: Uint8Array[] = [];
  const tlm: Uint8Array[] = [];
  let hasPpm = false;
  for (;;) {
    if (at + 4 > end) throw new CodestreamError('main header ends before the first tile (no SOT marker)');
    const m = await source.read(at, 4);
    const marker = u16(m, 0);
    if (marker === SOT) break;
    if (marker >>> 8 !== 0xff) throw new CodestreamError(`expected a marker at byte ${at}, found ${marker.toString(16)}`);
    const segLen = u16(m, 2);
    const seg = await source.read(at, 2 + segLen);
    if (marker === SIZ) siz = parseSiz(seg.subarray(2));
    else if (marker === TLM) tlm.push(seg.subarray(2));
    else if (marker === PPM) hasPpm = true;
    if (marker !== SIZ && marker !== TLM && marker !== PLM) kept.push(seg);
    at += 2 + segLen;
  }
  if (!siz) throw new CodestreamError('main header has no SIZ marker');
  const tileCount = siz.tilesAcross * siz.tilesDown;
  const tileParts: { offset: number; length: number }[][] = Array.from({ length: tileCount }, () => []);
  const lengths = tlm.length > 0 ? parseTlm(tlm) : null;
  let k = 0;
  while (at + 12 <= end) {
    const sot = await source.read(at, 12);
    const marker = u16(sot, 0);
    if (marker !== SOT) {
      if (marker === 0xffd9) break; // EOC
      throw new CodestreamError(`expected a tile-part (SOT) at byte ${at}, found ${marker.toString(16)}`);
    }
    const tile = u16(sot, 4);
    let psot = u32(sot, 6);
    const listed = lengths?.[k];
    if (listed && listed.length !== psot && psot !== 0) throw new CodestreamError(`tile-part ${k}: TLM says ${listed.length} bytes, SOT says ${psot}`);
    if (psot === 0) psot = end - at - (u16(await source.read(end - 2, 2), 0) === 0xffd9 ? 2 : 0);
    if (tile >= tileCount) throw new CodestreamError(`tile-part at byte ${at} names tile ${tile}, the image has ${tileCount}`);
    if (psot < 14 || at + psot > end) throw new CodestreamError(`tile-part at byte ${at} (tile ${tile}) is ${psot} bytes, past the end of the codestream: truncated file`);
    tileParts[tile]!.push({ offset: at, length: psot });
    at += psot;
    k++;
  }
  const missing = tileParts.findIndex((p) => p.length === 0);
  if (missing >= 0) throw new CodestreamError(`tile ${missing} of ${tileCount} has no data: truncated file`);
  return { siz, start, length, mainHeaderKept: kept, hasPpm, tileParts };
}

/** A SIZ marker segment for `siz` narrowed to tile (tx, ty). */
function sizForTile(siz: CodestreamSiz, tx: number, ty: number): Uint8Array {
  const tileX0 = siz.tileX0 + tx * siz.tileWidth;
  const tileY0 = siz.tileY0 + ty * siz.tileHeight;
  const x0 = Math.max(siz.x0, tileX0);
  const y0 = Math.max(siz.y0, tileY0);
  const x1 = Math.min(siz.x1, tileX0 + siz.tileWidth);
  const y1 = Math.min(siz.y1, tileY0 + siz.tileHeight);
  const n = siz.components.length;
  const out = new Uint8Array(2 + 38 + 3 * n);
  const v = new DataView(out.buffer);
  v.setUint16(0, SIZ);
  v.setUint16(2, 38 + 3 * n);
  v.setUint16(4, 0); // Rsiz: no profile restrictions claimed
  [x1, y1, x0, y0, siz.tileWidth, siz.tileHeight, tileX0, tileY0].forEach((value, i) => v.setUint32(6 + 4 * i, value));
  v.setUint16(38, n);
  siz.components.forEach((c, i) => {
    out[40 + 3 * i] = (c.signed ? 0x80 : 0) | (c.precision - 1);
    out[41 + 3 * i] = c.dx;
    out[42 + 3 * i] = c.dy;
  });
  return out;
}

/**
 * A codestream of tile `tile` alone (see the module comment), read from `source`.
 * @returns the codestream bytes and the bytes of tile data read
 */
export async function tileCodestream(source: ByteSource, index: CodestreamIndex, tile: number): Promise<Uint8Array> {
  const tx = tile % index.siz.tilesAcross;
  const ty = Math.floor(tile / index.siz.tilesAcross);
  const parts = await Promise.all(index.tileParts[tile]!.map((p) => source.read(p.offset, p.length)));
  const header = [Uint8Array.of(0xff, 0x4f), sizForTile(index.siz, tx, ty), ...index.mainHeaderKept];
  const size = [...header, ...parts].reduce((s, b) => s + b.length, 0) + 2;
  const out = new Uint8Array(size);
  let at = 0;
  for (const h of header) {
    out.set(h, at);
    at += h.length;
  }
  for (const p of parts) {
    out.set(p, at);
    out[at + 4] = 0; // Isot: the only tile is tile 0
    out[at + 5] = 0;
    // Psot 0 ("to EOC") stays valid: this part is followed by EOC too.
    at += p.length;
  }
  out[at] = 0xff;
  out[at + 1] = 0xd9;
  return out;
}
