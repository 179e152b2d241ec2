// The platform module resolves per environment, and the heap uses shared memory exactly where
// the platform allows it (Node; cross-origin-isolated pages).
import { describe, expect, it } from 'vitest';
import { platform } from '#platform';
import { defaultHeap } from '../src/memory/heap.js';
import { Rng } from '../src/util/random.js';

describe('platform', () => {
  it('is the Node implementation under Node and the browser one in Chromium', () => {
    const inBrowser = typeof window !== 'undefined';
    expect(platform.name).toBe(inBrowser ? 'browser' : 'node');
  });

  it('decodes base64 like the other platform would', () => {
    expect(Array.from(platform.decodeBase64('AAEC/w=='))).toEqual([0, 1, 2, 255]);
  });

  it('allocUninitialized: an unshared ArrayBuffer of exactly the size asked, its own (byteOffset 0), writable', () => {
    const a = platform.allocUninitialized(1000);
    const b = platform.allocUninitialized(1000);
    expect(a).toBeInstanceOf(ArrayBuffer);
    expect(a.byteLength).toBe(1000);
    expect(a).not.toBe(b);
    new Uint8Array(a).fill(7);
    new Uint8Array(b).fill(3); // separate memory: writing one leaves the other
    expect(new Uint8Array(a).every((v) => v === 7)).toBe(true);
    expect(platform.allocUninitialized(0).byteLength).toBe(0);
  });

  it('copyBytes: source bytes at the offset, nothing else touched, out of and into shared memory, at every alignment', () => {
    const kinds = [(n: number) => new ArrayBuffer(n), ...(typeof SharedArrayBuffer === 'function' ? [(n: number) => new SharedArrayBuffer(n)] : [])];
    for (const src of kinds) {
      for (const dst of kinds) {
        for (let so = 0; so < 8; so++) {
          for (let to = 0; to < 8; to++) {
            const whole = new Uint8Array(src(40));
            for (let i = 0; i < 40; i++) whole[i] = i + 1;
            const source = whole.subarray(so, so + 21); // bytes so+1 … so+21, in the memory made by src
            const target = new Uint8Array(dst(40)).fill(0xee);
            platform.copyBytes(target, to, source);
            const want = Array.from({ length: 40 }, (_, i) => (i >= to && i < to + 21 ? so + 1 + i - to : 0xee));
            expect(Array.from(target), `source at ${so}, target at ${to}`).toEqual(want);
          }
        }
      }
    }
    const t = new Uint8Array(4).fill(9);
    platform.copyBytes(t, 4, new Uint8Array(0)); // an empty copy, even at the end, changes nothing
    expect(Array.from(t)).toEqual([9, 9, 9, 9]);
  });

  it('indexOfBytes: the first occurrence at or after from, as a naive search finds it', () => {
    const naive = (h: Uint8Array, n: Uint8Array, from: number) => {
      for (let i = Math.max(0, from); i + n.length <= h.length; i++) if (n.every((b, k) => h[i + k] === b)) return i;
      return -1;
    };
    const rng = new Rng(11);
    for (let t = 0; t < 300; t++) {
      // a small alphabet makes partial matches, overlaps and matches at both ends common
      const h = new Uint8Array(rng.int(41)).map(() => rng.int(3));
      const n = new Uint8Array(1 + rng.int(4)).map(() => rng.int(3));
      const from = rng.int(h.length + 3);
      expect(platform.indexOfBytes(h, n, from), `[${h}] [${n}] from ${from}`).toBe(naive(h, n, from));
    }
    const sig = new Uint8Array([0x47, 0x43, 0x4f, 0x4c, 1]);
    const file = new Uint8Array(64);
    file.set([0x47, 0x43, 0x4f, 0x4c, 2], 3); // the signature with another version byte
    file.set(sig, 59); // at the very end
    expect(platform.indexOfBytes(file, sig, 0)).toBe(59);
    expect(platform.indexOfBytes(file, sig, 60)).toBe(-1);
    expect(platform.indexOfBytes(file.subarray(8), sig, 0)).toBe(51); // positions in the view, not its buffer
    expect(platform.indexOfBytes(file, sig, 64)).toBe(-1);
    expect(platform.indexOfBytes(file, sig, 1000)).toBe(-1);
  });

  it('places the heap in shared memory when available', () => {
    const heap = defaultHeap();
    const isolated = typeof window === 'undefined' || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    expect(heap.shared).toBe(isolated);
    expect(heap.memory.buffer instanceof SharedArrayBuffer).toBe(isolated);
  });
});
