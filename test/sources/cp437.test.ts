// CP437 zip names: the decoder against code points from the IBM code page 437 table.
import { describe, expect, it } from 'vitest';
import { decodeCp437 } from '../../src/util/cp437.js';

describe('decodeCp437', () => {
  it('ASCII passes through; the high half follows the code page', () => {
    expect(decodeCp437(new TextEncoder().encode('data/x_1.npy'))).toBe('data/x_1.npy');
    const cases: Array<[number, number]> = [
      [0x80, 0x00c7], [0x81, 0x00fc], [0x8e, 0x00c4], [0x9e, 0x20a7], [0x9f, 0x0192], [0xa8, 0x00bf],
      [0xb0, 0x2591], [0xc5, 0x253c], [0xdb, 0x2588], [0xe1, 0x00df], [0xe3, 0x03c0], [0xe6, 0x00b5],
      [0xf8, 0x00b0], [0xfb, 0x221a], [0xfd, 0x00b2], [0xfe, 0x25a0], [0xff, 0x00a0],
    ];
    for (const [byte, cp] of cases) expect(decodeCp437(new Uint8Array([byte])).codePointAt(0), `byte 0x${byte.toString(16)}`).toBe(cp);
    expect(decodeCp437(new Uint8Array([0x81, 0x62, 0x65, 0x72]))).toBe('über');
    expect([...decodeCp437(new Uint8Array(128).map((_, i) => 128 + i))]).toHaveLength(128);
  });
});
