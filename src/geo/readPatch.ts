/**
 * Reads a whole small GeoTIFF (a tiling patch) into memory: the model's dataset uses it.
 * Patches are small (size² × bands), so reading everything is right here; scenes go through
 * `readWindow` instead. Errors are InputErrors naming the file.
 */
import { InputError } from '../errors.js';
import type { RasterArray, RasterDataType } from './rasterTypes.js';
import { readWindow } from './readWindow.js';
import { Raster } from './tiff/openRaster.js';
import type { GeoTransform } from './geoTransform.js';

export interface Patch {
  width: number;
  height: number;
  dataType: RasterDataType;
  nodata: number | null;
  /** One row-major array per band. */
  bands: RasterArray[];
  geoTransform: GeoTransform;
  /** EPSG code, or null for a user-defined CRS. */
  epsg: number | null;
  /** Band descriptions (e.g. 'B02'), null where the file has none. */
  bandDescriptions: (string | null)[];
}

/**
 * @throws InputError when the file is missing, not a GeoTIFF, truncated or not georeferenced
 * @example const p = await readPatch('tiles/T32ULB_20240517T102559/plant-7.tif'); p.bands[1][0];
 */
export async function readPatch(file: string): Promise<Patch> {
  // A patch is small and read whole: one file read, then slices (source/memorySource.ts).
  const raster = await Raster.open(file, { wholeFile: true });
  try {
    if (!raster.geoTransform) throw new InputError(file, 'no georeferencing (no ModelTiepoint/ModelPixelScale or ModelTransformation tags)');
    const bands = await readWindow(raster, { xoff: 0, yoff: 0, width: raster.width, height: raster.height });
    return {
      width: raster.width,
      height: raster.height,
      dataType: raster.dataType,
      nodata: raster.nodata,
      bands,
      geoTransform: raster.geoTransform,
      epsg: raster.epsg,
      bandDescriptions: raster.bandDescriptions,
    };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(file, `cannot read: ${(err as Error).message}`);
  } finally {
    await raster.close();
  }
}
