/**
 * The image layer: opens a GeoTIFF's full-resolution image, validates it completely before
 * a pixel is read, and serves decoded blocks. Only this folder knows geotiff.js.
 *
 * Validation at open (each failure is an InputError naming the file and the problem):
 * not a TIFF (header bytes), unparsable IFD, unsupported compression (named by id),
 * unsupported sample type, and truncation: every strip/tile byte range is checked against
 * the file size, so a cut download is caught even when the windows read lie in its intact
 * part. A COG's overviews are ignored: image 0 is the full-resolution IFD.
 */
import { GeoTIFF, getDecoder, type BaseDecoder, type GeoTIFFImage } from 'geotiff';
import { InputError } from '../../errors.js';
import { fillBlock, swapBytes } from '../codecs/byteOrder.js';
import { inflatePrefix } from '../codecs/inflatePrefix.js';
import { undoFloatingPoint, undoHorizontal } from '../codecs/predictorDecode.js';
import { compressionLabel, SUPPORTED_COMPRESSIONS } from '../codecs/registry.js';
import { epsgFromGeoKeys, type RawGeoKeys } from '../geoKeys.js';
import { dataTypeFor, parseNodata, sampleEncoding, type RasterDataType } from '../rasterTypes.js';
import { openByteSource, type ByteSource } from '../source/byteSource.js';
import type { GeoTransform } from '../geoTransform.js';
import { BlockCache } from './blockCache.js';
import { checkByteRanges } from './byteRanges.js';
import { geoTransformOf, rawGeoKeys } from './georef.js';

/**
 * Compressed bytes read past the proportional share of a DEFLATE block: the zlib header,
 * the first block's Huffman tables and uneven compression within the tile. A shortfall
 * costs one more read (of the rest), never a wrong pixel.
 */
const PREFIX_SLACK_BYTES = 8192;

export interface OpenRasterOptions {
  /** Bytes of decoded blocks kept per open raster (default 32 MiB). */
  blockCacheBytes?: number;
  /**
   * Read a local file whole into memory at open (source/memorySource.ts): for small files
   * read entirely (tiling patches), where one read beats a read call per tag and block.
   * Ignored for http(s) URLs.
   */
  wholeFile?: boolean;
}

/** An open, validated GeoTIFF image at full resolution. Call `close()` when done. */
export class Raster {
  private decoder: Promise<BaseDecoder> | null = null;
  private readonly cache: BlockCache;

  private constructor(
    readonly file: string,
    private readonly source: ByteSource,
    private readonly image: GeoTIFFImage,
    readonly width: number,
    readonly height: number,
    readonly bandCount: number,
    readonly dataType: RasterDataType,
    readonly nodata: number | null,
    readonly geoTransform: GeoTransform | null,
    readonly geoKeys: RawGeoKeys | null,
    readonly compression: number,
    private readonly blockOffsets: readonly number[],
    private readonly blockByteCounts: readonly number[],
    /** TIFF Predictor: 1 none, 2 horizontal, 3 floating point. */
    readonly predictor: number,
    /** TIFF DateTime tag as written ('YYYY:MM:DD HH:MM:SS'), or null. */
    readonly tiffDateTime: string | null,
    /** GDAL band descriptions (GDAL_METADATA), null where a band has none. */
    readonly bandDescriptions: (string | null)[],
    cacheBytes: number,
  ) {
    this.cache = new BlockCache(cacheBytes);
  }

  /** Bytes read from the file so far (header, IFD and the blocks windows needed). */
  get bytesRead(): number {
    return this.source.bytesRead;
  }

  /** Read requests made so far (HTTP requests for a URL). */
  get requests(): number {
    return this.source.requests;
  }

  /** EPSG code of the CRS, or null when user-defined (proj4 must then be supplied) or absent. */
  get epsg(): number | null {
    return this.geoKeys ? epsgFromGeoKeys(this.geoKeys) : null;
  }

  get blockWidth(): number {
    return this.image.getTileWidth();
  }

  get blockHeight(): number {
    return this.image.getTileHeight();
  }

  /** 1 = samples interleaved in each block, 2 = one block set per band. */
  get planar(): 1 | 2 {
    return this.image.planarConfiguration;
  }

  get littleEndian(): boolean {
    return this.image.littleEndian;
  }

  /** Rows held by block row `by` (the last strip may be shorter). */
  blockRows(by: number): number {
    return this.image.getBlockHeight(by);
  }

