/**
 * The byte layer over HTTP: a COG (or another GeoTIFF) read with `Range` requests, so a window
 * costs the header plus the blocks it touches. All sources share one bound on requests in
 * flight (connections); geotiff.js's slices are merged where they touch before they are
 * requested; 5xx/429 answers, timeouts and stalls, connection resets and bodies shorter than
 * asked are retried with exponential backoff, and the last failure becomes one error naming
 * the URL, the byte range and the reason.
 */
import pLimit from 'p-limit';
import type { ByteSource, Slice } from './byteSource.js';

export interface HttpReadPolicy {
  /** Requests in flight across all HTTP sources. */
  connections: number;
  /** Tries per range, the first included. */
  attempts: number;
  /** Backoff before try n+1 is backoffMs · 2^(n-1). */
  backoffMs: number;
  /** A request (headers and body) that takes longer is aborted and retried. */
  timeoutMs: number;
  /** Bytes fetched with the first request; a COG's header and IFDs lie at the front. */
  headBytes: number;
  /** Slices closer than this are fetched as one range. */
  mergeGapBytes: number;
}

const DEFAULT_POLICY: HttpReadPolicy = { connections: 8, attempts: 5, backoffMs: 250, timeoutMs: 30_000, headBytes: 16 << 10, mergeGapBytes: 1 << 10 };
let policy: HttpReadPolicy = { ...DEFAULT_POLICY };
let limit = pLimit(policy.connections);

/** Changes the read policy (tests shorten backoff and timeouts); returns the one in force. */
export function setHttpReadPolicy(change: Partial<HttpReadPolicy>): HttpReadPolicy {
  policy = { ...policy, ...change };
  limit = pLimit(policy.connections);
  return { ...policy };
}

export function defaultHttpReadPolicy(): HttpReadPolicy {
  return { ...DEFAULT_POLICY };
}

/** Totals over every HTTP source of this process. */
export interface HttpReadTotals {
  requests: number;
  bytes: number;
  retries: number;
}
const totals: HttpReadTotals = { requests: 0, bytes: 0, retries: 0 };

export function httpReadTotals(): HttpReadTotals {
  return { ...totals };
}

/** What a server says about a resource's version, for incremental keys. */
export interface HttpValidators {
  etag: string | null;
  lastModified: string | null;
}

class RetryableError extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no complete answer within ${policy.timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

/** One ranged GET, tried `policy.attempts` times. Returns the bytes and the total size. */
async function getRange(url: string, start: number, length: number, counters: { requests: number; bytesRead: number }): Promise<{ bytes: Uint8Array; size: number; headers: Headers }> {
  const end = start + length - 1;
  let reason = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) {
      totals.retries++;
      await sleep(policy.backoffMs * 2 ** (attempt - 2));
    }
    try {
      return await limit(async () => {
        counters.requests++;
        totals.requests++;
        let res: Response;
        try {
          res = await fetch(url, { headers: { Range: `bytes=${start}-${end}` }, signal: AbortSignal.timeout(policy.timeoutMs) });
        } catch (err) {
          throw new RetryableError(describeFetchError(err));
        }
        if (res.status >= 500 || res.status === 429 || res.status === 408) {
          await res.body?.cancel();
          throw new RetryableError(`HTTP ${res.status}`);
        }
        if (res.status === 416) {
          await res.body?.cancel();
          throw new Error(`HTTP 416: range ${start}-${end} is outside the file`);
        }
        if (res.status !== 206 && res.status !== 200) {
          await res.body?.cancel();
          throw new Error(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
        }
        let body: Uint8Array;
        try {
          body = new Uint8Array(await res.arrayBuffer());
        } catch (err) {
          throw new RetryableError(describeFetchError(err));
        }
        counters.bytesRead += body.byteLength;
        totals.bytes += body.byteLength;
        if (res.status === 200) {
          // The server ignores Range: the body is the whole file.
          const declared = Number(res.headers.get('content-length') ?? body.byteLength);
          if (body.byteLength < declared) throw new RetryableError(`truncated body: ${body.byteLength} of ${declared} bytes`);
          return { bytes: body.subarray(start, start + length), size: body.byteLength, headers: res.headers };
        }
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
        if (!m || Number(m[1]) !== start) throw new Error(`answer to range ${start}-${end} has Content-Range '${res.headers.get('content-range') ?? ''}'`);
        const size = m[3] === '*' ? Number.NaN : Number(m[3]);
        const expected = Number(m[2]) - start + 1;
        if (body.byteLength < expected) throw new RetryableError(`truncated body: ${body.byteLength} of ${expected} bytes`);
        return { bytes: body.subarray(0, expected), size, headers: res.headers };
      });
    } catch (err) {
      if (!(err instanceof RetryableError)) throw new Error(`${url}: bytes ${start}-${end}: ${(err as Error).message}`);
      reason = err.message;
    }
  }
  throw new Error(`${url}: bytes ${start}-${end}: failed after ${policy.attempts} tries, last: ${reason}`);
}

