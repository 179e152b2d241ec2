// Property tests: the metrics wasm kernels (assembly/metrics.ts) against their plain-TypeScript
// references (src/reference/metrics.ts) on many random inputs, compared bit for bit; and the whole
// dense-float32 (wasm) path of the cell engine against its float64 (TypeScript) path.
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../src/memory/heap.js';
import { Rng } from '../../src/util/random.js';
import { cellGramRef, gramF64Ref, splitHalfRhoRef } from '../../src/reference/metrics.js';
import { splitHalfTable } from '../../src/metrics/cell.js';
import { computeCCmax, computeNeuronQuality, computeTTRC } from '../../src/index.js';
import { f32, f64 } from './helpers.js';

const heap = WasmHeap.create({ shared: false });

/** Same bits, NaN payloads aside. */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (!Object.is(a[i], b[i])) return false;
  }
  return true;
}

describe('metrics kernels vs references', () => {
  it('cellGram / gramF64: identical bits on random cells (odd/even sizes, NaN, ±∞)', () => {
    const rng = new Rng(81);
    for (let trial = 0; trial < 300; trial++) {
      const R = 1 + rng.int(24);
      const T = 1 + rng.int(41);
      const n = R * T;
      const src = heap.alloc(4 * n);
      const yA = heap.alloc(8 * n);
      const yB = heap.alloc(8 * n);
      const gA = heap.alloc(8 * R * R);
      const gB = heap.alloc(8 * R * R);
      const x = heap.f32(src, n);
      const scale = 10 ** (rng.int(7) - 3);
      for (let i = 0; i < n; i++) x[i] = rng.normal() * scale + rng.int(5);
      const u = rng.next();
      if (u < 0.1) x[rng.int(n)] = NaN;
      else if (u < 0.13) x[rng.int(n)] = Infinity;
      const a = heap.kernels.cellGram(src, R, T, yA, gA);
      const b = cellGramRef(heap.buffer, src, R, T, yB, gB);
      expect(a).toBe(b);
      if (a === 1) {
        expect(sameBits(new Float64Array(heap.buffer, yA, n), new Float64Array(heap.buffer, yB, n))).toBe(true);
        expect(sameBits(new Float64Array(heap.buffer, gA, R * R), new Float64Array(heap.buffer, gB, R * R)), `R=${R} T=${T}`).toBe(true);
      }
      // gramF64 on its own, on arbitrary float64 rows.
      const yv = new Float64Array(heap.buffer, yA, n);
      for (let i = 0; i < n; i++) yv[i] = rng.normal();
      heap.kernels.gramF64(yA, R, T, gA);
      gramF64Ref(heap.buffer, yA, R, T, gB);
      expect(sameBits(new Float64Array(heap.buffer, gA, R * R), new Float64Array(heap.buffer, gB, R * R))).toBe(true);
    }
  });

  it('splitHalfRho: identical bits on random Gram matrices (R up to 24, capped and uncapped)', () => {
    const rng = new Rng(82);
    for (let trial = 0; trial < 200; trial++) {
      const rv = 2 + rng.int(23);
      const rc = rv % 2 === 0 ? rv : rv - 1;
      const maxIters = rng.next() < 0.3 ? 1 + rng.int(40) : 126;
      const table = splitHalfTable(rc, maxIters);
      const T = 2 + rng.int(20);
      const y = heap.alloc(8 * rv * T);
      const yv = new Float64Array(heap.buffer, y, rv * T);
      const sig = Array.from({ length: T }, () => rng.normal());
      const noise = rng.next() * 3;
      for (let i = 0; i < rv * T; i++) yv[i] = sig[i % T] + noise * rng.normal();
      if (rng.next() < 0.1) yv.fill(0, 0, T); // a zero-variance repeat
      const g = heap.alloc(8 * rv * rv);
      gramF64Ref(heap.buffer, y, rv, T, g);
      const sub = heap.alloc(4 * Math.max(table.subsets.length, 1));
      heap.i32(sub, table.subsets.length).set(table.subsets);
      const from = heap.alloc(4 * table.changeFrom.length);
      heap.i32(from, table.changeFrom.length).set(table.changeFrom);
      const wA = heap.alloc(8 * (rc + 2 * (rc / 2 + 1) + (rc / 2) * rc));
      const wB = heap.alloc(8 * (rc + 2 * (rc / 2 + 1) + (rc / 2) * rc));
      const a = heap.kernels.splitHalfRho(g, rv, rc, table.pairs, sub, from, wA);
      const b = splitHalfRhoRef(heap.buffer, g, rv, rc, table.pairs, sub, from, wB);
      expect(sameBits([a], [b]), `rv=${rv} maxIters=${maxIters}: ${a} vs ${b}`).toBe(true);
    }
  });

  it('the wasm path (float32 cells) and the TypeScript path (float64 cells) agree bit for bit', () => {
    const rng = new Rng(83);
    for (let trial = 0; trial < 40; trial++) {
      const B = 1 + rng.int(4);
      const R = 1 + rng.int(14);
      const T = 2 + rng.int(40);
      const x = new Float32Array(B * R * T);
      for (let i = 0; i < x.length; i++) x[i] = rng.normal() + Math.sin(i % T);
      const a32 = f32([B, R, T], x);
      const a64 = f64([B, R, T], Float64Array.from(x));
      expect(sameBits(computeCCmax(a32).data, computeCCmax(a64).data)).toBe(true);
      expect(sameBits(computeTTRC(a32).data, computeTTRC(a64).data)).toBe(true);
      const cells32 = Array.from({ length: B }, (_, b) => [f32([R, T], x.subarray(b * R * T, (b + 1) * R * T))]);
      const cells64 = cells32.map(([c]) => [f64([R, T], Float64Array.from(c.data))]);
      const q32 = computeNeuronQuality(cells32, 1);
      const q64 = computeNeuronQuality(cells64, 1);
      expect(sameBits(q32.snr.data, q64.snr.data)).toBe(true);
      expect(sameBits(q32.ccmax.data, q64.ccmax.data)).toBe(true);
    }
  });
});