  /**
   * The decoded bytes of block (bx, by) of `sample` (for planar 1 the sample is ignored:
   * the block holds all samples). Predictors are undone and samples are in host (little-endian) order.
   * @param rows rows needed from the top of the block; DEFLATE blocks then decode only those
   *   (the result may hold fewer rows than the block), other codecs decode whole blocks
   */
  async readBlock(sample: number, bx: number, by: number, rows?: number): Promise<ArrayBuffer> {
    const s = this.planar === 2 ? sample : 0;
    const blockRows = this.blockRows(by);
    const wanted = Math.min(blockRows, Math.max(1, rows ?? blockRows));
    const rowBytes = this.blockWidth * sampleEncoding[this.dataType].bytes * (this.planar === 1 ? this.bandCount : 1);
    const deflate = this.compression === 8 || this.compression === 32946;
    // DEFLATE blocks decode only the rows asked for; other codecs decode whole blocks.
    const need = deflate ? wanted * rowBytes : 0;
    return this.cache.get(`${s}/${bx}/${by}`, need, async () => {
      if (deflate) return this.inflateRows(s, bx, by, wanted, rowBytes);
      const decoder = await this.getDecoder();
      const block = await this.image.getTileOrStrip(bx, by, s, decoder);
      return this.toHostOrder(block.data as ArrayBuffer);
    });
  }

  /** The first `rows` rows of a DEFLATE block, predictor undone, in host byte order. */
  private async inflateRows(sample: number, bx: number, by: number, rows: number, rowBytes: number): Promise<ArrayBuffer> {
    const across = Math.ceil(this.width / this.blockWidth);
    const down = Math.ceil(this.height / this.blockHeight);
    const index = (this.planar === 2 ? sample * across * down : 0) + by * across + bx;
    const need = rows * rowBytes;
    const count = this.blockByteCounts[index]!;
    if (count === 0) {
      // A sparse block: GDAL reads it as nodata (0 without nodata).
      const data = new ArrayBuffer(need);
      if (this.nodata !== null && this.nodata !== 0) fillBlock(data, this.dataType, this.nodata);
      return data;
    }
    // Read about the fraction of the compressed block that the rows make of the whole (plus
    // slack for the stream's header and Huffman tables); the rest only if that falls short.
    const offset = this.blockOffsets[index]!;
    const whole = this.blockRows(by) * rowBytes;
    const first = need >= whole ? count : Math.min(count, Math.ceil((count * need) / whole) + PREFIX_SLACK_BYTES);
    const out = await inflatePrefix(
      first === count
        ? [() => this.source.read(offset, count)]
        : [() => this.source.read(offset, first), () => this.source.read(offset + first, count - first)],
      need,
    );
    if (out.byteLength < need) throw new Error(`${this.image.isTiled ? 'tile' : 'strip'} ${index}: DEFLATE data ends after ${out.byteLength} bytes, ${need} expected`);
    let data = out.byteOffset === 0 && out.buffer.byteLength === need ? (out.buffer as ArrayBuffer) : (out.buffer.slice(out.byteOffset, out.byteOffset + need) as ArrayBuffer);
    const bytes = sampleEncoding[this.dataType].bytes;
    const stride = this.planar === 1 ? this.bandCount : 1;
    const rowSamples = this.blockWidth * stride;
    if (this.predictor === 3) {
      undoFloatingPoint(data, rowSamples, stride, bytes);
      return data;
    }
    if (!this.littleEndian && bytes > 1) data = swapBytes(data, bytes);
    if (this.predictor === 2) undoHorizontal(data, rowSamples, stride, bytes, this.dataType === 'int16');
    return data;
  }

  /**
   * Big-endian files: geotiff.js decodes bytes in file order and would undo a horizontal
   * predictor on byte-swapped samples, so for them it runs without the predictor and we
   * swap, then accumulate. Its floating-point predictor already yields host order.
   */
  private toHostOrder(data: ArrayBuffer): ArrayBuffer {
    const bytes = sampleEncoding[this.dataType].bytes;
    if (this.littleEndian || bytes === 1 || this.predictor === 3) return data;
    const swapped = swapBytes(data, bytes);
    if (this.predictor === 2) {
      const stride = this.planar === 1 ? this.bandCount : 1;
      undoHorizontal(swapped, this.blockWidth * stride, stride, bytes, this.dataType === 'int16');
    }
    return swapped;
  }

  async close(): Promise<void> {
    await this.source.close();
  }

  private getDecoder(): Promise<BaseDecoder> {
    if (!this.decoder) {
      this.decoder = (async () => {
        const ifd = this.image.fileDirectory;
        const bits = Array.from((await ifd.loadValue('BitsPerSample')) as ArrayLike<number>);
        return getDecoder(this.compression, {
          tileWidth: this.blockWidth,
          tileHeight: this.blockHeight,
          planarConfiguration: this.planar,
          bitsPerSample: bits,
          predictor: !this.littleEndian && this.predictor === 2 ? 1 : this.predictor,
        });
      })();
    }
    return this.decoder;
  }

