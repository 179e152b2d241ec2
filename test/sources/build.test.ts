// The build driver: one generator run synchronously and asynchronously gives the same result;
// failed requests and parse errors come out as SourceFileError naming the source root and the
// file; FormatErrors pass through unchanged.
import { describe, expect, it } from 'vitest';
import { FormatError, MemorySource, SourceFileError } from '../../src/index.js';
import { fs, fileLabel, parsing, runAsync, runSync, type Build } from '../../src/sources/build.js';

const src = new MemorySource({ 'a/x.bin': new Uint8Array([1, 2, 3]), 'a/y.txt': new TextEncoder().encode('7') }, 'mem:');

function* sum(): Build<{ root: string; total: number; names: string[] }> {
  const root = yield* fs.root();
  const names = (yield* fs.list('a')).map((e) => e.name);
  let total = 0;
  for (const n of names) {
    const info = yield* fs.stat(`a/${n}`);
    const b = yield* fs.read(`a/${n}`, 0, info!.size);
    for (const v of b) total += v;
  }
  return { root, total, names };
}

describe('runSync / runAsync', () => {
  it('answer the same requests the same way', async () => {
    const expected = { root: 'mem:', total: 1 + 2 + 3 + '7'.charCodeAt(0), names: ['x.bin', 'y.txt'] };
    expect(runSync(sum(), src)).toEqual(expected);
    expect(await runAsync(sum(), src)).toEqual(expected);
  });

  it('a failed read reaches the build as a SourceFileError naming root and path (the raw error as cause)', async () => {
    function* missing(): Build<Uint8Array> {
      return yield* fs.read('a/none.bin');
    }
    for (const run of [() => runSync(missing(), src), () => runAsync(missing(), src)]) {
      const e = await Promise.resolve().then(run).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SourceFileError);
      expect(e).toBeInstanceOf(FormatError);
      expect((e as SourceFileError).source).toBe('mem:');
      expect((e as SourceFileError).path).toBe('a/none.bin');
      expect((e as Error).message).toBe('mem:a/none.bin: cannot read: no such file');
      expect(((e as Error).cause as { code?: string }).code).toBe('ENOENT');
    }
  });

  it('a build can catch a failed request and go on', () => {
    function* tolerant(): Build<string> {
      try {
        yield* fs.read('gone');
        return 'read';
      } catch (e) {
        return (e as Error).message;
      }
    }
    expect(runSync(tolerant(), src)).toBe('mem:gone: cannot read: no such file');
  });

  it('parsing() names the file for any error; FormatErrors pass through', () => {
    const e = (() => { try { parsing('/data/NS1', 'a.wav', () => { throw new RangeError('sample rates must be positive, got 0 → 48000'); }); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(SourceFileError);
    expect((e as Error).message).toBe('/data/NS1/a.wav: sample rates must be positive, got 0 → 48000');
    expect((e as Error).cause).toBeInstanceOf(RangeError);
    const f = new FormatError('/data/NS1/b.mat', 'bad tag', 12);
    expect(() => parsing('/data/NS1', 'b.mat', () => { throw f; })).toThrow(f);
    expect(parsing('r', 'p', () => 5)).toBe(5);
  });

  it('fileLabel joins roots of every kind', () => {
    expect([fileLabel('/data/NS1', 'a/b'), fileLabel('/data/NS1/', 'a'), fileLabel('https://m.org/NS1/', 'a'), fileLabel('memory:', 'a'), fileLabel('', 'a')])
      .toEqual(['/data/NS1/a/b', '/data/NS1/a', 'https://m.org/NS1/a', 'memory:a', 'a']);
  });

  it('runAsync stops at the next request once the signal is aborted, with its reason, running finally blocks', async () => {
    const seen: string[] = [];
    function* slow(): Build<number> {
      try {
        yield* fs.read('a/x.bin');
        seen.push('first read');
        controller.abort(new Error('stop now'));
        yield* fs.read('a/y.txt');
        seen.push('second read');
        return 1;
      } finally {
        seen.push('finally');
      }
    }
    const controller = new AbortController();
    await expect(runAsync(slow(), src, { signal: controller.signal })).rejects.toThrow('stop now');
    expect(seen).toEqual(['first read', 'finally']);
  });

  it('fs.prefetch: runAsync reads ahead in parallel (bounded), delivers each file at its own read, errors included', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10; i++) files[`f${i}`] = new Uint8Array([i]);
    const mem = new MemorySource(files);
    let inFlight = 0, most = 0;
    const log: string[] = [];
    const slow = Object.assign(Object.create(mem) as MemorySource, {
      read: async (p: string, a?: number, b?: number) => {
        log.push(p);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return mem.read(p, a, b);
      },
    });
    const order = ['f3', 'f1', 'missing', 'f7', 'f0', 'f9', 'f2'];
    function* reader(): Build<string[]> {
      yield* fs.prefetch(order);
      const got: string[] = [];
      for (const p of order) {
        try {
          got.push(`${p}=${(yield* fs.read(p))[0]}`);
        } catch (e) {
          got.push((e as Error).message);
        }
      }
      return got;
    }
    const want = ['f3=3', 'f1=1', 'memory:missing: cannot read: no such file', 'f7=7', 'f0=0', 'f9=9', 'f2=2'];
    expect(await runAsync(reader(), slow, { readAhead: 3 })).toEqual(want);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3 + 1); // the file being read and up to 3 beyond it
    expect(log).toEqual(order); // each file read once, in the order given
    expect(runSync(reader(), mem)).toEqual(want);
    log.length = 0;
    most = 0;
    expect(await runAsync(reader(), slow, { readAhead: 0 })).toEqual(want);
    expect(most).toBe(1);
  });
});
