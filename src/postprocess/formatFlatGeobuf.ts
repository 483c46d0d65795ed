/**
 * Site features as FlatGeobuf, beside the GeoJSON: the same features, fields and declared
 * types (integers as Int, reals as Double, datetimes as DateTime), WGS 84 (EPSG:4326), no
 * spatial index. The `flatgeobuf` package's own `serialize` infers column types from the first
 * feature's values (every number a Double, a null a String), so the header is built here from
 * the declared field list with the package's header and feature builders.
 */
import type { Feature, Point } from 'geojson';
import { magicbytes } from 'flatgeobuf/lib/mjs/constants.js';
import { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';
import { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
import { buildFeature } from 'flatgeobuf/lib/mjs/generic/feature.js';
import { buildHeader } from 'flatgeobuf/lib/mjs/generic/featurecollection.js';
import { parseGeometry } from 'flatgeobuf/lib/mjs/geojson/geometry.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { FieldList, FieldType } from '../records/fieldTypes.js';

const COLUMN: Readonly<Record<FieldType, ColumnType>> = { string: ColumnType.String, integer: ColumnType.Int, real: ColumnType.Double, datetime: ColumnType.DateTime };

/** FlatGeobuf bytes of Point features with the declared fields. */
export function formatFlatGeobuf<P extends object>(features: readonly Feature<Point, P>[], fields: FieldList<P>): Uint8Array {
  const header: HeaderMeta = {
    geometryType: GeometryType.Point,
    columns: fields.map(([name, type]) => ({ name, type: COLUMN[type], title: null, description: null, width: -1, precision: -1, scale: -1, nullable: true, unique: false, primary_key: false })),
    envelope: null,
    featuresCount: features.length,
    indexNodeSize: 0,
    crs: null,
    title: null,
    description: null,
    metadata: null,
  };
  const parts = [magicbytes, buildHeader(header, 4326)];
  for (const f of features) {
    const properties: Record<string, string | number | null> = {};
    for (const [name, type] of fields) {
      const v = f.properties[name] as unknown;
      if (v === null || v === undefined) properties[name] = null;
      else if (type === 'integer' && !Number.isInteger(v)) throw new Error(`property ${name} must be an integer, got ${String(v)}`);
      else properties[name] = v as string | number;
    }
    parts.push(buildFeature(parseGeometry(f.geometry), properties, header));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
