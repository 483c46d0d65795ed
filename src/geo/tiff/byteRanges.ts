/**
 * The truncation check done when a GeoTIFF is opened: every strip or tile byte range must
 * lie inside the file, and the offset table must cover the image. Done up front, so a cut
 * download fails at open even when the windows read later would fall in its intact part.
 */
import type { GeoTIFFImage } from 'geotiff';
import { InputError } from '../../errors.js';

/** Every strip/tile must lie inside the file; the count must match the image geometry. */
export async function checkByteRanges(
  file: string,
  image: GeoTIFFImage,
  size: number,
  spp: number,
  bytesPerSample: number,
): Promise<{ offsets: number[]; counts: number[] }> {
  const ifd = image.fileDirectory;
  const tiled = image.isTiled;
  const kind = tiled ? 'tile' : 'strip';
  const offsets = (await ifd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number | bigint> | undefined;
  const counts = (await ifd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number | bigint> | undefined;
  if (!offsets || !counts) throw new InputError(file, `corrupt: no ${kind} offsets or byte counts`);
  const across = Math.ceil(image.getWidth() / image.getTileWidth());
  const down = Math.ceil(image.getHeight() / image.getTileHeight());
  const expected = across * down * (image.planarConfiguration === 2 ? spp : 1);
  if (offsets.length < expected || counts.length < expected) {
    throw new InputError(file, `corrupt: ${offsets.length} ${kind} offsets for ${expected} ${kind}s`);
  }
  // Uncompressed blocks have a known size: a shortened byte count is truncation too.
  const compression = Number(ifd.getValue('Compression') ?? 1);
  const rawBlock = image.getTileWidth() * image.getTileHeight() * bytesPerSample * (image.planarConfiguration === 2 ? 1 : spp);
  for (let i = 0; i < expected; i++) {
    const off = Number(offsets[i]);
    const len = Number(counts[i]);
    if (len === 0) continue; // sparse block: GDAL reads it as nodata
    if (off + len > size) {
      throw new InputError(file, `truncated: ${kind} ${i} ends at byte ${off + len}, file has ${size} bytes`);
    }
    if (compression === 1 && tiled && len < rawBlock) {
      throw new InputError(file, `corrupt: uncompressed ${kind} ${i} has ${len} bytes, expected ${rawBlock}`);
    }
  }
  return { offsets: Array.from(offsets, Number), counts: Array.from(counts, Number) };
}

