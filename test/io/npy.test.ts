import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { FormatError, readNpy, readNpz, writeNpy, Rng } from '../../src/index.js';
import type { NpyDType } from '../../src/index.js';
import { MAX_CALL_MS, expectOnlyFormatError, iterations, mutate, randomBytes } from './helpers/fuzz.js';
import { expectFormatError } from './helpers/errors.js';

// Files written by NumPy 2 (np.save / np.savez_compressed), base64: an independent writer.
const NUMPY = {
  BE_F8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/+AAAAAAAAMAAAAAAAAAAQAgAAAAAAABCIqBfIAAAAA==',
  F_I2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGkyJywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAMAAQAEAAIABQA=',
  F_U2_3D: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPnUyJywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAMAAQAEAAIABQAAQANAAUAEQAJABUAAgAOAAYAEgAKABYAAwAPAAcAEwALABc=',
  B1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
  I8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr7/////////wAAAAAAAQAA',
  SCALAR: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAACBA',
  NPZ: 'UEsDBC0AAAAIAAAAIQDrwCsE//////////8IABQAdW5pdC5ucHkBABAAjAAAAAAAAABNAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TaaKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC5GBgYGJiBmBmIAUEsDBC0AAAAIAAAAIQCYkm4o//////////8PABQAc3Bpa2VfdGltZXMubnB5AQAQAJAAAAAAAAAATQAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6CrUKFAAuBjB4YA+hv9gDAFBLAwQtAAAACAAAACEAHe8TCf//////////CQAUAHN0YXJ0Lm5weQEAEACQAAAAAAAAAEoAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaRjqaOgq1ChQALi4GCBCB0gBQSwMELQAAAAgAAAAhADZIW3P//////////wkAFABlbXB0eS5ucHkBABAAgAAAAAAAAABEAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GgY6mjoKtQoUAC4AUEsBAi0DLQAAAAgAAAAhAOvAKwRNAAAAjAAAAAgAAAAAAAAAAAAAAIABAAAAAHVuaXQubnB5UEsBAi0DLQAAAAgAAAAhAJiSbihNAAAAkAAAAA8AAAAAAAAAAAAAAIABhwAAAHNwaWtlX3RpbWVzLm5weVBLAQItAy0AAAAIAAAAIQAd7xMJSgAAAJAAAAAJAAAAAAAAAAAAAACAARUBAABzdGFydC5ucHlQSwECLQMtAAAACAAAACEANkhbc0QAAACAAAAACQAAAAAAAAAAAAAAgAGaAQAAZW1wdHkubnB5UEsFBgAAAAAEAAQA4QAAABkCAAAAAA==',
};
const b64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));


describe('readNpy on files written by NumPy', () => {
  it('big-endian float64 (2, 2)', () => {
    const a = readNpy(b64(NUMPY.BE_F8), 'be.npy');
    expect(a.dtype).toBe('f8');
    expect(a.shape).toEqual([2, 2]);
    expect(Array.from(a.data as Float64Array)).toEqual([1.5, -2, 3, 4e10]);
    expect(a.fortranOrder).toBe(false);
  });
  it('Fortran-ordered int16 (2, 3) comes back in C order', () => {
    const a = readNpy(b64(NUMPY.F_I2), 'f.npy');
    expect(a.fortranOrder).toBe(true);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data as Int16Array)).toEqual([0, 1, 2, 3, 4, 5]); // np.arange(6).reshape(2, 3)
  });
  it('Fortran-ordered big-endian uint16 (2, 3, 4)', () => {
    const a = readNpy(b64(NUMPY.F_U2_3D), 'f3.npy');
    expect(a.data).toBeInstanceOf(Uint16Array);
    expect(Array.from(a.data as Uint16Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });
  it('bool, int64 (BigInt or number), 0-d scalar', () => {
    expect(Array.from(readNpy(b64(NUMPY.B1)).data as Uint8Array)).toEqual([1, 0, 1]);
    expect(readNpy(b64(NUMPY.B1)).dtype).toBe('b1');
    expect(Array.from(readNpy(b64(NUMPY.I8)).data as BigInt64Array)).toEqual([-5n, 2n ** 40n]);
    const n = readNpy(b64(NUMPY.I8), 'i8.npy', { int64AsNumber: true });
    expect(n.data).toBeInstanceOf(Float64Array);
    expect(Array.from(n.data as Float64Array)).toEqual([-5, 2 ** 40]);
    const s = readNpy(b64(NUMPY.SCALAR));
    expect(s.shape).toEqual([]);
    expect(Array.from(s.data as Float32Array)).toEqual([2.5]);
  });
  it('np.savez_compressed archive (ZIP64 extra fields) with an empty member', () => {
    const z = readNpz(b64(NUMPY.NPZ), 'spikes.npz', { int64AsNumber: true });
    expect(Object.keys(z).sort()).toEqual(['empty', 'spike_times', 'start', 'unit']);
    expect(Array.from(z.unit.data as Int32Array)).toEqual([1, 2, 3]);
    expect(Array.from(z.spike_times.data as Float64Array)).toEqual([0.5, 1.25]);
    expect(Array.from(z.start.data as Float64Array)).toEqual([10, 20]);
    expect(z.empty.shape).toEqual([0]);
    expect(z.empty.data.length).toBe(0);
  });
});

