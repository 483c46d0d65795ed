/**
 * The base every JSON-lines record format shares (tiles manifest, predictions): one object
 * per line, required string fields, ISO 8601 times, errors naming the line. Each format's
 * module adds its own fields and raises its own error type through `fail`.
 */

/** Raises the format's own error for a bad line (never returns). */
export type LineFailure = (lineNo: number, problem: string) => never;

/** The JSON object on one line, or `fail` naming the line. */
export function parseObjectLine(line: string, lineNo: number, fail: LineFailure): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    fail(lineNo, 'not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(lineNo, 'not a JSON object');
  return raw as Record<string, unknown>;
}

/** Every key holds a non-empty string, and `datetime` (when listed) parses as ISO 8601. */
export function requireStrings(r: Record<string, unknown>, keys: readonly string[], lineNo: number, fail: LineFailure): void {
  for (const key of keys) {
    if (typeof r[key] !== 'string' || (r[key] as string).length === 0) fail(lineNo, `${key} must be a non-empty string`);
  }
  if (keys.includes('datetime') && Number.isNaN(Date.parse(r['datetime'] as string))) fail(lineNo, `datetime '${String(r['datetime'])}' is not ISO 8601`);
}
