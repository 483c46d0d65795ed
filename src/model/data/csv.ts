/**
 * A small CSV reader for co2sat's own tables (labels.csv, weather.csv): a header line,
 * comma-separated fields, optional double quotes. Returns rows as header → cell maps with
 * their 1-based line numbers, so each typed parser can name the line it rejects.
 */
import { InputError } from '../../errors.js';

export interface CsvRow {
  lineNo: number;
  cells: Readonly<Record<string, string>>;
}

/** Splits one CSV line into fields; `""` inside quotes is a literal quote. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

/**
 * Parses CSV text with a header; every `required` column must be present.
 * @throws InputError naming the file (and line) on a missing column or a short row.
 */
export function readCsv(text: string, file: string, required: readonly string[]): CsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIdx = lines.findIndex((l) => l.trim().length > 0);
  if (headerIdx < 0) throw new InputError(file, 'empty file (expected a header line)');
  const header = splitCsvLine(lines[headerIdx]!);
  for (const col of required) {
    if (!header.includes(col)) throw new InputError(file, `missing column '${col}' (header: ${header.join(',')})`);
  }
  const rows: CsvRow[] = [];
  for (let i = headerIdx + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().length === 0) continue;
    const fields = splitCsvLine(line);
    if (fields.length !== header.length) {
      throw new InputError(file, `line ${i + 1}: expected ${header.length} fields, got ${fields.length}`);
    }
    const cells: Record<string, string> = {};
    header.forEach((h, j) => (cells[h] = fields[j]!));
    rows.push({ lineNo: i + 1, cells });
  }
  return rows;
}

/** A blank cell is a missing value; anything else must be a finite number. */
export function optionalNumber(row: CsvRow, col: string, file: string): number | null {
  const s = row.cells[col] ?? '';
  if (s === '' || s.toLowerCase() === 'na' || s.toLowerCase() === 'null') return null;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new InputError(file, `line ${row.lineNo}: ${col} '${s}' is not a number`);
  return n;
}

/** A non-empty string cell. */
export function requiredString(row: CsvRow, col: string, file: string): string {
  const s = row.cells[col] ?? '';
  if (s.length === 0) throw new InputError(file, `line ${row.lineNo}: ${col} is empty`);
  return s;
}

/** An ISO 8601 datetime cell, returned as epoch milliseconds (the join key's time part). */
export function requiredTime(row: CsvRow, col: string, file: string): number {
  const s = requiredString(row, col, file);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new InputError(file, `line ${row.lineNo}: ${col} '${s}' is not an ISO 8601 datetime`);
  return t;
}
