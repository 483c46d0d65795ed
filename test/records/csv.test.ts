/** The CSV base every input table shares, and the zone rule for its datetimes. */
import { describe, expect, it } from 'vitest';
import { detectDelimiter, optionalNumber, parseCsvTable, requiredTime } from '../../src/records/csv.js';
import { parseLabelsCsv } from '../../src/records/labels.js';
import { parseZonedTime } from '../../src/records/time.js';

describe('parseCsvTable', () => {
  it("reads a European Excel export: ';', a byte-order mark, CRLF, quoted newlines and decimal commas", () => {
    const text = '\uFEFFsite_id;datetime;note;generation_mw\r\nA;2024-05-17T10:25:59Z;"two\r\nlines; and ""quotes""";412,5\r\n\r\nB;2024-05-17T10:25:59Z;plain;7\r\n';
    const table = parseCsvTable(text, 'export.csv', ['site_id', 'generation_mw']);
    expect(table.delimiter).toBe(';');
    expect(table.header).toEqual(['site_id', 'datetime', 'note', 'generation_mw']);
    expect(table.rows.map((r) => r.cells.note)).toEqual(['two\r\nlines; and "quotes"', 'plain']);
    // B starts on line 5: the quoted newline and the blank line both count.
    expect(table.rows.map((r) => r.lineNo)).toEqual([2, 5]);
    const first = table.rows[0];
    if (first === undefined) throw new Error('no row');
    expect(optionalNumber(first, 'generation_mw', 'export.csv')).toBe(412.5);
  });
  it('finds tab and comma delimiters, ignoring delimiters inside quoted header names', () => {
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(detectDelimiter('"x;y",b,c\n')).toBe(',');
    expect(detectDelimiter('\n\nsite;time\n')).toBe(';');
  });
  it('names the file and line of a short row, an unclosed quote and a missing column', () => {
    expect(() => parseCsvTable('a,b\n1,2\n3\n', 'f.csv', [])).toThrow('f.csv: line 3: expected 2 fields, got 1');
    expect(() => parseCsvTable('a,b\n1,"2\n', 'f.csv', [])).toThrow(/^f\.csv: line 2: not readable as CSV \(Quote Not Closed/);
    expect(() => parseCsvTable('site_id;datum\nA;x\n', 'f.csv', ['datetime'])).toThrow("f.csv: missing column 'datetime' (header, split on ';': site_id, datum)");
  });
  it('names line and column of a cell that is not a number', () => {
    const [row] = parseCsvTable('id,v\nA,12 MW\n', 'f.csv', []).rows;
    if (row === undefined) throw new Error('no row');
    expect(() => optionalNumber(row, 'v', 'f.csv')).toThrow("f.csv: line 2, column 'v': '12 MW' is not a number");
  });
});

describe('datetimes carry a zone', () => {
  it('reads Z, ±hh:mm, ±hhmm, a space for T and fractions', () => {
    const at = Date.UTC(2024, 4, 17, 10, 26, 41);
    expect(parseZonedTime('2024-05-17T10:26:41Z')).toBe(at);
    expect(parseZonedTime('2024-05-17T12:26:41+02:00')).toBe(at);
    expect(parseZonedTime('2024-05-17 05:26:41-0500')).toBe(at);
    expect(parseZonedTime('2024-05-17T10:26:41.250Z')).toBe(at + 250);
    expect(parseZonedTime('2024-05-17T10:26Z')).toBe(at - 41_000);
  });
  it('refuses a zoneless datetime unless told the file is UTC, whatever the machine zone', () => {
    expect(parseZonedTime('2024-05-17T10:26:41')).toMatch(/has no time zone \(add Z or an offset such as \+01:00, or give option 'assume-utc'/);
    expect(parseZonedTime('2024-05-17T10:26:41', { assumeUtc: true })).toBe(Date.UTC(2024, 4, 17, 10, 26, 41));
    expect(parseZonedTime('2024-05-17')).toMatch(/has no time of day/);
    expect(parseZonedTime('2024-02-30T10:00:00Z')).toMatch(/not a valid date/);
    expect(parseZonedTime('17.05.2024 10:26')).toMatch(/not an ISO 8601 datetime/);
  });
  it('a table names the file, line and column of a zoneless time', () => {
    const text = 'site_id,datetime,active,generation_mw,co2_t_per_h\nA,2024-05-17T10:25:59Z,1,300,\nA,2024-05-18T10:25:59,1,310,\n';
    expect(() => parseLabelsCsv(text, 'labels.csv')).toThrow("labels.csv: line 3, column 'datetime': '2024-05-18T10:25:59' has no time zone");
    expect(parseLabelsCsv(text, 'labels.csv', { assumeUtc: true })[1]?.time_ms).toBe(Date.UTC(2024, 4, 18, 10, 25, 59));
    const [row] = parseCsvTable('t\n2024-05-17T10:25:59+01:00\n', 'f.csv', []).rows;
    if (row === undefined) throw new Error('no row');
    expect(requiredTime(row, 't', 'f.csv')).toBe(Date.UTC(2024, 4, 17, 9, 25, 59));
  });
});
