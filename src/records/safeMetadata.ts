/**
 * The two Sentinel-2 SAFE metadata files co2sat reads (ESA's product specification, PSD
 * 14.x/15.x; element names as in the XSDs the files point to):
 *
 * - the product file `MTD_MSIL2A.xml` / `MTD_MSIL1C.xml`: `General_Info/Product_Info/
 *   PRODUCT_START_TIME` (the acquisition time, to the millisecond) and the NODATA entry of
 *   `Special_Values` (0 in every baseline so far);
 * - the tile file `GRANULE/<granule>/MTD_TL.xml`: `Geometric_Info/Tile_Geocoding` with
 *   `HORIZONTAL_CS_CODE` (`EPSG:32632`), and per resolution (10, 20, 60 m) a `Size`
 *   (NROWS, NCOLS) and a `Geoposition` (ULX, ULY of the upper-left pixel corner, XDIM,
 *   YDIM with YDIM negative), plus `General_Info/SENSING_TIME`.
 *
 * Only these fields are parsed; everything else in the files is ignored.
 */
import { findTagByName, findTagsByName, getAttribute } from 'xml-utils/index.js';
import { InputError } from '../errors.js';
import type { GeoTransform } from '../geo/geoTransform.js';

export interface SafeProductMetadata {
  /** 'L2A' or 'L1C', from the root element (`Level-2A_User_Product` …). */
  level: 'L1C' | 'L2A';
  /** PRODUCT_START_TIME as ISO 8601 UTC (milliseconds kept), or null. */
  startTime: string | null;
  /** The NODATA special value, or null when the file lists none. */
  nodata: number | null;
}

export interface SafeGrid {
  resolution: number;
  width: number;
  height: number;
  geoTransform: GeoTransform;
}

export interface SafeTileMetadata {
  epsg: number;
  /** SENSING_TIME as ISO 8601 UTC, or null. */
  sensingTime: string | null;
  /** The tile's grids by resolution in metres. */
  grids: Map<number, SafeGrid>;
}

function text(xml: string, tag: string): string | null {
  const t = findTagByName(xml, tag);
  return t?.inner?.trim() ?? null;
}

function isoTime(value: string | null, file: string, tag: string): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) || Number.isNaN(ms)) throw new InputError(file, `${tag} '${value}' is not an ISO 8601 UTC time`);
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

function numberIn(xml: string, tag: string, file: string, where: string): number {
  const v = text(xml, tag);
  const n = v === null ? Number.NaN : Number(v);
  if (!Number.isFinite(n)) throw new InputError(file, `${where}: ${tag} ${v === null ? 'missing' : `'${v}' is not a number`}`);
  return n;
}

/** Parses a product metadata file. @throws InputError naming the file and the field */
export function parseSafeProductMetadata(xml: string, file: string): SafeProductMetadata {
  const level = /<(?:\w+:)?Level-2A_User_Product[\s>]/.test(xml) ? 'L2A' : /<(?:\w+:)?Level-1C_User_Product[\s>]/.test(xml) ? 'L1C' : null;
  if (!level) throw new InputError(file, 'not a Sentinel-2 L1C or L2A product metadata file (no Level-1C_User_Product / Level-2A_User_Product element)');
  let nodata: number | null = null;
  for (const sv of findTagsByName(xml, 'Special_Values')) {
    if (text(sv.outer, 'SPECIAL_VALUE_TEXT') === 'NODATA') nodata = numberIn(sv.outer, 'SPECIAL_VALUE_INDEX', file, 'Special_Values NODATA');
  }
  return { level, startTime: isoTime(text(xml, 'PRODUCT_START_TIME'), file, 'PRODUCT_START_TIME'), nodata };
}

/** Parses a granule's MTD_TL.xml. @throws InputError naming the file and the field */
export function parseSafeTileMetadata(xml: string, file: string): SafeTileMetadata {
  const geocoding = findTagByName(xml, 'Tile_Geocoding')?.outer;
  if (!geocoding) throw new InputError(file, 'no Tile_Geocoding element: not a Sentinel-2 tile metadata file (MTD_TL.xml)');
  const code = text(geocoding, 'HORIZONTAL_CS_CODE');
  const m = code ? /^EPSG:(\d+)$/i.exec(code) : null;
  if (!m) throw new InputError(file, `Tile_Geocoding/HORIZONTAL_CS_CODE ${code === null ? 'missing' : `'${code}' is not EPSG:<code>`}`);
  const sizes = new Map<number, { width: number; height: number }>();
  for (const s of findTagsByName(geocoding, 'Size')) {
    const res = Number(getAttribute(s, 'resolution'));
    const where = `Size resolution="${getAttribute(s, 'resolution')}"`;
    sizes.set(res, { width: numberIn(s.outer, 'NCOLS', file, where), height: numberIn(s.outer, 'NROWS', file, where) });
  }
  const grids = new Map<number, SafeGrid>();
  for (const g of findTagsByName(geocoding, 'Geoposition')) {
    const res = Number(getAttribute(g, 'resolution'));
    const where = `Geoposition resolution="${getAttribute(g, 'resolution')}"`;
    if (!(res > 0)) throw new InputError(file, `${where}: the resolution must be a positive number of metres`);
    const size = sizes.get(res);
    if (!size) throw new InputError(file, `${where} has no Size element of the same resolution`);
    const [ulx, uly, xdim, ydim] = ['ULX', 'ULY', 'XDIM', 'YDIM'].map((t) => numberIn(g.outer, t, file, where)) as [number, number, number, number];
    grids.set(res, { resolution: res, ...size, geoTransform: [ulx, xdim, 0, uly, 0, ydim] });
  }
  if (grids.size === 0) throw new InputError(file, 'Tile_Geocoding has no Geoposition element');
  return { epsg: Number(m[1]), sensingTime: isoTime(text(xml, 'SENSING_TIME'), file, 'SENSING_TIME'), grids };
}
