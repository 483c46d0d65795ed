/**
 * Writes a georeferenced GeoTIFF that GDAL reads back exactly: the synthetic-scene
 * generator writes Sentinel-2 style scenes with it and tiling writes patches with it.
 *
 * Layout: little-endian classic TIFF (BigTIFF when the data may pass 4 GiB),
 * planar-separate bands (each band's blocks contiguous, so a one-band window read touches
 * only that band), strips of ~64 KiB or square tiles, DEFLATE via node:zlib. The file is
 * produced under a temporary name and renamed when complete, so a crash never leaves a
 * half-written GeoTIFF under its final name.
 */
import { promises as fs } from 'node:fs';
import { deflate, deflateSync } from 'node:zlib';
import { promisify } from 'node:util';
import { produceFileAtomic } from '../io/atomicWrite.js';
import { encodeFloatingPoint, encodeHorizontal, type PredictorId } from './codecs/predictorEncode.js';
import { geoKeysForEpsg, shortGeoKeys, type RawGeoKeys } from './geoKeys.js';
import { formatNodata, isArrayOfType, sampleEncoding, type RasterArray, type RasterDataType } from './rasterTypes.js';
import { encodeIfd, type IfdEntry } from './tiff/ifdWriter.js';
import { FieldType, Tag } from './tiff/tags.js';

export type { RasterArray, RasterDataType } from './rasterTypes.js';
export type { RawGeoKeys } from './geoKeys.js';
import type { GeoTransform } from './geoTransform.js';


export interface GeoTiffSpec {
  width: number;
  height: number;
  dataType: RasterDataType;
  /** One array per band, row-major, width × height samples each. */
  bands: RasterArray[];
  geoTransform: GeoTransform;
  /** CRS as an EPSG code (projected 326xx/327xx/3857 … or geographic 4326 …). */
  epsg: number;
  /**
   * GeoKeys copied verbatim from a source (overrides `epsg` in the file), so a patch of a
   * user-defined CRS such as MODIS sinusoidal carries exactly its scene's CRS.
   */
  geoKeys?: RawGeoKeys;
  /** GDAL_NODATA tag; null or absent writes none. */
  nodata?: number | null;
  /** Default 'deflate'. */
  compression?: 'deflate' | 'none';
  /** zlib level 1–9 for DEFLATE; default 6 (zlib's own default). */
  deflateLevel?: number;
  /** 1 none (default), 2 horizontal (integer types), 3 floating point (float32). */
  predictor?: PredictorId;
  /** Tiled output with square tiles of this size (a multiple of 16); default strips. */
  blockSize?: number;
  /** TIFF DateTime tag, 'YYYY:MM:DD HH:MM:SS'. */
  datetime?: string;
  /** Band descriptions written as GDAL_METADATA (gdalinfo shows them as band descriptions). */
  bandDescriptions?: string[];
}

/** The largest file a classic TIFF can address; above it co2sat writes BigTIFF. */
const CLASSIC_LIMIT = 0xffff_0000;
/** Strip size target: large enough for DEFLATE to work well, small enough for window reads. */
const STRIP_BYTES = 64 * 1024;
const FLUSH_BYTES = 4 * 1024 * 1024;
const GT_RASTER_TYPE = 1025;
const PIXEL_IS_POINT = 2;

function checkSpec(spec: GeoTiffSpec): void {
  const { width, height, bands, dataType } = spec;
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new RangeError(`width and height must be positive integers, got ${width} × ${height}`);
  }
  if (!(dataType in sampleEncoding)) throw new RangeError(`unsupported data type '${String(dataType)}'`);
  if (bands.length === 0 || bands.length > 65535) throw new RangeError(`need 1..65535 bands, got ${bands.length}`);
  bands.forEach((b, i) => {
    if (!isArrayOfType(b, dataType)) throw new TypeError(`band ${i + 1} is not a ${dataType} array`);
    if (b.length !== width * height) throw new RangeError(`band ${i + 1} has ${b.length} samples, expected ${width * height}`);
  });
  if (spec.geoTransform.length !== 6 || !spec.geoTransform.every(Number.isFinite)) throw new RangeError('geoTransform must be 6 finite numbers');
  if (spec.geoTransform[1] === 0 || spec.geoTransform[5] === 0) throw new RangeError('geoTransform pixel size must be non-zero');
  if (spec.blockSize !== undefined && (!Number.isInteger(spec.blockSize) || spec.blockSize <= 0 || spec.blockSize % 16 !== 0)) {
    throw new RangeError(`blockSize must be a positive multiple of 16, got ${spec.blockSize}`);
  }
  const predictor = spec.predictor ?? 1;
  if (predictor === 2 && dataType === 'float32') throw new RangeError('predictor 2 is for integer types; use 3 for float32');
  if (predictor === 3 && dataType !== 'float32') throw new RangeError('predictor 3 is for float32 only');
  if (spec.datetime !== undefined && !/^\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}$/.test(spec.datetime)) {
    throw new RangeError(`datetime must be 'YYYY:MM:DD HH:MM:SS', got '${spec.datetime}'`);
  }
  if (spec.bandDescriptions !== undefined && spec.bandDescriptions.length !== bands.length) {
    throw new RangeError(`bandDescriptions has ${spec.bandDescriptions.length} entries for ${bands.length} bands`);
  }
}