/** A remote file as a ByteSource. */
export class HttpByteSource implements ByteSource {
  bytesRead = 0;
  requests = 0;

  private constructor(
    readonly path: string,
    readonly size: number,
    /** The first bytes, fetched at open; header and IFD reads are served from here. */
    private readonly head: Uint8Array,
    readonly validators: HttpValidators,
  ) {}

  static async open(url: string): Promise<HttpByteSource> {
    const counters = { requests: 0, bytesRead: 0 };
    const { bytes, size, headers } = await getRange(url, 0, policy.headBytes, counters);
    if (!Number.isFinite(size)) throw new Error(`${url}: the server does not say the file size (Content-Range total '*')`);
    const source = new HttpByteSource(url, size, bytes.slice(0, Math.min(bytes.byteLength, size)), {
      etag: headers.get('etag'),
      lastModified: headers.get('last-modified'),
    });
    source.requests = counters.requests;
    source.bytesRead = counters.bytesRead;
    return source;
  }

  get fileSize(): number {
    return this.size;
  }

  // The ByteSource contract (zero-padded past the end) is fileSource.ts's too; the two share
  // its shape, not its I/O, which is why they are two classes behind one interface.
  async read(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    const available = Math.max(0, Math.min(length, this.size - offset));
    if (available === 0) return out;
    if (offset + available <= this.head.byteLength) {
      out.set(this.head.subarray(offset, offset + available));
      return out;
    }
    const { bytes } = await getRange(this.path, offset, available, this);
    out.set(bytes);
    return out;
  }

  /** geotiff.js's block reads: touching or near slices become one request. */
  async fetch(slices: Slice[]): Promise<ArrayBuffer[]> {
    const order = slices.map((s, i) => ({ ...s, i })).sort((a, b) => a.offset - b.offset);
    const groups: { offset: number; end: number; members: typeof order }[] = [];
    for (const s of order) {
      const last = groups[groups.length - 1];
      if (last && s.offset <= last.end + policy.mergeGapBytes) {
        last.end = Math.max(last.end, s.offset + s.length);
        last.members.push(s);
      } else {
        groups.push({ offset: s.offset, end: s.offset + s.length, members: [s] });
      }
    }
    const results: ArrayBuffer[] = new Array<ArrayBuffer>(slices.length);
    await Promise.all(
      groups.map(async (g) => {
        const bytes = await this.read(g.offset, g.end - g.offset);
        for (const s of g.members) results[s.i] = bytes.slice(s.offset - g.offset, s.offset - g.offset + s.length).buffer as ArrayBuffer;
      }),
    );
    return results;
  }

  async close(): Promise<void> {
    // Nothing held: connections belong to the shared fetch pool.
  }
}

/** ETag and Last-Modified of a URL (a HEAD request, tried like a read), for incremental keys. */
export async function httpValidators(url: string): Promise<HttpValidators> {
  const { headers } = await getRange(url, 0, 1, { requests: 0, bytesRead: 0 });
  return { etag: headers.get('etag'), lastModified: headers.get('last-modified') };
}
