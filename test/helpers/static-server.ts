// A loopback static HTTP server over a folder (node:http), for tests and benches that read a
// store "remotely": GET and HEAD, single byte ranges (`bytes=a-b`, `bytes=a-`, `bytes=-n`:
// 206 with Content-Range; 416 when unsatisfiable), CORS / CORP headers for Chromium, and an
// injected latency per request (the response starts `latencyMs` after the request arrives).
// `stats` counts requests and body bytes sent, to turn latency into a budget.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';

export interface StaticServerOptions {
  /** Milliseconds to wait before answering each request (default 0). */
  latencyMs?: number;
}

export interface StaticServerStats {
  /** Requests answered (any status). */
  requests: number;
  /** Requests that asked for a byte range. */
  rangeRequests: number;
  /** Body bytes sent. */
  bytes: number;
  /**
   * Milliseconds the answers were actually held back, summed (≥ latencyMs each: a timer fires
   * late on a loaded machine, and a benchmark should count the latency that was really injected).
   */
  delayMs: number;
  /** Most requests open at once (arrived, response not finished). */
  maxInFlight: number;
  /** Time-average of the requests open, over the time at least one was (ms·requests / ms). */
  meanInFlight: number;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` (the folder's root). */
  readonly url: string;
  readonly stats: StaticServerStats;
  /** The latency, changeable between phases of a bench. */
  latencyMs: number;
  resetStats(): void;
  close(): Promise<void>;
}

const HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Accept-Ranges': 'bytes',
};

/** `[first, last]` (inclusive) of a single-range header for a body of `size`; null = whole body; 'bad' = 416. */
export function parseRange(header: string | undefined, size: number): [number, number] | null | 'bad' {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null; // not a single byte range: RFC 9110 lets us ignore it
  if (m[1] === '') {
    const suffix = Number(m[2]);
    return suffix === 0 || size === 0 ? 'bad' : [Math.max(0, size - suffix), size - 1];
  }
  const first = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return first >= size || last < first ? 'bad' : [first, last];
}

/** Serves `root` on 127.0.0.1 (a free port) until `close()`. */
export async function serveFolder(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const base = resolve(root);
  const stats: StaticServerStats = { requests: 0, rangeRequests: 0, bytes: 0, delayMs: 0, maxInFlight: 0, meanInFlight: 0 };
  let open = 0;
  let area = 0; // ∫ open dt (ms·requests)
  let busy = 0; // ms with open > 0
  let last = performance.now();
  const change = (d: number) => {
    const now = performance.now();
    area += open * (now - last);
    if (open > 0) busy += now - last;
    last = now;
    open += d;
    stats.maxInFlight = Math.max(stats.maxInFlight, open);
    stats.meanInFlight = busy > 0 ? area / busy : 0;
  };
  const state = { latencyMs: options.latencyMs ?? 0 };

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    if (req.method === 'OPTIONS') return void res.writeHead(204, HEADERS).end();
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, HEADERS).end();
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const abs = normalize(join(base, rel));
    let size = -1;
    try {
      const s = statSync(abs);
      if (s.isFile() && abs.startsWith(base + sep)) size = s.size;
    } catch {
      // absent: 404 below
    }
    if (size < 0) return void res.writeHead(404, HEADERS).end('not found');
    const range = parseRange(req.headers.range, size);
    if (req.headers.range !== undefined) stats.rangeRequests++;
    if (range === 'bad') return void res.writeHead(416, { ...HEADERS, 'Content-Range': `bytes */${size}` }).end();
    const [first, last] = range ?? [0, size - 1];
    const length = last - first + 1;
    const head = { ...HEADERS, 'Content-Length': String(Math.max(0, length)) };
    if (range) res.writeHead(206, { ...head, 'Content-Range': `bytes ${first}-${last}/${size}` });
    else res.writeHead(200, head);
    if (req.method === 'HEAD' || length <= 0) return void res.end();
    stats.bytes += length;
    createReadStream(abs, { start: first, end: last }).pipe(res);
  };

  const server = createServer((req, res) => {
    change(1);
    res.once('close', () => change(-1));
    if (state.latencyMs <= 0) return answer(req, res);
    const t0 = performance.now();
    setTimeout(() => {
      stats.delayMs += performance.now() - t0;
      answer(req, res);
    }, state.latencyMs);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    stats,
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    resetStats() {
      Object.assign(stats, { requests: 0, rangeRequests: 0, bytes: 0, delayMs: 0, maxInFlight: 0, meanInFlight: 0 });
      area = 0;
      busy = 0;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
