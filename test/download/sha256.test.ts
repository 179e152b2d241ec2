// The TypeScript SHA-256 against the FIPS 180-4 / NIST example vectors, in Node and Chromium,
// and the platform hasher (node:crypto in Node, the TS one in browsers) against the same.
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../src/download/sha256.js';
import { platform } from '#platform';
import { Rng } from '../../src/util/random.js';

const enc = (s: string) => new TextEncoder().encode(s);
const VECTORS: Array<[string, Uint8Array, string]> = [
  ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', enc('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['448-bit', enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['896-bit', enc('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'],
  ['1M a', new Uint8Array(1_000_000).fill(0x61), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
];

describe('Sha256 (TypeScript)', () => {
  for (const [name, data, want] of VECTORS) {
    it(`vector: ${name}`, () => {
      const h = new Sha256();
      h.update(data);
      expect(h.hex()).toBe(want);
    });
    it(`vector: ${name}, fed in random pieces`, () => {
      const rng = new Rng(7);
      const h = new Sha256();
      for (let off = 0; off < data.length; ) {
        const n = Math.min(data.length - off, rng.int(data.length > 1000 ? 70_000 : 70));
        h.update(data.subarray(off, off + n));
        off += n;
      }
      expect(h.hex()).toBe(want);
    });
  }

  it('padding boundaries (55, 56, 63, 64 bytes) differ and are stable across chunkings', () => {
    for (const n of [55, 56, 57, 63, 64, 65, 119, 120]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
      const whole = new Sha256();
      whole.update(data);
      const byByte = new Sha256();
      for (let i = 0; i < n; i++) byByte.update(data.subarray(i, i + 1));
      const p = platform.createSha256();
      p.update(data);
      const w = whole.hex();
      expect(byByte.hex()).toBe(w);
      expect(p.hex()).toBe(w);
    }
  });

  it('refuses to be used after the digest', () => {
    const h = new Sha256();
    h.hex();
    expect(() => h.update(new Uint8Array(1))).toThrow(/after hex/);
  });

  it('the platform hasher gives the vectors', () => {
    for (const [, data, want] of VECTORS) {
      const h = platform.createSha256();
      h.update(data);
      expect(h.hex()).toBe(want);
    }
  });
});
