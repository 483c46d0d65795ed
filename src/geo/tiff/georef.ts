/**
 * Georeferencing of one TIFF image from its tags: the GDAL geotransform (from
 * ModelTransformation, or ModelTiepoint + ModelPixelScale) and the raw GeoKeys. GDAL's
 * conventions are followed so patches match `gdalinfo`: a PixelIsPoint raster's origin
 * moves half a pixel up-left, as GDAL does by default (GTIFF_POINT_GEO_IGNORE=NO).
 */
import type { ImageFileDirectory } from 'geotiff';
import type { RawGeoKeys } from '../geoKeys.js';
import { shortGeoKeys } from '../geoKeys.js';
import type { GeoTransform } from '../geoTransform.js';

const GTRasterTypeGeoKey = 1025;
const RasterPixelIsPoint = 2;

function toNumbers(v: unknown): number[] | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<number>, Number);
  return null;
}

/** The raw GeoKey tags of an IFD, or null when it has no GeoKeyDirectory. */
export async function rawGeoKeys(ifd: ImageFileDirectory): Promise<RawGeoKeys | null> {
  const directory = toNumbers(await ifd.loadValue('GeoKeyDirectory'));
  if (!directory || directory.length < 4) return null;
  const doubles = toNumbers(await ifd.loadValue('GeoDoubleParams'));
  const ascii = (await ifd.loadValue('GeoAsciiParams')) as unknown;
  return {
    directory,
    ...(doubles ? { doubleParams: doubles } : {}),
    ...(typeof ascii === 'string' ? { asciiParams: ascii } : {}),
  };
}

/**
 * The image's GDAL geotransform, or null when it has no georeferencing tags.
 * Only the first tiepoint is used (GCP-referenced rasters with many tiepoints are not
 * supported: GDAL reports them as GCPs rather than a geotransform).
 */
export async function geoTransformOf(ifd: ImageFileDirectory, keys: RawGeoKeys | null): Promise<GeoTransform | null> {
  const matrix = toNumbers(await ifd.loadValue('ModelTransformation'));
  let gt: GeoTransform | null = null;
  if (matrix && matrix.length >= 8) {
    gt = [matrix[3]!, matrix[0]!, matrix[1]!, matrix[7]!, matrix[4]!, matrix[5]!];
  } else {
    const tie = toNumbers(await ifd.loadValue('ModelTiepoint'));
    const scale = toNumbers(await ifd.loadValue('ModelPixelScale'));
    if (!tie || tie.length < 6 || !scale || scale.length < 2) return null;
    const [i, j, , x, y] = tie as [number, number, number, number, number];
    const [sx, sy] = scale as [number, number];
    gt = [x - i * sx, sx, 0, y + j * sy, 0, -sy];
  }
  if (keys && shortGeoKeys(keys).get(GTRasterTypeGeoKey) === RasterPixelIsPoint) {
    const [x0, dx, rx, y0, ry, dy] = gt;
    gt = [x0 - 0.5 * dx - 0.5 * rx, dx, rx, y0 - 0.5 * ry - 0.5 * dy, ry, dy];
  }
  return gt;
}
