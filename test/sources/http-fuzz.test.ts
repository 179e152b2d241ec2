// HttpSource's reply handling, fuzzed: a fake fetch answers each range request with a seeded
// random status, Content-Range (right, shifted, malformed, missing) and body length. Only two
// outcomes are allowed: exactly the bytes asked for, or an HttpSourceError. (The file list gives
// the size, so a 200 reply cut short is detectable.)
import { describe, expect, it } from 'vitest';
import { HttpSource, HttpSourceError, Rng } from '../../src/index.js';

const FILE = Uint8Array.from({ length: 64 }, (_, i) => (i * 13 + 5) & 255);

function fakeFetch(rng: Rng): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) => {
    const range = /bytes=(\d+)-(\d*)/.exec(String((init?.headers as Record<string, string>)?.Range ?? ''));
    const first = range ? Number(range[1]) : 0;
    const last = range && range[2] !== '' ? Math.min(Number(range[2]), FILE.length - 1) : FILE.length - 1;
    const status = [200, 206, 206, 206, 404, 416, 500][rng.int(7)];
    let body = status === 200 ? FILE : FILE.subarray(first, last + 1);
    const headers = new Headers();
    const cr = rng.int(5);
    if (cr === 0) headers.set('Content-Range', `bytes ${first}-${last}/${FILE.length}`);
    if (cr === 1) headers.set('Content-Range', `bytes ${first + 1}-${last}/${FILE.length}`);
    if (cr === 2) headers.set('Content-Range', `bytes ${first}-${last + 3}/*`);
    if (cr === 3) headers.set('Content-Range', ['garbage', 'bytes x-y/z', `bytes ${first}-/${FILE.length}`][rng.int(3)]);
    if (rng.int(4) === 0) body = body.subarray(0, rng.int(body.length + 1)); // a short body
    return new Response(status === 416 ? null : body.slice(), { status, headers });
  }) as typeof fetch;
}

describe('HttpSource reply handling (seeded fuzz)', () => {
  it('gives the exact bytes or an HttpSourceError, never anything else', async () => {
    const rng = new Rng(20261130);
    const src = new HttpSource('http://fuzz.invalid/base/', { fetch: fakeFetch(rng), files: [{ path: 'f.bin', size: FILE.length }] });
    let ok = 0, typed = 0;
    for (let i = 0; i < 400; i++) {
      const start = rng.int(70);
      const end = rng.int(3) === 0 ? undefined : start + rng.int(40);
      try {
        const got = await src.read('f.bin', start, end);
        expect(Array.from(got)).toEqual(Array.from(FILE.subarray(Math.min(start, FILE.length), Math.min(end ?? FILE.length, FILE.length))));
        ok++;
      } catch (e) {
        expect(e).toBeInstanceOf(HttpSourceError);
        typed++;
      }
    }
    expect(ok).toBeGreaterThan(20);
    expect(typed).toBeGreaterThan(20);
  });

  it('a 200 body of the wrong size (file list known) and a 416 inside the file are errors', async () => {
    const reply = (status: number, body: Uint8Array | null, headers: Record<string, string> = {}) =>
      (async () => new Response(body === null ? null : body.slice(), { status, headers })) as unknown as typeof fetch;
    const files = [{ path: 'f.bin', size: 64 }];
    await expect(new HttpSource('http://x.invalid/', { files, fetch: reply(200, FILE.subarray(0, 9)) }).read('f.bin', 2, 5))
      .rejects.toThrow('http://x.invalid/f.bin: 200 reply of 9 bytes; the file list says 64');
    await expect(new HttpSource('http://x.invalid/', { fetch: reply(416, null, { 'Content-Range': 'bytes */64' }) }).read('f.bin', 10, 20))
      .rejects.toThrow('http://x.invalid/f.bin: 416 for bytes from 10 of a 64-byte file');
    expect(await new HttpSource('http://x.invalid/', { fetch: reply(416, null, { 'Content-Range': 'bytes */64' }) }).read('f.bin', 64, 70)).toEqual(new Uint8Array(0));
    expect(await new HttpSource('http://x.invalid/', { fetch: reply(200, FILE.subarray(0, 9)) }).read('f.bin', 2, 5)).toEqual(FILE.subarray(2, 5)); // no list: a 9-byte file
  });
});