/** Block geometry: tiles of blockSize², or strips of `rowsPerStrip` full rows. */
interface Layout {
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  across: number;
  down: number;
}

function layoutFor(spec: GeoTiffSpec): Layout {
  const bytes = sampleEncoding[spec.dataType].bytes;
  if (spec.blockSize !== undefined) {
    const s = spec.blockSize;
    return { tiled: true, blockWidth: s, blockHeight: s, across: Math.ceil(spec.width / s), down: Math.ceil(spec.height / s) };
  }
  const rows = Math.max(1, Math.min(spec.height, Math.floor(STRIP_BYTES / (spec.width * bytes))));
  return { tiled: false, blockWidth: spec.width, blockHeight: rows, across: 1, down: Math.ceil(spec.height / rows) };
}

/** The samples of one block; tiles are padded to full size with zeros as TIFF requires. */
function extractBlock(band: RasterArray, spec: GeoTiffSpec, layout: Layout, bx: number, by: number): RasterArray {
  const y0 = by * layout.blockHeight;
  if (!layout.tiled) {
    const rows = Math.min(layout.blockHeight, spec.height - y0);
    return band.subarray(y0 * spec.width, (y0 + rows) * spec.width);
  }
  const x0 = bx * layout.blockWidth;
  const Ctor = band.constructor as new (n: number) => RasterArray;
  const out = new Ctor(layout.blockWidth * layout.blockHeight);
  const cols = Math.min(layout.blockWidth, spec.width - x0);
  const rows = Math.min(layout.blockHeight, spec.height - y0);
  for (let r = 0; r < rows; r++) {
    const src = (y0 + r) * spec.width + x0;
    out.set(band.subarray(src, src + cols), r * layout.blockWidth);
  }
  return out;
}

const deflateAsync = promisify(deflate);
/** Blocks compressed at once on libuv's pool (writes stay in block order). */
const BATCH = 8;

