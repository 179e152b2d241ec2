// CRC-32 (src/util/crc32.ts) against published check values and an independent bitwise CRC.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/index.js';
import { crc32, crc32Combine, crc32Zeros } from '../../src/util/crc32.js';
import { bitwiseCrc32 } from '../helpers/archive-writer.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('published check values', () => {
    expect(crc32(enc('123456789'))).toBe(0xcbf43926); // the CRC-32/ISO-HDLC check value
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(enc('a'))).toBe(0xe8b7be43);
    expect(crc32(enc('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(4))).toBe(0x2144df1c);
    expect(crc32(new Uint8Array(32).fill(0xff))).toBe(0xff6cab0b); // Python: zlib.crc32(b'\xff' * 32)
  });

  it('matches a bitwise CRC on random data of every length around the 16-byte stride', () => {
    const rng = new Rng(7);
    for (let n = 0; n < 70; n++) {
      const d = new Uint8Array(n).map(() => rng.u32() & 0xff);
      expect(crc32(d), `length ${n}`).toBe(bitwiseCrc32(d));
    }
  });

  it('continues across any split, and combines without the bytes', () => {
    const rng = new Rng(11);
    const d = new Uint8Array(300).map(() => rng.u32() & 0xff);
    const whole = bitwiseCrc32(d);
    for (let k = 0; k <= d.length; k += 7) {
      const a = d.subarray(0, k);
      const b = d.subarray(k);
      expect(crc32(b, crc32(a))).toBe(whole);
      expect(crc32Combine(bitwiseCrc32(a), bitwiseCrc32(b), b.length)).toBe(whole);
    }
  });

  it('CRC of runs of zeros, including over 4 GiB, by matrix powers', () => {
    for (const n of [0, 1, 2, 3, 7, 8, 9, 255, 1000, 65536 + 3]) expect(crc32Zeros(n), `${n} zeros`).toBe(bitwiseCrc32(new Uint8Array(n)));
    // 2^32 + 5 zeros = (2^31 zeros) twice, then 5: combining equal halves must agree with the direct power.
    const half = crc32Zeros(2 ** 31);
    expect(crc32Zeros(2 ** 32 + 5)).toBe(crc32Combine(crc32Combine(half, half, 2 ** 31), bitwiseCrc32(new Uint8Array(5)), 5));
    expect(() => crc32Zeros(-1)).toThrow(RangeError);
  });
});
