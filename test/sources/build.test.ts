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
});
