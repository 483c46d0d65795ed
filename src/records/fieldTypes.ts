/**
 * Declared field types for the tables and layers co2sat writes for GIS (aggregate GeoJSON,
 * FlatGeobuf, predictions CSV and GeoJSONSeq). OGR infers a field's type from the values it
 * sees — `500` is an Integer, `500.0` a Real — so a field must never depend on the data of one
 * run: every field has a declared type, reals are always written with a decimal point or an
 * exponent, integers never are.
 */
export type FieldType = 'string' | 'integer' | 'real' | 'datetime';

/** A field list: property name and declared type, in the order written. */
export type FieldList<P> = readonly (readonly [keyof P & string, FieldType])[];

/** A real as text that always reads back as a double (`500.0`, `1.5e-7`), 6 decimals. */
export function formatReal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as a number`);
  const r = Number(v.toFixed(6));
  const text = JSON.stringify(Object.is(r, -0) ? 0 : r);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** A value as JSON text of its declared type; `null` for null. @throws Error naming the field */
export function formatJsonValue(name: string, type: FieldType, v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (type) {
    case 'string':
    case 'datetime':
      if (typeof v !== 'string') throw new Error(`property ${name} must be a string, got ${typeof v}`);
      return JSON.stringify(v);
    case 'integer':
      if (!Number.isInteger(v)) throw new Error(`property ${name} must be an integer, got ${String(v)}`);
      return String(v);
    case 'real':
      if (typeof v !== 'number') throw new Error(`property ${name} must be a number, got ${typeof v}`);
      return formatReal(v);
  }
}

/** GDAL's CSVT names of the types (the `.csvt` sidecar of a CSV file). */
export const CSVT_TYPE: Readonly<Record<FieldType, string>> = { string: 'String', integer: 'Integer', real: 'Real', datetime: 'DateTime' };
