// Test helpers: where the real NS1 release is, and a real HTTP server on loopback serving it
// with injectable faults (dropped connections, ignored ranges, trickled bodies, 404s).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { findNs1 as findNs1Shared } from '../../helpers/ns1-data.js';


/** The NS1 release folder, or null (with the reason) when absent; under CI=true absence throws. */
export const findNs1 = () => findNs1Shared('download tests');

export interface Fault {
  /** Destroy the socket after sending this many body bytes (first `times` requests of the path). */
  dropAfter?: number;
  times?: number;
  /** Answer 200 with the whole file even when a Range is asked. */
  ignoreRange?: boolean;
  /** Send the body in pieces of `chunk` bytes, `delayMs` apart. */
  trickle?: { chunk: number; delayMs: number };
  /** Answer with this status and no file. */
  status?: number;
  /** Serve these bytes instead of a file (Content-Type given). */
  body?: Uint8Array;
  contentType?: string;
}

export interface LoggedRequest {
  path: string;
  range: string | undefined;
}

export interface TestServer {
  url: string;
  requests: LoggedRequest[];
  faults: Map<string, Fault>;
  close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (port 0) serving `dir`. */
export async function startServer(dir: string): Promise<TestServer> {
  const requests: LoggedRequest[] = [];
  const faults = new Map<string, Fault>();
  const served = new WeakMap<Fault, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const range = req.headers.range;
    requests.push({ path, range });
    const fault = faults.get(path) ?? {};
    const n = (served.get(fault) ?? 0) + 1; // requests under this fault
    served.set(fault, n);
    if (fault.status) {
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`status ${fault.status}`);
      return;
    }
    let data: Uint8Array;
    if (fault.body) data = fault.body;
    else {
      const abs = join(dir, ...path.split('/'));
      if (path.includes('..') || !existsSync(abs) || !(await stat(abs)).isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      data = await readFile(abs);
    }
    let start = 0;
    let status = 200;
    const headers: Record<string, string> = { 'content-type': fault.contentType ?? 'application/octet-stream', 'accept-ranges': 'bytes' };
    const m = range && !fault.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) {
      start = Number(m[1]);
      if (start >= data.length) {
        res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
    }
    const body = data.subarray(start);
    headers['content-length'] = String(body.length);
    res.writeHead(status, headers);
    const drop = fault.dropAfter !== undefined && n <= (fault.times ?? 1) ? fault.dropAfter : undefined;
    if (drop !== undefined) {
      res.write(body.subarray(0, drop), () => setTimeout(() => res.socket?.end(), 20)); // FIN, not RST: a reset may discard bytes not yet read
      return;
    }
    if (fault.trickle) {
      const { chunk, delayMs } = fault.trickle;
      for (let off = 0; off < body.length; off += chunk) {
        if (res.destroyed) return;
        res.write(body.subarray(off, off + chunk));
        await new Promise((r) => setTimeout(r, delayMs));
      }
      res.end();
      return;
    }
    res.end(body);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.destroy(e as Error);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
