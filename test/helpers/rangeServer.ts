/**
 * A real HTTP server on 127.0.0.1 serving a folder with Range support (206 + Content-Range,
 * ETag, Last-Modified), counting requests and body bytes sent, with optional faults per
 * request: a 503 answer, a stall (headers never sent), or a body cut short (the socket is
 * destroyed after half the bytes).
 */
import { createServer, type Server } from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export type Fault = 'ok' | '503' | 'stall' | 'truncate';

export interface RangeServer {
  url: string;
  /** Requests answered (faults included) and body bytes sent. */
  stats: { requests: number; bytes: number; ranges: string[] };
  /** Decides the fault for request number n (0-based) of `file` and its Range header; default always 'ok'. */
  faults: (n: number, file: string, range: string) => Fault;
  close(): Promise<void>;
}

export async function startRangeServer(root: string): Promise<RangeServer> {
  const stalled = new Set<import('node:http').ServerResponse>();
  const state: RangeServer = {
    url: '',
    stats: { requests: 0, bytes: 0, ranges: [] },
    faults: () => 'ok',
    close: async () => {
      for (const r of stalled) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((res) => server.close(() => res()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    const n = state.stats.requests++;
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = path.resolve(root, rel);
    const fault = state.faults(n, rel, req.headers.range ?? '');
    if (fault === '503') {
      res.writeHead(503).end('busy');
      return;
    }
    if (fault === 'stall') {
      stalled.add(res);
      return;
    }
    let data: Buffer;
    let mtime: Date;
    try {
      if (!file.startsWith(path.resolve(root))) throw new Error('outside');
      data = await fs.readFile(file);
      mtime = (await fs.stat(file)).mtime;
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    const headers = { 'Accept-Ranges': 'bytes', ETag: `"${data.length}-${mtime.getTime()}"`, 'Last-Modified': mtime.toUTCString() };
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let body = data;
    if (m) {
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : data.length - 1, data.length - 1);
      if (start >= data.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}` }).end();
        return;
      }
      body = data.subarray(start, end + 1);
      state.stats.ranges.push(`${rel}:${start}-${end}`);
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${data.length}`, 'Content-Length': body.length });
    } else {
      res.writeHead(200, { ...headers, 'Content-Length': body.length });
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (fault === 'truncate') {
      const half = body.subarray(0, Math.floor(body.length / 2));
      state.stats.bytes += half.length;
      res.write(half, () => res.destroy());
      return;
    }
    state.stats.bytes += body.length;
    res.end(body);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
