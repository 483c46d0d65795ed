/**
 * Serialises one TIFF or BigTIFF image file directory. Entries are sorted by tag id (TIFF
 * requires it); values that do not fit in the entry's value field go right after the
 * directory, so the whole IFD is one contiguous buffer written at `ifdOffset`.
 */
import { FieldType, fieldTypeSize, type FieldTypeId } from './tags.js';

export interface IfdEntry {
  tag: number;
  type: FieldTypeId;
  /** Numbers for numeric types, a string (NUL appended here) for ASCII. */
  values: readonly number[] | string;
}

function encodeValues(e: IfdEntry): Buffer {
  if (e.type === FieldType.ASCII) {
    if (typeof e.values !== 'string') throw new TypeError(`tag ${e.tag}: ASCII needs a string`);
    return Buffer.from(`${e.values}\0`, 'latin1');
  }
  if (typeof e.values === 'string') throw new TypeError(`tag ${e.tag}: numeric type needs numbers`);
  const size = fieldTypeSize[e.type];
  const buf = Buffer.alloc(size * e.values.length);
  e.values.forEach((v, i) => {
    switch (e.type) {
      case FieldType.SHORT:
        buf.writeUInt16LE(v, i * size);
        break;
      case FieldType.LONG:
        buf.writeUInt32LE(v, i * size);
        break;
      case FieldType.DOUBLE:
        buf.writeDoubleLE(v, i * size);
        break;
      case FieldType.LONG8:
        buf.writeBigUInt64LE(BigInt(v), i * size);
        break;
    }
  });
  return buf;
}

/**
 * The IFD bytes for `entries` placed at byte `ifdOffset` of a little-endian file. The
 * next-IFD pointer is 0 (one image per file).
 */
export function encodeIfd(entries: readonly IfdEntry[], ifdOffset: number, bigTiff: boolean): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const countSize = bigTiff ? 8 : 2;
  const entrySize = bigTiff ? 20 : 12;
  const inline = bigTiff ? 8 : 4;
  const headerBytes = countSize + sorted.length * entrySize + (bigTiff ? 8 : 4);
  const encoded = sorted.map(encodeValues);
  let extra = 0;
  for (const v of encoded) if (v.length > inline) extra += v.length + (v.length % 2);
  const out = Buffer.alloc(headerBytes + extra);
  let p = 0;
  if (bigTiff) out.writeBigUInt64LE(BigInt(sorted.length), p);
  else out.writeUInt16LE(sorted.length, p);
  p += countSize;
  let tail = headerBytes;
  sorted.forEach((e, i) => {
    const v = encoded[i]!;
    const count = e.type === FieldType.ASCII ? v.length : (e.values as readonly number[]).length;
    out.writeUInt16LE(e.tag, p);
    out.writeUInt16LE(e.type, p + 2);
    if (bigTiff) out.writeBigUInt64LE(BigInt(count), p + 4);
    else out.writeUInt32LE(count, p + 4);
    const field = p + (bigTiff ? 12 : 8);
    if (v.length <= inline) {
      v.copy(out, field);
    } else {
      const at = ifdOffset + tail;
      if (bigTiff) out.writeBigUInt64LE(BigInt(at), field);
      else out.writeUInt32LE(at, field);
      v.copy(out, tail);
      tail += v.length + (v.length % 2);
    }
    p += entrySize;
  });
  // next IFD offset stays 0
  return out;
}
