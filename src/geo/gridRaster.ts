/**
 * What the window reader and the scene stacker need of an open raster, whatever its file
 * format: size, sample type, georeferencing, and decoded blocks on a regular grid. A
 * GeoTIFF (tiff/openRaster.ts: strips or tiles) and a JPEG 2000 file (jp2/jp2Raster.ts:
 * codestream tiles, georeferenced from side-car metadata) both provide it.
 */
import type { RawGeoKeys } from './geoKeys.js';
import type { GeoTransform } from './geoTransform.js';
import type { RasterDataType } from './rasterTypes.js';

/** Decoded blocks on a grid of blockWidth × blockHeight, the unit windowed reads fetch. */
export interface BlockReader {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly bandCount: number;
  readonly dataType: RasterDataType;
  readonly nodata: number | null;
  readonly blockWidth: number;
  readonly blockHeight: number;
  /** 1 = samples interleaved in each block, 2 = one block set per band. */
  readonly planar: 1 | 2;
  /** Rows held by block row `by` (the last row of blocks may be shorter). */
  blockRows(by: number): number;
  /**
   * Block (bx, by) of `sample`: rows of blockWidth samples (times bandCount when interleaved),
   * host byte order; `rows` asks for at least that many rows from the top.
   */
  readBlock(sample: number, bx: number, by: number, rows?: number): Promise<ArrayBuffer>;
}

/** An open raster with what a scene needs beyond pixels. Call `close()` when done. */
export interface GridRaster extends BlockReader {
  readonly geoTransform: GeoTransform | null;
  readonly geoKeys: RawGeoKeys | null;
  /** EPSG code of the CRS, or null when user-defined or absent. */
  readonly epsg: number | null;
  /** TIFF DateTime tag ('YYYY:MM:DD HH:MM:SS'), or null (always null outside TIFF). */
  readonly tiffDateTime: string | null;
  /** Bytes read from the file so far. */
  readonly bytesRead: number;
  close(): Promise<void>;
}