async function encodeBlock(block: RasterArray, spec: GeoTiffSpec, layout: Layout, sync: boolean): Promise<Buffer> {
  const predictor = spec.predictor ?? 1;
  let bytes: Uint8Array;
  if (predictor === 2 && !(block instanceof Float32Array)) {
    const p = encodeHorizontal(block, layout.blockWidth);
    bytes = new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
  } else if (predictor === 3 && block instanceof Float32Array) {
    bytes = encodeFloatingPoint(block, layout.blockWidth);
  } else {
    bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
  }
  // Off the main thread, one output chunk (zlib's default 16 KiB chunks cost a loop and a
  // concatenation): concurrent patch writes and big scenes compress on several cores.
  if ((spec.compression ?? 'deflate') === 'deflate') {
    if (sync) return deflateSync(bytes, { level: spec.deflateLevel ?? 6 });
    return deflateAsync(bytes, { level: spec.deflateLevel ?? 6, chunkSize: Math.max(16 * 1024, bytes.byteLength + 1024) });
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function geoEntries(spec: GeoTiffSpec): IfdEntry[] {
  const keys = spec.geoKeys ?? geoKeysForEpsg(spec.epsg);
  let [x0, dx, rx, y0, ry, dy] = spec.geoTransform;
  // Keys copied from a PixelIsPoint source (Landsat, many COGs) keep that convention, as
  // gdal_translate does: the tiepoint is then the centre of the first pixel, so readers
  // (GDAL and ours) shift it back by half a pixel and recover `geoTransform` exactly.
  if (shortGeoKeys(keys).get(GT_RASTER_TYPE) === PIXEL_IS_POINT) {
    x0 += 0.5 * dx + 0.5 * rx;
    y0 += 0.5 * ry + 0.5 * dy;
  }
  const entries: IfdEntry[] = [];
  if (rx === 0 && ry === 0) {
    entries.push({ tag: Tag.ModelPixelScale, type: FieldType.DOUBLE, values: [dx, -dy, 0] });
    entries.push({ tag: Tag.ModelTiepoint, type: FieldType.DOUBLE, values: [0, 0, 0, x0, y0, 0] });
  } else {
    entries.push({ tag: Tag.ModelTransformation, type: FieldType.DOUBLE, values: [dx, rx, 0, x0, ry, dy, 0, y0, 0, 0, 1, 0, 0, 0, 0, 1] });
  }
  entries.push({ tag: Tag.GeoKeyDirectory, type: FieldType.SHORT, values: keys.directory });
  if (keys.doubleParams && keys.doubleParams.length > 0) entries.push({ tag: Tag.GeoDoubleParams, type: FieldType.DOUBLE, values: keys.doubleParams });
  if (keys.asciiParams && keys.asciiParams.length > 0) entries.push({ tag: Tag.GeoAsciiParams, type: FieldType.ASCII, values: keys.asciiParams.replace(/\0+$/, '') });
  return entries;
}

function imageEntries(spec: GeoTiffSpec, layout: Layout, offsets: number[], counts: number[], bigTiff: boolean): IfdEntry[] {
  const enc = sampleEncoding[spec.dataType];
  const n = spec.bands.length;
  const offType = bigTiff ? FieldType.LONG8 : FieldType.LONG;
  const entries: IfdEntry[] = [
    { tag: Tag.ImageWidth, type: FieldType.LONG, values: [spec.width] },
    { tag: Tag.ImageLength, type: FieldType.LONG, values: [spec.height] },
    { tag: Tag.BitsPerSample, type: FieldType.SHORT, values: new Array<number>(n).fill(enc.bits) },
    { tag: Tag.Compression, type: FieldType.SHORT, values: [(spec.compression ?? 'deflate') === 'deflate' ? 8 : 1] },
    { tag: Tag.PhotometricInterpretation, type: FieldType.SHORT, values: [1] },
    { tag: Tag.SamplesPerPixel, type: FieldType.SHORT, values: [n] },
    { tag: Tag.PlanarConfiguration, type: FieldType.SHORT, values: [n > 1 ? 2 : 1] },
    { tag: Tag.SampleFormat, type: FieldType.SHORT, values: new Array<number>(n).fill(enc.format) },
  ];
  if (layout.tiled) {
    entries.push(
      { tag: Tag.TileWidth, type: FieldType.LONG, values: [layout.blockWidth] },
      { tag: Tag.TileLength, type: FieldType.LONG, values: [layout.blockHeight] },
      { tag: Tag.TileOffsets, type: offType, values: offsets },
      { tag: Tag.TileByteCounts, type: offType, values: counts },
    );
  } else {
    entries.push(
      { tag: Tag.RowsPerStrip, type: FieldType.LONG, values: [layout.blockHeight] },
      { tag: Tag.StripOffsets, type: offType, values: offsets },
      { tag: Tag.StripByteCounts, type: offType, values: counts },
    );
  }
  if ((spec.predictor ?? 1) !== 1) entries.push({ tag: Tag.Predictor, type: FieldType.SHORT, values: [spec.predictor ?? 1] });
  if (n > 1) entries.push({ tag: Tag.ExtraSamples, type: FieldType.SHORT, values: new Array<number>(n - 1).fill(0) });
  if (spec.datetime !== undefined) entries.push({ tag: Tag.DateTime, type: FieldType.ASCII, values: spec.datetime });
  if (spec.nodata !== undefined && spec.nodata !== null) entries.push({ tag: Tag.GdalNodata, type: FieldType.ASCII, values: formatNodata(spec.nodata) });
  if (spec.bandDescriptions !== undefined) {
    const items = spec.bandDescriptions.map((d, i) => `  <Item name="DESCRIPTION" sample="${i}" role="description">${escapeXml(d)}</Item>`);
    entries.push({ tag: Tag.GdalMetadata, type: FieldType.ASCII, values: `<GDALMetadata>\n${items.join('\n')}\n</GDALMetadata>` });
  }
  return [...entries, ...geoEntries(spec)];
}

/**
 * Writes `spec` to `file` as a GeoTIFF, atomically (temporary name, then rename).
 * @throws RangeError/TypeError when the spec is inconsistent (band sizes, types, geotransform)
 * @example
 * await writeGeoTiff('scene.tif', { width: 2, height: 1, dataType: 'uint16',
 *   bands: [Uint16Array.of(1, 2)], geoTransform: [500000, 10, 0, 5e6, 0, -10], epsg: 32632 });
 */
export async function writeGeoTiff(file: string, spec: GeoTiffSpec): Promise<void> {
  checkSpec(spec);
  const layout = layoutFor(spec);
  const rawBytes = spec.width * spec.height * spec.bands.length * sampleEncoding[spec.dataType].bytes;
  // Worst case DEFLATE grows data slightly; leave room for the IFD and tile padding.
  const bigTiff = rawBytes * 1.01 + 16 * 1024 * 1024 > CLASSIC_LIMIT;
  await produceFileAtomic(file, async (tmp) => {
    const handle = await fs.open(tmp, 'w');
    try {
      let position = bigTiff ? 16 : 8;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let pendingStart = position;
      const flush = async (): Promise<void> => {
        if (pendingBytes === 0) return;
        await handle.write(Buffer.concat(pending, pendingBytes), 0, pendingBytes, pendingStart);
        pending = [];
        pendingStart += pendingBytes;
        pendingBytes = 0;
      };
      const offsets: number[] = [];
      const counts: number[] = [];
      const blocks = blockList(spec, layout);
      for (let i = 0; i < blocks.length; i += BATCH) {
        const encoded = await Promise.all(blocks.slice(i, i + BATCH).map(([band, bx, by]) => encodeBlock(extractBlock(band, spec, layout, bx, by), spec, layout, false)));
        for (const data of encoded) {
          offsets.push(position);
          counts.push(data.length);
          pending.push(data);
          pendingBytes += data.length;
          position += data.length;
        }
        if (pendingBytes >= FLUSH_BYTES) await flush();
      }
      await flush();
      if (position % 2 === 1) position += 1; // IFDs start on a word boundary
      if (!bigTiff && position > CLASSIC_LIMIT) throw new Error('internal: classic TIFF overflow');
      const ifd = encodeIfd(imageEntries(spec, layout, offsets, counts, bigTiff), position, bigTiff);
      await handle.write(ifd, 0, ifd.length, position);
      const header = tiffHeader(position, bigTiff);
      await handle.write(header, 0, header.length, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/** Every block of every band, in file order (planar-separate: band by band). */
function blockList(spec: GeoTiffSpec, layout: Layout): [RasterArray, number, number][] {
  const blocks: [RasterArray, number, number][] = [];
  for (const band of spec.bands) for (let by = 0; by < layout.down; by++) for (let bx = 0; bx < layout.across; bx++) blocks.push([band, bx, by]);
  return blocks;
}

/** The TIFF header: little-endian, classic or BigTIFF, pointing at the IFD at `ifdOffset`. */
function tiffHeader(ifdOffset: number, bigTiff: boolean): Buffer {
  const header = Buffer.alloc(bigTiff ? 16 : 8);
  header.write('II', 0, 'latin1');
  if (bigTiff) {
    header.writeUInt16LE(43, 2);
    header.writeUInt16LE(8, 4);
    header.writeUInt16LE(0, 6);
    header.writeBigUInt64LE(BigInt(ifdOffset), 8);
  } else {
    header.writeUInt16LE(42, 2);
    header.writeUInt32LE(ifdOffset, 4);
  }
  return header;
}

/** The largest raster (bytes of samples) encodeGeoTiff holds in memory; larger ones go through writeGeoTiff. */
export const IN_MEMORY_GEOTIFF_BYTES = 16 * 1024 * 1024;

/**
 * The bytes of the GeoTIFF writeGeoTiff would write for `spec`, built in memory, for small
 * rasters (tiling patches) that the caller writes itself (tileScene stages them under a
 * temporary name and publishes a scene's patches together). Blocks are DEFLATEd on this
 * thread, one zlib call each: a patch's 8 KiB blocks cost more to hand to libuv's pool (a
 * stream and its ~256 KiB of fresh zlib state per block) than to compress here, and the
 * pool's threads are busy inflating the scene's tiles for the other patches in flight.
 * @throws RangeError/TypeError as writeGeoTiff, and RangeError above IN_MEMORY_GEOTIFF_BYTES
 */
export async function encodeGeoTiff(spec: GeoTiffSpec): Promise<Buffer> {
  checkSpec(spec);
  const rawBytes = spec.width * spec.height * spec.bands.length * sampleEncoding[spec.dataType].bytes;
  if (rawBytes > IN_MEMORY_GEOTIFF_BYTES) throw new RangeError(`encodeGeoTiff holds at most ${IN_MEMORY_GEOTIFF_BYTES} bytes of samples, got ${rawBytes}; use writeGeoTiff`);
  const layout = layoutFor(spec);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  const counts: number[] = [];
  let position = 8;
  for (const [band, bx, by] of blockList(spec, layout)) {
    const data = await encodeBlock(extractBlock(band, spec, layout, bx, by), spec, layout, true);
    offsets.push(position);
    counts.push(data.length);
    parts.push(data);
    position += data.length;
  }
  if (position % 2 === 1) {
    parts.push(Buffer.alloc(1)); // IFDs start on a word boundary
    position += 1;
  }
  const ifd = encodeIfd(imageEntries(spec, layout, offsets, counts, false), position, false);
  return Buffer.concat([tiffHeader(position, false), ...parts, ifd]);
}
