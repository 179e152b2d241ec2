// Python json / repr formatting (expected strings are CPython 3.11 outputs, written down), the
// savez_compressed writer (read back by the npy reader) and SHA-1 (FIPS 180 test vectors).
import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyJsonDumps, readNpz, sha1Hex, writeNpz, type PyJson } from '../../src/index.js';
import { unzipBytes } from '../../src/sources/zip.js';

describe('pyFloatRepr', () => {
  it('matches repr(float)', () => {
    const cases: Array<[number, string]> = [
      [0, '0.0'], [-0, '-0.0'], [1, '1.0'], [10, '10.0'], [0.1, '0.1'], [1e-4, '0.0001'], [1e-5, '1e-05'],
      [1.5e-7, '1.5e-07'], [123456789012345.6, '123456789012345.6'], [1234567890123456, '1234567890123456.0'],
      [1e16, '1e+16'], [1.5e16, '1.5e+16'], [2 ** 53, '9007199254740992.0'], [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'], [-3.25, '-3.25'], [1 / 3, '0.3333333333333333'],
      [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
    ];
    for (const [x, r] of cases) expect(pyFloatRepr(x)).toBe(r);
  });
});

describe('pyJsonDumps', () => {
  it('indent=1 as json.dumps: ints vs floats, bare NaN, empty containers, ASCII escapes', () => {
    const v: PyJson = { a: [1n, 2, NaN, Infinity, { b: [] }, {}], 'é\n"': null, c: true };
    expect(pyJsonDumps(v, 1)).toBe('{\n "a": [\n  1,\n  2.0,\n  NaN,\n  Infinity,\n  {\n   "b": []\n  },\n  {}\n ],\n "\\u00e9\\n\\"": null,\n "c": true\n}');
    expect(pyJsonDumps([1n, 'x', [false]])).toBe('[1, "x", [false]]');
    expect(pyJsonDumps('\u{1F600}\u0001\t')).toBe('"\\ud83d\\ude00\\u0001\\t"');
  });
});

describe('writeNpz', () => {
  it('deflated .npy members in key order, read back', () => {
    const bytes = writeNpz({ unit: { shape: [2], data: new Int32Array([0, 7]) }, t: { shape: [0], data: new Float64Array(0) } });
    expect(unzipBytes(bytes, 'x.npz').map((m) => [m.entry.name, m.entry.method])).toEqual([['unit.npy', 8], ['t.npy', 8]]);
    const z = readNpz(bytes, 'x.npz');
    expect([z.unit.dtype, Array.from(z.unit.data as Int32Array), z.t.shape]).toEqual(['i4', [0, 7], [0]]);
  });
});

describe('sha1Hex', () => {
  it('FIPS 180 vectors', () => {
    const e = (s: string) => new TextEncoder().encode(s);
    expect(sha1Hex(e('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha1Hex(e(''))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(sha1Hex(e('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(sha1Hex(e('a'.repeat(1000000)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });
});
