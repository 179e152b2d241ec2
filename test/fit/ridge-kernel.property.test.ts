// Property test: the ridge kernels choleskyF64 and choleskySolveF64 (assembly/ridge.ts) against its plain-TypeScript
// reference (src/reference/ridge.ts), bit for bit, on random SPD and indefinite matrices; and
// the factor of a 2 × 2 case and the multi-RHS solve against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../src/memory/heap.js';
import { Rng } from '../../src/util/random.js';
import { choleskyF64Ref, choleskySolveF64Ref } from '../../src/reference/ridge.js';
import { ridgeSolve } from '../../src/fit/cholesky.js';
import { ValueError } from '../../src/index.js';

const heap = WasmHeap.create({ shared: false });

describe('choleskyF64 vs reference', () => {
  it('identical bits and pivot results on random matrices (d 1…37, shifts, indefinite cases)', () => {
    const rng = new Rng(141);
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + rng.int(37);
      const k = 1 + rng.int(d + 3);
      // a = Bᵀ B (rank ≤ k) with a random scale, sometimes made indefinite.
      const b = Array.from({ length: k * d }, () => rng.normal());
      const a = heap.alloc(8 * d * d), lA = heap.alloc(8 * d * d), lB = heap.alloc(8 * d * d);
      const av = new Float64Array(heap.buffer, a, d * d);
      const scale = 10 ** (rng.int(5) - 2);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
        let s = 0;
        for (let r = 0; r < k; r++) s += b[r * d + i] * b[r * d + j];
        av[i * d + j] = s * scale;
      }
      if (rng.next() < 0.2) av[rng.int(d) * (d + 1)] -= 1e3 * scale;
      const shift = rng.next() < 0.1 ? 0 : scale * 10 ** (rng.int(6) - 4);
      const ra = heap.kernels.choleskyF64(a, d, shift, lA);
      const rb = choleskyF64Ref(heap.buffer, a, d, shift, lB);
      expect(ra, `d=${d}`).toBe(rb);
      if (ra < 0) {
        const x = new Float64Array(heap.buffer, lA, d * d), y = new Float64Array(heap.buffer, lB, d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) expect(Object.is(x[i * d + j], y[i * d + j]), `d=${d} (${i},${j})`).toBe(true);
        // choleskySolveF64 on the factor, m random right-hand sides.
        const m = 1 + rng.int(5);
        const bA = heap.alloc(8 * m * d), bB = heap.alloc(8 * m * d);
        const rhs = Array.from({ length: m * d }, () => rng.normal() * scale);
        new Float64Array(heap.buffer, bA, m * d).set(rhs);
        new Float64Array(heap.buffer, bB, m * d).set(rhs);
        heap.kernels.choleskySolveF64(lA, d, bA, m);
        choleskySolveF64Ref(heap.buffer, lA, d, bB, m);
        const p = new Float64Array(heap.buffer, bA, m * d), q = new Float64Array(heap.buffer, bB, m * d);
        for (let i = 0; i < m * d; i++) expect(Object.is(p[i], q[i]), `solve d=${d} m=${m} [${i}]`).toBe(true);
      }
    }
  });

  it('a 2 × 2 case by hand, and a solve with two right-hand sides', () => {
    // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]].
    const a = heap.alloc(32), l = heap.alloc(32);
    new Float64Array(heap.buffer, a, 4).set([4, 2, 2, 3]);
    expect(heap.kernels.choleskyF64(a, 2, 0, l)).toBe(-1);
    const lv = new Float64Array(heap.buffer, l, 4);
    expect([lv[0], lv[2], lv[3]]).toEqual([2, 1, Math.SQRT2]);
    // (A + 1·I) = [[5, 2], [2, 4]]; solve for b = [9, 10] → x = [1, 2] and b = [5, 2] → [1, 0].
    const x = ridgeSolve(new Float64Array([4, 2, 2, 3]), 2, 1, new Float64Array([9, 10, 5, 2]), 2);
    Array.from(x).forEach((v, i) => expect(v).toBeCloseTo([1, 2, 1, 0][i], 12));
  });

  it('an indefinite matrix is a ValueError naming the size', () => {
    expect(() => ridgeSolve(new Float64Array([1, 2, 2, 1]), 2, 0, new Float64Array(2), 1)).toThrow(ValueError);
    expect(() => ridgeSolve(new Float64Array([1, 2, 2, 1]), 2, 0, new Float64Array(2), 1)).toThrow(/the 2 × 2 matrix \+ 0·I is not positive definite/);
  });
});
