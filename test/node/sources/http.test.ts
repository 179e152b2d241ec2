// HttpSource against a real loopback node:http server: Range reads (206 + Content-Range), a
// server that ignores Range (200, sliced), HEAD sizes, listing from the file list, 404, a lying
// Content-Range, connection refused; and NS1 built over HTTP.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSource, HttpSourceError, FormatError, ValueError } from '../../../src/index.js';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 255);
const FILES = new Map<string, Uint8Array>([
  ['a.bin', bytes(100)],
  ['dir/b c.bin', bytes(10)],
  ['dir/sub/d.bin', bytes(3)],
]);

type Mode = 'range' | 'ignore-range' | 'bad-range';
interface Log { method: string; url: string; range: string | undefined }

function serve(mode: Mode, log: Log[]): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    log.push({ method: req.method!, url: req.url!, range: req.headers.range });
    const path = decodeURIComponent(req.url!.replace(/^\/base\//, ''));
    const body = FILES.get(path);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (m && mode !== 'ignore-range') {
      const first = Number(m[1]);
      if (first >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      const last = Math.min(m[2] === '' ? body.length - 1 : Number(m[2]), body.length - 1);
      const lie = mode === 'bad-range' ? 1 : 0; // claims to start one byte later than asked
      res.writeHead(206, { 'Content-Range': `bytes ${first + lie}-${last}/${body.length}`, 'Content-Length': String(last - first + 1) });
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(body.subarray(first, last + 1)));
      return;
    }
    res.writeHead(200, { 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const base = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/base/`;
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

describe('HttpSource', () => {
  const log: Log[] = [];
  const ignoreLog: Log[] = [];
  let ranged: Server, ignoring: Server, lying: Server;
  beforeAll(async () => {
    [ranged, ignoring, lying] = await Promise.all([serve('range', log), serve('ignore-range', ignoreLog), serve('bad-range', [])]);
  });
  afterAll(async () => {
    await Promise.all([close(ranged), close(ignoring), close(lying)]);
  });

  it('reads whole files and byte ranges with Range requests (end clamped, empty ranges without a request)', async () => {
    const src = new HttpSource(base(ranged));
    expect(src.root).toBe(base(ranged));
    expect(await src.read('a.bin')).toEqual(FILES.get('a.bin'));
    log.length = 0;
    expect(await src.read('a.bin', 10, 20)).toEqual(FILES.get('a.bin')!.subarray(10, 20));
    expect(log).toEqual([{ method: 'GET', url: '/base/a.bin', range: 'bytes=10-19' }]);
    expect(await src.read('a.bin', 95)).toEqual(FILES.get('a.bin')!.subarray(95));
    expect(log[1].range).toBe('bytes=95-');
    expect(await src.read('a.bin', 98, 1000)).toEqual(FILES.get('a.bin')!.subarray(98));
    expect(await src.read('a.bin', 100, 200)).toEqual(new Uint8Array(0)); // 416 → empty
    const before = log.length;
    expect(await src.read('a.bin', 5, 5)).toEqual(new Uint8Array(0));
    expect(log.length).toBe(before);
    expect(await src.read('dir/b c.bin', 2, 4)).toEqual(FILES.get('dir/b c.bin')!.subarray(2, 4));
    expect(log[log.length - 1].url).toBe('/base/dir/b%20c.bin');
  });

  it('a server that ignores Range: the full 200 body is sliced', async () => {
    const src = new HttpSource(base(ignoring));
    expect(await src.read('a.bin', 30, 33)).toEqual(Uint8Array.from([(30 * 7 + 3) & 255, (31 * 7 + 3) & 255, (32 * 7 + 3) & 255]));
    expect(ignoreLog[0].range).toBe('bytes=30-32');
    expect(await src.read('a.bin', 99, 500)).toEqual(Uint8Array.from([(99 * 7 + 3) & 255]));
  });

  it('stat: sizes from the file list without a request; else HEAD; 404 → null', async () => {
    const src = new HttpSource(base(ranged), { files: [{ path: 'a.bin', size: 100 }, { path: 'dir/sub/d.bin', size: 3 }] });
    log.length = 0;
    expect(await src.stat('a.bin')).toEqual({ kind: 'file', size: 100 });
    expect(await src.stat('dir')).toEqual({ kind: 'directory', size: 0 });
    expect(await src.stat('')).toEqual({ kind: 'directory', size: 0 });
    expect(log).toHaveLength(0);
    expect(await src.stat('dir/b c.bin')).toEqual({ kind: 'file', size: 10 }); // not listed: HEAD
    expect(log).toEqual([{ method: 'HEAD', url: '/base/dir/b%20c.bin', range: undefined }]);
    expect(await src.stat('none.bin')).toBeNull();
  });

  it('complete: a path the list does not name is absent without a request; a listed file without a size still asks', async () => {
    const src = new HttpSource(base(ranged), { files: [{ path: 'a.bin' }, { path: 'dir/sub/d.bin', size: 3 }], complete: true });
    log.length = 0;
    expect(await src.stat('dir/b c.bin')).toBeNull(); // on the server, but not listed
    expect(await src.stat('none.bin')).toBeNull();
    expect(await src.stat('dir/sub')).toEqual({ kind: 'directory', size: 0 });
    expect(log).toHaveLength(0);
    expect(await src.stat('a.bin')).toEqual({ kind: 'file', size: 100 }); // listed, size unknown: HEAD
    expect(log).toEqual([{ method: 'HEAD', url: '/base/a.bin', range: undefined }]);
  });

  it('lists from the file list; without one, listing is a ValueError', async () => {
    const src = new HttpSource(base(ranged), { files: [{ path: 'a.bin' }, { path: 'dir/b c.bin' }, { path: 'dir/sub/d.bin' }] });
    expect(await src.list('')).toEqual([{ name: 'a.bin', kind: 'file' }, { name: 'dir', kind: 'directory' }]);
    expect(await src.list('dir')).toEqual([{ name: 'b c.bin', kind: 'file' }, { name: 'sub', kind: 'directory' }]);
    expect(await src.list('nowhere')).toEqual([]);
    await expect(new HttpSource(base(ranged)).list('')).rejects.toThrow(ValueError);
    await expect(new HttpSource(base(ranged)).list('')).rejects.toThrow(/HTTP has no directory listing/);
  });

  it('404: HttpSourceError (a FormatError) naming the URL and the status', async () => {
    const src = new HttpSource(base(ranged));
    const e = await src.read('missing.bin').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpSourceError);
    expect(e).toBeInstanceOf(FormatError);
    expect((e as HttpSourceError).status).toBe(404);
    expect((e as HttpSourceError).url).toBe(`${base(ranged)}missing.bin`);
    expect((e as Error).message).toBe(`${base(ranged)}missing.bin: GET answered HTTP 404 Not Found`);
    await expect(src.read('missing.bin', 2, 4)).rejects.toThrow(`${base(ranged)}missing.bin: GET bytes 2-3 answered HTTP 404 Not Found`);
  });

  it('a 206 whose Content-Range is not the range asked for is an error', async () => {
    const src = new HttpSource(base(lying));
    await expect(src.read('a.bin', 10, 20)).rejects.toThrow(/a\.bin: 206 reply covers bytes 11-19 with 10 bytes of body; asked for 10-19/);
  });

  it('connection refused: HttpSourceError saying so, without a status', async () => {
    const s = await serve('range', []);
    const url = base(s);
    await close(s);
    const e = await new HttpSource(url).read('a.bin').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpSourceError);
    expect((e as HttpSourceError).status).toBeUndefined();
    expect((e as Error).message).toBe(`${url}a.bin: request failed: connection refused`);
    await expect(new HttpSource(url).stat('x.bin')).rejects.toThrow(/x\.bin: request failed: connection refused/);
  });

  it('rejects base URLs that are not absolute http(s) URLs', () => {
    expect(() => new HttpSource('/relative/')).toThrow(/"\/relative\/" is not an absolute URL/);
    expect(() => new HttpSource('file:///tmp/')).toThrow(/is not an http\(s\) URL/);
  });
});