  /** Opens and validates `file` (a path, `file://` or `http(s)://` URL). @throws InputError naming the file and the problem */
  static async open(file: string, options: OpenRasterOptions = {}): Promise<Raster> {
    let source: ByteSource;
    try {
      source = await openByteSource(file, { wholeFile: options.wholeFile ?? false });
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new InputError(file, `cannot open: ${why.startsWith(`${file}: `) ? why.slice(file.length + 2) : why}`);
    }
    try {
      return await Raster.validate(file, source, options);
    } catch (err) {
      await source.close();
      if (err instanceof InputError) throw err;
      throw new InputError(file, `not a readable GeoTIFF: ${(err as Error).message}`);
    }
  }

  private static async validate(file: string, source: ByteSource, options: OpenRasterOptions): Promise<Raster> {
    const head = await source.read(0, 16);
    const tag = String.fromCharCode(head[0]!, head[1]!);
    const le = tag === 'II';
    const magic = le ? head[2]! | (head[3]! << 8) : (head[2]! << 8) | head[3]!;
    if (source.size < 8 || (tag !== 'II' && tag !== 'MM') || (magic !== 42 && magic !== 43)) {
      throw new InputError(file, `not a TIFF file (${source.size} bytes, header ${Buffer.from(head.subarray(0, 4)).toString('hex')})`);
    }
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const firstIfd = magic === 42 ? view.getUint32(4, le) : Number(view.getBigUint64(8, le));
    if (firstIfd < 8 || firstIfd >= source.size) throw new InputError(file, `truncated or corrupt: first IFD at byte ${firstIfd}, file has ${source.size} bytes`);

    const tiff = await GeoTIFF.fromSource(source as unknown as Parameters<typeof GeoTIFF.fromSource>[0]);
    const image = await tiff.getImage(0);
    const ifd = image.fileDirectory;
    const compression = Number((await ifd.loadValue('Compression')) ?? 1);
    if (!SUPPORTED_COMPRESSIONS.has(compression)) throw new InputError(file, `unsupported compression ${compressionLabel(compression)}`);

    const spp = image.getSamplesPerPixel();
    const bits = Array.from(((await ifd.loadValue('BitsPerSample')) as ArrayLike<number> | undefined) ?? [1]);
    const formats = Array.from(((await ifd.loadValue('SampleFormat')) as ArrayLike<number> | undefined) ?? [1]);
    const types = new Set<RasterDataType | null>();
    for (let i = 0; i < spp; i++) types.add(dataTypeFor(bits[i] ?? bits[0]!, formats[i] ?? formats[0]!));
    const dataType = [...types][0] ?? null;
    if (types.size !== 1 || dataType === null) {
      throw new InputError(file, `unsupported sample type (BitsPerSample ${bits.join(',')}, SampleFormat ${formats.join(',')}); co2sat reads UInt8, UInt16, Int16 and Float32`);
    }

    const { offsets, counts } = await checkByteRanges(file, image, source.size, spp, sampleEncoding[dataType].bytes);

    const keys = await rawGeoKeys(ifd);
    const geoTransform = await geoTransformOf(ifd, keys);
    const nodata = parseNodata((await ifd.loadValue('GDAL_NODATA')) as string | undefined);
    const dt = (await ifd.loadValue('DateTime')) as unknown;
    const descriptions = bandDescriptionsOf((await ifd.loadValue('GDAL_METADATA')) as string | undefined, spp);
    return new Raster(
      file,
      source,
      image,
      image.getWidth(),
      image.getHeight(),
      spp,
      dataType,
      nodata,
      geoTransform,
      keys,
      compression,
      offsets,
      counts,
      Number((await ifd.loadValue('Predictor')) ?? 1) || 1,
      typeof dt === 'string' ? dt.replace(/\0/g, '').trim() : null,
      descriptions,
      options.blockCacheBytes ?? 32 * 1024 * 1024,
    );
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Each band's DESCRIPTION from GDAL's GDAL_METADATA XML (`<Item name="DESCRIPTION"
 * sample="2" role="description">B03</Item>`), null where a band has none. One pass over the
 * XML: geotiff.js's getGDALMetadata(i) parses the whole document again for every band, which
 * was ~6 % of reading a 12-band patch.
 */
export function bandDescriptionsOf(xml: string | undefined, bands: number): (string | null)[] {
  const out = new Array<string | null>(bands).fill(null);
  if (!xml) return out;
  for (const m of xml.matchAll(/<Item\b([^>]*)>([^<]*)<\/Item>/g)) {
    const attrs = new Map([...(m[1] ?? '').matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const sample = Number(attrs.get('sample'));
    if (attrs.get('name') !== 'DESCRIPTION' || !Number.isInteger(sample) || sample < 0 || sample >= bands) continue;
    const text = (m[2] ?? '').replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!);
    if (text.length > 0) out[sample] = text;
  }
  return out;
}
