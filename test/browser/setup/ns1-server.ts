// globalSetup of the Chromium projects: a loopback HTTP server (node:http) serving the NS1
// release folder with Range support and the CORS / CORP headers a cross-origin-isolated page
// needs; `/norange/…` serves the same files ignoring Range. Its base URL reaches the tests
// through provide/inject ('ns1BaseUrl'; '' with 'ns1Missing' set when the release is absent).
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findNs1 } from '../../helpers/ns1-data.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>/` serving the NS1 release at `ns1/…` and `norange/ns1/…` ('' when absent). */
    ns1BaseUrl: string;
    /** Why the release is absent ('' when present). */
    ns1Missing: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { dir, reason } = findNs1('Chromium NS1 server');
  const server = createServer((req, res) => {
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Range',
      'Access-Control-Expose-Headers': 'Content-Range, Content-Length, Accept-Ranges',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (req.method === 'OPTIONS') return void res.writeHead(204, headers).end();
    const url = new URL(req.url ?? '/', 'http://x');
    const ignoreRange = url.pathname.startsWith('/norange/');
    const rel = decodeURIComponent(url.pathname.replace(/^\/(norange\/)?ns1\//, ''));
    const abs = normalize(join(dir ?? '/nonexistent', rel));
    let size = -1;
    try {
      const s = statSync(abs);
      if (s.isFile() && dir && abs.startsWith(normalize(dir) + sep)) size = s.size;
    } catch {
      // absent: 404 below
    }
    if (size < 0) return void res.writeHead(404, headers).end('not found');
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m && !ignoreRange) {
      const first = Number(m[1]);
      if (first >= size) return void res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
      const last = Math.min(m[2] === '' ? size - 1 : Number(m[2]), size - 1);
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${first}-${last}/${size}`, 'Content-Length': String(last - first + 1), 'Accept-Ranges': 'bytes' });
      if (req.method === 'HEAD') return void res.end();
      return void createReadStream(abs, { start: first, end: last }).pipe(res);
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(size), ...(ignoreRange ? {} : { 'Accept-Ranges': 'bytes' }) });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(abs).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  project.provide('ns1BaseUrl', dir ? `http://127.0.0.1:${port}/` : '');
  project.provide('ns1Missing', dir ? '' : reason);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
