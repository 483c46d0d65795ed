/**
 * The raster sample types co2sat reads and writes, and their TIFF encodings. Sentinel-2 and
 * Landsat are UInt16, MODIS/MERIS Int16, classifications UInt8, reflectances Float32.
 */
export type RasterDataType = 'uint8' | 'uint16' | 'int16' | 'float32';
export type RasterArray = Uint8Array | Uint16Array | Int16Array | Float32Array;

export interface SampleEncoding {
  /** TIFF BitsPerSample. */
  bits: 8 | 16 | 32;
  /** TIFF SampleFormat: 1 unsigned integer, 2 signed integer, 3 IEEE float. */
  format: 1 | 2 | 3;
  bytes: 1 | 2 | 4;
}

export const sampleEncoding: Record<RasterDataType, SampleEncoding> = {
  uint8: { bits: 8, format: 1, bytes: 1 },
  uint16: { bits: 16, format: 1, bytes: 2 },
  int16: { bits: 16, format: 2, bytes: 2 },
  float32: { bits: 32, format: 3, bytes: 4 },
};

/** GDAL's name of each type, as `gdalinfo` prints it. */
export const gdalTypeName: Record<RasterDataType, string> = { uint8: 'Byte', uint16: 'UInt16', int16: 'Int16', float32: 'Float32' };

/** The data type for TIFF (bits, format), or null when co2sat does not handle it. */
export function dataTypeFor(bits: number, format: number): RasterDataType | null {
  if (bits === 8 && format === 1) return 'uint8';
  if (bits === 16 && format === 1) return 'uint16';
  if (bits === 16 && format === 2) return 'int16';
  if (bits === 32 && format === 3) return 'float32';
  return null;
}

/** The typed-array class that holds each type's samples in host byte order. */
interface RasterArrayClass {
  new (length: number): RasterArray;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): RasterArray;
}
const ARRAY_CLASS: Record<RasterDataType, RasterArrayClass> = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  float32: Float32Array,
};

/** A zero-filled array of `type` with `length` samples. */
export function allocRaster(type: RasterDataType, length: number): RasterArray {
  return new ARRAY_CLASS[type](length);
}

/**
 * The samples of `buffer` (host byte order) as an array of `type`, without copying; a trailing
 * partial sample (a short last block) is left out.
 */
export function rasterView(type: RasterDataType, buffer: ArrayBuffer): RasterArray {
  return new ARRAY_CLASS[type](buffer, 0, Math.floor(buffer.byteLength / sampleEncoding[type].bytes));
}

/** True when `array` is the typed-array class of `type`. */
export function isArrayOfType(array: RasterArray, type: RasterDataType): boolean {
  return array instanceof ARRAY_CLASS[type];
}

/** GDAL's text form of a nodata value (GDAL_NODATA tag): `nan` for NaN, else the number. */
export function formatNodata(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  return String(value);
}

/** Parses a GDAL_NODATA string; null when empty or not a number. */
export function parseNodata(text: string | undefined | null): number | null {
  if (text === undefined || text === null) return null;
  const t = text.replace(/\0/g, '').trim();
  if (t.length === 0) return null;
  if (/^nan$/i.test(t)) return Number.NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}
