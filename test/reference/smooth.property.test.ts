// Property test: the wasm firRows kernel (assembly/smooth.ts) against its TypeScript reference
// (src/reference/smooth.ts), bit for bit, in place and out of place.
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../src/memory/heap.js';
import { Rng } from '../../src/util/random.js';
import { firRowsRef } from '../../src/reference/smooth.js';
import { hanningKernel } from '../../src/index.js';

const heap = WasmHeap.create({ shared: false });

describe('firRows (wasm) equals firRowsRef', () => {
  it('on 1500 random row blocks and kernels (Hanning and random taps, K = 1…25)', () => {
    const rng = new Rng(21);
    for (let trial = 0; trial < 1500; trial++) {
      const rows = rng.int(6), cols = rng.next() < 0.1 ? rng.int(4) : 1 + rng.int(rng.next() < 0.1 ? 3000 : 60);
      const K = 2 * rng.int(13) + 1;
      const w = rng.next() < 0.5 ? Float32Array.from(hanningKernel(K * 5, 5)) : Float32Array.from({ length: K }, () => rng.normal());
      const n = rows * cols;
      const taps = heap.alloc(4 * K), tmp = heap.alloc(4 * Math.max(cols, 1) + 16);
      const src = heap.alloc(4 * Math.max(n, 1)), a = heap.alloc(4 * Math.max(n, 1)), b = heap.alloc(4 * Math.max(n, 1));
      heap.f32(taps, K).set(w);
      const x = heap.f32(src, n);
      for (let i = 0; i < n; i++) x[i] = rng.next() < 0.3 ? rng.int(4) : rng.normal() * 10;
      const inPlace = rng.next() < 0.5;
      if (inPlace) { heap.f32(a, n).set(heap.f32(src, n)); heap.f32(b, n).set(heap.f32(src, n)); }
      heap.kernels.firRows(inPlace ? a : src, a, rows, cols, taps, K, tmp);
      firRowsRef(heap.buffer, inPlace ? b : src, b, rows, cols, taps, K, tmp);
      const ua = heap.u32(a, n), ub = heap.u32(b, n);
      for (let i = 0; i < n; i++) if (ua[i] !== ub[i]) expect.fail(`trial ${trial}: element ${i} wasm ${heap.f32(a, n)[i]} vs ref ${heap.f32(b, n)[i]}`);
    }
  });

  it('an impulse through [0, .5, 1, .5, 0] (hand-computed)', () => {
    const taps = heap.alloc(20), tmp = heap.alloc(64), p = heap.alloc(4 * 9);
    heap.f32(taps, 5).set([0, 0.5, 1, 0.5, 0]);
    heap.f32(p, 9).set([1, 0, 0, 0, 1, 0, 0, 0, 0]);
    heap.kernels.firRows(p, p, 1, 9, taps, 5, tmp);
    expect(Array.from(heap.f32(p, 9))).toEqual([1, 0.5, 0, 0.5, 1, 0.5, 0, 0, 0]);
  });
});
