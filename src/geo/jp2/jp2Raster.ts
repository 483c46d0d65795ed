/**
 * An open JPEG 2000 band file (a Sentinel-2 SAFE `…_B04_10m.jp2`) as a GridRaster: its
 * blocks are the codestream's tiles, each decoded alone from a one-tile codestream
 * (codestream.ts), so a window costs the tiles it overlaps, never the whole image. JP2 files
 * in SAFE products are georeferenced by the tile metadata (MTD_TL.xml), so the caller passes
 * the geotransform and EPSG code in; the file's own GML/GeoTIFF boxes are not read.
 *
 * Where tiles cannot be cut out (a PPM marker, or an image origin inside the first tile),
 * the whole image is one block, decoded once and cached.
 */
import { InputError } from '../../errors.js';
import { decodeJ2k } from '../codecs/openjpeg.js';
import { geoKeysForEpsg, type RawGeoKeys } from '../geoKeys.js';
import type { GeoTransform } from '../geoTransform.js';
import type { GridRaster } from '../gridRaster.js';
import { sampleEncoding, type RasterDataType } from '../rasterTypes.js';
import { openByteSource, type ByteSource } from '../source/byteSource.js';
import { BlockCache } from '../tiff/blockCache.js';
import { CodestreamError, indexCodestream, tileCodestream, type CodestreamIndex } from './codestream.js';

export interface Jp2Georeference {
  geoTransform: GeoTransform;
  epsg: number;
  /** Value marking pixels without data (Sentinel-2: 0), or null. */
  nodata: number | null;
}

export interface OpenJp2Options {
  /** Bytes of decoded tiles kept (default 32 MiB). */
  blockCacheBytes?: number;
}

export class Jp2Raster implements GridRaster {
  readonly bandCount = 1;
  readonly planar = 1 as const;
  readonly tiffDateTime = null;
  readonly geoKeys: RawGeoKeys;
  private readonly cache: BlockCache;
  /** Tiles decodable alone; false: the whole image is one block. */
  private readonly tiled: boolean;

  private constructor(
    readonly file: string,
    private readonly source: ByteSource,
    private readonly index: CodestreamIndex,
    readonly dataType: RasterDataType,
    readonly geoTransform: GeoTransform,
    readonly epsg: number,
    readonly nodata: number | null,
    cacheBytes: number,
  ) {
    const s = index.siz;
    this.tiled = !index.hasPpm && s.x0 === s.tileX0 && s.y0 === s.tileY0;
    this.geoKeys = geoKeysForEpsg(epsg);
    this.cache = new BlockCache(cacheBytes);
  }

  get width(): number {
    return this.index.siz.width;
  }

  get height(): number {
    return this.index.siz.height;
  }

  get blockWidth(): number {
    return this.tiled ? this.index.siz.tileWidth : this.width;
  }

  get blockHeight(): number {
    return this.tiled ? this.index.siz.tileHeight : this.height;
  }

  /** Codestream tiles across and down (1 × 1 when the image is decoded whole). */
  get tileGrid(): { across: number; down: number } {
    return this.tiled ? { across: this.index.siz.tilesAcross, down: this.index.siz.tilesDown } : { across: 1, down: 1 };
  }

  get bytesRead(): number {
    return this.source.bytesRead;
  }

  blockRows(by: number): number {
    return Math.min(this.blockHeight, this.height - by * this.blockHeight);
  }

  readBlock(_sample: number, bx: number, by: number): Promise<ArrayBuffer> {
    return this.cache.get(`${bx}/${by}`, 0, () => this.decodeBlock(bx, by));
  }

  private async decodeBlock(bx: number, by: number): Promise<ArrayBuffer> {
    const codestream = this.tiled
      ? await tileCodestream(this.source, this.index, by * this.index.siz.tilesAcross + bx)
      : await this.source.read(this.index.start, this.index.length);
    const d = await decodeJ2k(codestream);
    const bw = this.blockWidth;
    const cols = Math.min(bw, this.width - bx * bw);
    const rows = this.blockRows(by);
    if (d.width !== cols || d.height !== rows || d.components !== 1) {
      throw new Error(`${this.file}: tile ${bx},${by} decoded to ${d.width} × ${d.height} × ${d.components}, expected ${cols} × ${rows} × 1`);
    }
    const bytes = sampleEncoding[this.dataType].bytes;
    if (cols === bw) return d.data.buffer.slice(d.data.byteOffset, d.data.byteOffset + cols * rows * bytes) as ArrayBuffer;
    // A tile at the right edge is narrower than the grid: lay its rows out at the block stride.
    const out = new Uint8Array(bw * rows * bytes);
    for (let r = 0; r < rows; r++) out.set(d.data.subarray(r * cols * bytes, (r + 1) * cols * bytes), r * bw * bytes);
    return out.buffer;
  }

  async close(): Promise<void> {
    await this.source.close();
  }

  /**
   * Opens `file`, reads its main header and tile-part index (no tile data), and checks that
   * co2sat can decode it: one component, unsigned up to 16 bits or signed 16 bits, no
   * subsampling.
   * @throws InputError naming the file and the problem
   */
  static async open(file: string, georef: Jp2Georeference, options: OpenJp2Options = {}): Promise<Jp2Raster> {
    let source: ByteSource;
    try {
      source = await openByteSource(file);
    } catch (err) {
      throw new InputError(file, `cannot open: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      const index = await indexCodestream(source);
      const comps = index.siz.components;
      if (comps.length !== 1) throw new InputError(file, `JPEG 2000 file has ${comps.length} components; co2sat reads single-band files (one per band, as in SAFE products)`);
      const c = comps[0]!;
      if (c.dx !== 1 || c.dy !== 1) throw new InputError(file, `JPEG 2000 component is subsampled (${c.dx} × ${c.dy}); co2sat reads full-resolution components`);
      const dataType: RasterDataType | null = c.signed ? (c.precision > 8 && c.precision <= 16 ? 'int16' : null) : c.precision <= 8 ? 'uint8' : c.precision <= 16 ? 'uint16' : null;
      if (!dataType) throw new InputError(file, `unsupported JPEG 2000 sample type (${c.signed ? 'signed' : 'unsigned'} ${c.precision} bits); co2sat reads unsigned up to 16 bits and signed 9 to 16 bits`);
      return new Jp2Raster(file, source, index, dataType, georef.geoTransform, georef.epsg, georef.nodata, options.blockCacheBytes ?? 32 * 1024 * 1024);
    } catch (err) {
      await source.close();
      if (err instanceof CodestreamError) throw new InputError(file, `not a readable JPEG 2000 file: ${err.message}`);
      throw err;
    }
  }
}
