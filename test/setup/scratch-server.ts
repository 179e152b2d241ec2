// globalSetup of every project: a loopback HTTP server holding files in memory, so that a test
// (in Node or in Chromium) can upload a folder it wrote (PUT) and read it back over real HTTP
// with Range requests (GET / HEAD, CORS and CORP headers for a cross-origin-isolated page).
//   PUT  /<path>             stores the body
//   GET  /<path>, HEAD       serves it (Range: bytes=a-b and bytes=a-; 404 when absent)
//   GET  /__log/<prefix>     JSON list of the GET requests under <prefix>: [{ path, range }]
//   ?delay=<ms> on any GET    answers after that many milliseconds (latency injection)
// Its base URL reaches the tests through provide/inject ('scratchBaseUrl').
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>/`: the in-memory scratch server. */
    scratchBaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const files = new Map<string, Buffer>();
  const log: Array<{ path: string; range: string | null }> = [];
  const server = createServer((req, res) => {
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, HEAD, PUT',
      'Access-Control-Allow-Headers': 'Range, Content-Type',
      'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, headers).end();
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (req.method === 'PUT') {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        files.set(path, Buffer.concat(parts));
        res.writeHead(201, headers).end();
      });
      return;
    }
    if (path.startsWith('__log/')) {
      const prefix = path.slice('__log/'.length);
      return void res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(JSON.stringify(log.filter((r) => r.path.startsWith(prefix))));
    }
    const answer = () => {
      const data = files.get(path);
      if (req.method === 'GET') log.push({ path, range: req.headers.range ?? null });
      if (!data) return void res.writeHead(404, headers).end('not found');
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (m) {
        const first = Number(m[1]);
        if (first >= data.length) return void res.writeHead(416, { ...headers, 'Content-Range': `bytes */${data.length}` }).end();
        const last = Math.min(m[2] === '' ? data.length - 1 : Number(m[2]), data.length - 1);
        res.writeHead(206, { ...headers, 'Content-Range': `bytes ${first}-${last}/${data.length}`, 'Content-Length': String(last - first + 1), 'Accept-Ranges': 'bytes' });
        return void res.end(req.method === 'HEAD' ? undefined : data.subarray(first, last + 1));
      }
      res.writeHead(200, { ...headers, 'Content-Length': String(data.length), 'Accept-Ranges': 'bytes' });
      res.end(req.method === 'HEAD' ? undefined : data);
    };
    const delay = Number(url.searchParams.get('delay') ?? 0);
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('scratchBaseUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
