/**
 * The CSV base of co2sat's input tables (labels, weather, hourly series, plant lists), on
 * csv-parse: quoted fields with newlines and doubled quotes, a UTF-8 byte-order mark, and the
 * delimiter found from the header (`,`, `;` as European Excel writes, or tab). Rows come back
 * as header → cell maps with the line each starts on, so every typed parser names the file,
 * the line and the column of what it rejects.
 */
import { readFileSync } from 'node:fs';
import { parse, type CsvError } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { parseZonedTime, type TimeOptions } from './time.js';

export interface CsvRow {
  /** 1-based line on which the row starts. */
  lineNo: number;
  cells: Readonly<Record<string, string>>;
}

export interface CsvTable {
  header: string[];
  delimiter: string;
  rows: CsvRow[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The delimiter used most often in the header line, outside quotes (`,` when none is). */
export function detectDelimiter(text: string): string {
  const body = text.replace(/^\uFEFF/, '');
  let header = '';
  let quoted = false;
  for (const ch of body) {
    if (ch === '"') quoted = !quoted;
    else if ((ch === '\n' || ch === '\r') && !quoted) {
      if (header.trim().length > 0) break;
      header = '';
      continue;
    }
    if (!quoted) header += ch;
  }
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = header.split(d).length - 1;
    if (n > bestCount) [best, bestCount] = [d, n];
  }
  return best;
}

/**
 * Parses CSV text with a header line; every `required` column must be present.
 * @throws InputError naming the file (and line) for a missing column, a row with another
 *   number of fields than the header, or an unclosed quote.
 */
export function parseCsvTable(text: string, file: string, required: readonly string[]): CsvTable {
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info: true` csv-parse returns { record, info } per row; its typings do not say so.
    records = parse(text, { bom: true, delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    const where = e.lines !== undefined ? `line ${e.lines}: ` : '';
    throw new InputError(file, `${where}not readable as CSV (${e.message.replace(/ at line \d+$/, '')})`);
  }
  const first = records[0];
  if (first === undefined) throw new InputError(file, 'empty file (expected a header line)');
  const header = first.record;
  for (const col of required) {
    if (!header.includes(col)) {
      const shown = delimiter === '\t' ? 'tab' : `'${delimiter}'`;
      throw new InputError(file, `missing column '${col}' (header, split on ${shown}: ${header.join(', ')})`);
    }
  }
  // Line numbers from byte offsets: csv-parse's own line count takes a CRLF inside a quoted
  // field for two lines. Each row starts after the previous one's bytes and the blank lines after them.
  const bytes = Buffer.from(text, 'utf8');
  let line = 1;
  let pos = 0;
  const advanceTo = (end: number): void => {
    for (; pos < end; pos++) {
      const b = bytes[pos];
      if (b === 0x0a || (b === 0x0d && bytes[pos + 1] !== 0x0a)) line++;
    }
  };
  advanceTo(first.info.bytes);
  const rows: CsvRow[] = [];
  for (const { record, info } of records.slice(1)) {
    while (pos < bytes.length && (bytes[pos] === 0x0a || bytes[pos] === 0x0d)) advanceTo(pos + 1);
    const lineNo = line;
    advanceTo(info.bytes);
    if (record.length !== header.length) throw new InputError(file, `line ${lineNo}: expected ${header.length} fields, got ${record.length}`);
    const cells: Record<string, string> = {};
    header.forEach((h, j) => (cells[h] = record[j] ?? ''));
    rows.push({ lineNo, cells });
  }
  return { header, delimiter, rows };
}

/** `parseCsvTable(...).rows`. */
export function readCsv(text: string, file: string, required: readonly string[]): CsvRow[] {
  return parseCsvTable(text, file, required).rows;
}

/** The text of a CSV file. @throws InputError naming the file */
export function readCsvText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function cellError(file: string, row: CsvRow, col: string, problem: string): InputError {
  return new InputError(file, `line ${row.lineNo}, column '${col}': ${problem}`);
}

/**
 * A blank (or `NA`/`null`) cell is a missing value; anything else must be a finite number. A
 * decimal comma (`412,5`, as European spreadsheets write) is read as a decimal point.
 */
export function optionalNumber(row: CsvRow, col: string, file: string): number | null {
  const s = row.cells[col] ?? '';
  if (s === '' || s.toLowerCase() === 'na' || s.toLowerCase() === 'null') return null;
  const n = Number(/^[+-]?\d+,\d+$/.test(s) ? s.replace(',', '.') : s);
  if (!Number.isFinite(n)) throw cellError(file, row, col, `'${s}' is not a number`);
  return n;
}

/** A non-empty string cell. */
export function requiredString(row: CsvRow, col: string, file: string): string {
  const s = row.cells[col] ?? '';
  if (s.length === 0) throw cellError(file, row, col, 'is empty');
  return s;
}

/** A datetime cell with a zone (see time.ts), as epoch milliseconds. */
export function requiredTime(row: CsvRow, col: string, file: string, o: TimeOptions = {}): number {
  const t = parseZonedTime(requiredString(row, col, file), o);
  if (typeof t === 'string') throw cellError(file, row, col, t);
  return t;
}

/** Shortest decimal for a value rounded to `digits` places (no trailing zeros, no "-0"). */
export function formatDecimal(value: number, digits: number): string {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return String(Object.is(r, -0) ? 0 : r);
}
