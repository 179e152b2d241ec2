// The loopback static server of test/helpers/static-server.ts, which the multi-process sharding
// test and bench/zarr.bench.ts read stores through: ranges answered as RFC 9110 says (checked
// against slices of a file written here), 404 and 416, HEAD, the counters, and the injected
// latency (only its lower bound: never a timed assertion in the other direction).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange, serveFolder, type StaticServer } from '../../helpers/static-server.js';

const body = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31 + 7) & 255);

describe('serveFolder', () => {
  let dir: string;
  let server: StaticServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'static-server-'));
    mkdirSync(join(dir, 'a b'));
    writeFileSync(join(dir, 'a b', 'c.bin'), body);
    server = await serveFolder(dir);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (path: string, range?: string, method = 'GET') => fetch(server.url + path, { method, headers: range ? { Range: range } : {} });

  it('serves whole files and byte ranges', async () => {
    const whole = await get('a%20b/c.bin');
    expect(whole.status).toBe(200);
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(body);
    const cases: Array<[string, number, number]> = [['bytes=10-19', 10, 19], ['bytes=990-', 990, 999], ['bytes=-5', 995, 999], ['bytes=995-5000', 995, 999]];
    for (const [range, first, last] of cases) {
      const r = await get('a%20b/c.bin', range);
      expect(r.status).toBe(206);
      expect(r.headers.get('content-range')).toBe(`bytes ${first}-${last}/1000`);
      expect(new Uint8Array(await r.arrayBuffer())).toEqual(body.slice(first, last + 1));
    }
  });

  it('answers 416 past the end, 404 for absent files and paths outside the folder, and HEAD without a body', async () => {
    const past = await get('a%20b/c.bin', 'bytes=1000-');
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */1000');
    expect((await get('a%20b/none.bin')).status).toBe(404);
    expect((await get('..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    const head = await get('a%20b/c.bin', undefined, 'HEAD');
    expect(head.headers.get('content-length')).toBe('1000');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('counts requests and bytes, and delays each answer by at least latencyMs', async () => {
    server.resetStats();
    server.latencyMs = 40;
    const t0 = performance.now();
    await (await get('a%20b/c.bin', 'bytes=0-99')).arrayBuffer();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    server.latencyMs = 0;
    const { delayMs, meanInFlight, ...counts } = server.stats;
    expect(counts).toEqual({ requests: 1, rangeRequests: 1, bytes: 100, maxInFlight: 1 });
    expect(meanInFlight).toBeCloseTo(1, 6); // one request open the whole time any was
    expect(delayMs).toBeGreaterThanOrEqual(39);
  });
});

describe('parseRange', () => {
  it('reads single ranges; ignores what is not one; refuses unsatisfiable ones', () => {
    expect(parseRange(undefined, 10)).toBe(null);
    expect(parseRange('bytes=0-0', 10)).toEqual([0, 0]);
    expect(parseRange('bytes=3-', 10)).toEqual([3, 9]);
    expect(parseRange('bytes=-20', 10)).toEqual([0, 9]);
    expect(parseRange('bytes=0-1,4-5', 10)).toBe(null);
    expect(parseRange('items=0-1', 10)).toBe(null);
    expect(parseRange('bytes=-0', 10)).toBe('bad');
    expect(parseRange('bytes=5-4', 10)).toBe('bad');
    expect(parseRange('bytes=10-', 10)).toBe('bad');
  });
});
