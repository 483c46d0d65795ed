/**
 * TIFF 6.0 / BigTIFF / GeoTIFF tag ids and field types that co2sat reads or writes. One
 * table so the writer, the open-time validator and the georeferencing code agree on ids.
 */
export const Tag = {
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  PlanarConfiguration: 284,
  DateTime: 306,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
  ModelPixelScale: 33550,
  ModelTiepoint: 33922,
  ModelTransformation: 34264,
  GeoKeyDirectory: 34735,
  GeoDoubleParams: 34736,
  GeoAsciiParams: 34737,
  GdalMetadata: 42112,
  GdalNodata: 42113,
} as const;

/** TIFF field types (the subset co2sat writes). */
export const FieldType = {
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  DOUBLE: 12,
  LONG8: 16,
} as const;
export type FieldTypeId = (typeof FieldType)[keyof typeof FieldType];

/** Bytes per value of each field type. */
export const fieldTypeSize: Record<FieldTypeId, number> = { 2: 1, 3: 2, 4: 4, 12: 8, 16: 8 };

/** TIFF Compression ids co2sat names in messages (the codec registry decides what reads). */
export const compressionNames: Record<number, string> = {
  1: 'none',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'DEFLATE',
  32773: 'PackBits',
  32946: 'DEFLATE (old id)',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'ZSTD',
  50001: 'WebP',
  50002: 'JPEG-XL',
};