describe('writeNpy round trips', () => {
  const cases: [NpyDType, ArrayLike<number | bigint>][] = [
    ['f4', new Float32Array([1.5, -2, Number.NaN, 3e38])],
    ['f8', new Float64Array([1e-300, -0.5, Infinity, 7])],
    ['i1', new Int8Array([-128, 127, 0, 1])],
    ['i2', new Int16Array([-32768, 32767, 5, 6])],
    ['i4', new Int32Array([-2147483648, 2147483647, 0, 9])],
    ['i8', new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n, 3n])],
    ['u1', new Uint8Array([0, 255, 1, 2])],
    ['u2', new Uint16Array([0, 65535, 3, 4])],
    ['u4', new Uint32Array([0, 4294967295, 5, 6])],
    ['u8', new BigUint64Array([0n, 2n ** 64n - 1n, 7n, 8n])],
  ];
  for (const [dtype, data] of cases) {
    it(`${dtype} (2, 2)`, () => {
      const bytes = writeNpy({ shape: [2, 2], data: data as never });
      expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
      const a = readNpy(bytes, 'rt.npy');
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual([2, 2]);
      expect(Array.from(a.data as ArrayLike<number | bigint>)).toEqual(Array.from(data));
    });
  }
  it('b1 by explicit dtype, 1-D and 0-D shapes, and the header text NumPy writes', () => {
    const b = writeNpy({ dtype: 'b1', shape: [3], data: new Uint8Array([1, 0, 1]) });
    const header = new TextDecoder().decode(b.subarray(10, 10 + new DataView(b.buffer).getUint16(8, true)));
    expect(header.trimEnd()).toBe("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }");
    expect(readNpy(b).dtype).toBe('b1');
    expect(readNpy(writeNpy({ shape: [], data: new Float64Array([4]) })).shape).toEqual([]);
    // Byte-identical to NumPy for the same array (header and data).
    const np = b64(NUMPY.B1);
    expect(b).toEqual(np);
  });
  it('rejects a shape that does not match the data', () => {
    expect(() => writeNpy({ shape: [3], data: new Float32Array(2) })).toThrow(/shape \(3\) holds 3 elements, data has 2/);
  });
  it('npz written with fflate, stored and deflated', () => {
    for (const level of [0, 6] as const) {
      const zip = zipSync({ 'a.npy': writeNpy({ shape: [2], data: new Float64Array([1, 2]) }), 'b.npy': writeNpy({ shape: [1], data: new Int32Array([7]) }) }, { level });
      const z = readNpz(zip, 'x.npz');
      expect(Array.from(z.a.data as Float64Array)).toEqual([1, 2]);
      expect(z.b.data[0]).toBe(7);
    }
  });
});

describe('readNpy errors', () => {
  const good = writeNpy({ shape: [2, 3], data: new Float64Array(6) });
  it('bad magic, version, header, dtype, truncation', () => {
    expectFormatError(() => readNpy(new Uint8Array([1, 2, 3]), 'tiny.npy'), /tiny\.npy @ byte 3: expected a \.npy header of at least 10 bytes/);
    const m = good.slice();
    m[1] = 0x41;
    expectFormatError(() => readNpy(m, 'm.npy'), /m\.npy @ byte 1: expected the \.npy magic string/);
    const v = good.slice();
    v[6] = 9;
    expectFormatError(() => readNpy(v, 'v.npy'), /@ byte 6: expected \.npy format version 1, 2 or 3, found 9\.0/);
    expectFormatError(() => readNpy(good.subarray(0, good.length - 1), 'cut.npy'), /cut\.npy @ byte 128: expected 48 bytes of data for shape \(2, 3\) of '<f8', only 47 left/);
    expectFormatError(() => readNpy(good.subarray(0, 40), 'h.npy'), /expected a 118-byte header dictionary/);
    const c = good.slice();
    c.set(new TextEncoder().encode('<c8'), 21);
    expectFormatError(() => readNpy(c, 'c.npy'), /expected a dtype among f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1 \(either byte order\), found '<c8'/);
    const s = good.slice();
    s.set(new TextEncoder().encode('(2, x)'), 60);
    expectFormatError(() => readNpy(s, 's.npy'), /expected non-negative integer dimensions in 'shape', found 'x'/);
  });
  it('bad npz names the archive, a bad member names archive:member', () => {
    expectFormatError(() => readNpz(new Uint8Array([1, 2, 3, 4]), 'bad.npz'), /^bad\.npz: expected a ZIP archive of \.npy members/);
    const zip = zipSync({ 'k.npy': new Uint8Array([1, 2, 3]) });
    expectFormatError(() => readNpz(zip, 'arch.npz'), /^arch\.npz:k\.npy @ byte 3:/);
  });
});

describe('npy/npz fuzzing (seeded): only FormatError, never a hang', () => {
  it('mutated .npy and .npz files, random bytes', () => {
    const rng = new Rng(4242);
    const npys = [b64(NUMPY.BE_F8), b64(NUMPY.F_U2_3D), b64(NUMPY.I8), writeNpy({ shape: [3, 2], data: new Float32Array(6) })];
    const npzs = [b64(NUMPY.NPZ), zipSync({ 'a.npy': npys[0] }, { level: 0 })];
    let worst = 0;
    for (let i = 0; i < iterations(2000); i++) {
      worst = Math.max(worst, expectOnlyFormatError((b) => readNpy(b, 'f.npy'), mutate(npys[i % npys.length], rng), `npy mutation ${i}`).ms);
      if (i % 2 === 0) worst = Math.max(worst, expectOnlyFormatError((b) => readNpz(b, 'f.npz'), mutate(npzs[i % 4 === 0 ? 0 : 1], rng), `npz mutation ${i}`).ms);
      if (i % 4 === 0) worst = Math.max(worst, expectOnlyFormatError((b) => readNpy(b, 'r.npy'), randomBytes(rng, rng.int(200)), `random ${i}`).ms);
    }
    expect(worst).toBeLessThan(MAX_CALL_MS);
  });
});
