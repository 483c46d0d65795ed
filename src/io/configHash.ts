/**
 * Hashes of what a run's outputs depend on, so the state file can tell which outputs a
 * new model or config invalidates: a canonical JSON (keys sorted) hashed with SHA-256.
 */
import { createHash } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

/** JSON with object keys sorted at every level; undefined members dropped. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
}

/** First 16 hex digits of SHA-256 over the canonical JSON of `value`. */
export function configHash(value: Json): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

/** First 16 hex digits of SHA-256 of some text or bytes (file contents, record lines). */
export function contentHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

export type { Json };
