// deepSTRF's test_metrics 53–57 and independent checks of docs/metrics.md: hand values (NumPy),
// the Gram-algebra fast path against the direct formula reference on many random NaN-riddled
// cells, permutation invariance when every pair is used, and ground truth on noisy repeats.
import { describe, expect, it } from 'vitest';
import { computeCCmax, computeTTRC, ShapeError, ValueError } from '../../src/index.js';
import { cellCCmaxRef, cellTTRCRef, unrankCombinationRef } from '../../src/reference/metrics.js';
import { splitHalfTable } from '../../src/metrics/cell.js';
import { Rng } from '../../src/util/random.js';
import { close, f32, f64, repeatedSignal } from './helpers.js';

describe('computeCCmax', () => {
  it('R = 1 → ones (53), shape (B) (54)', () => {
    const x = f32([3, 1, 10], Float32Array.from({ length: 30 }, (_, i) => Math.sin(i)));
    const c = computeCCmax(x);
    expect(c.shape).toEqual([3]);
    expect(c.dtype).toBe('float64');
    expect(Array.from(c.data)).toEqual([1, 1, 1]);
  });

  it('4-D input → ShapeError mentioning "(B, R, T)" (55); bad maxIters → ValueError', () => {
    const x = f32([1, 1, 2, 3], new Float32Array(6));
    expect(() => computeCCmax(x)).toThrow(ShapeError);
    expect(() => computeCCmax(x)).toThrow('(B, R, T)');
    const y = f32([1, 2, 3], new Float32Array(6));
    expect(() => computeCCmax(y, { maxIters: 0 })).toThrow(ValueError);
    expect(() => computeCCmax(y, { maxIters: 1.5 })).toThrow(/maxIters/);
  });

  it('hand values (NumPy): 2 repeats, and 4 repeats (3 subset pairs)', () => {
    const rho2 = 39 / 42;
    expect(computeCCmax(f64([1, 2, 3], [1, 2, 4, 1, 3, 4])).data[0]).toBeCloseTo(Math.sqrt((2 * rho2) / (1 + rho2)), 14);
    const y4 = f64([1, 4, 5], [1, 2, 4, 3, 0, 2, 2, 5, 3, 1, 0, 3, 3, 4, 1, 1, 1, 4, 2, 0]);
    expect(computeCCmax(y4).data[0]).toBeCloseTo(0.9685042596669006, 13);
    // Odd R drops the last valid repeat: a 5th wild repeat changes nothing.
    const y5 = f64([1, 5, 5], [...y4.data, 9, -3, 7, 0, 4]);
    expect(computeCCmax(y5).data[0]).toBeCloseTo(0.9685042596669006, 13);
  });

  it('per-row NaN rules: R_v = 0 → NaN, R_v ≥ 2 with T_v < 2 → NaN, ρ ≤ 0 → NaN, NaN rows ignored', () => {
    const x = f32([4, 3, 3], [
      NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, // R_v = 0
      1, NaN, NaN, 2, NaN, NaN, NaN, NaN, NaN, // R_v = 2, T_v = 1
      1, 2, 3, 3, 2, 1, NaN, NaN, NaN, // ρ = −1 ≤ 0
      1, 2, 4, NaN, NaN, NaN, 1, 3, 4, // one NaN repeat: the 2-repeat value
    ]);
    const c = computeCCmax(x).data;
    expect(Number.isNaN(c[0])).toBe(true);
    expect(Number.isNaN(c[1])).toBe(true);
    expect(Number.isNaN(c[2])).toBe(true);
    const rho2 = 39 / 42;
    expect(c[3]).toBeCloseTo(Math.sqrt((2 * rho2) / (1 + rho2)), 6);
  });

  it('identical repeats → 1; constant repeats → NaN (zero-variance Pearson)', () => {
    const rng = new Rng(31);
    const { responses } = repeatedSignal(rng, 1, 1, 6, 40, 0);
    const c = computeCCmax(f32([1, 6, 40], responses.data)).data[0];
    expect(c).toBeCloseTo(1, 12);
    expect(Number.isNaN(computeCCmax(f32([1, 4, 5], new Float32Array(20).fill(2))).data[0])).toBe(true);
  });

  it('ground truth on noisy repeats: CCmax ≈ sqrt(s² / (s² + σ²/R))', () => {
    const rng = new Rng(32);
    const R = 10;
    const { responses } = repeatedSignal(rng, 1, 1, R, 3000, 2);
    const c = computeCCmax(f32([1, R, 3000], responses.data)).data[0];
    expect(c).toBeCloseTo(Math.sqrt(1 / (1 + 4 / R)), 1);
    expect(Math.abs(c - Math.sqrt(1 / (1 + 4 / R)))).toBeLessThan(0.02);
  });

  it('is invariant to permuting repeats when every pair is used (R even ≤ 10)', () => {
    const rng = new Rng(33);
    for (const R of [2, 4, 6, 8, 10]) {
      const { responses } = repeatedSignal(rng, 1, 1, R, 25, 1);
      const base = computeCCmax(f32([1, R, 25], responses.data)).data[0];
      const perm = rng.shuffle(Array.from({ length: R }, (_, i) => i));
      const p = new Float32Array(R * 25);
      perm.forEach((src, dst) => p.set(responses.data.subarray(src * 25, src * 25 + 25), dst * 25));
      expect(computeCCmax(f32([1, R, 25], p)).data[0]).toBeCloseTo(base, 12);
    }
  });

  it('lexicographic pairing: subset (last − i) is the complement of subset i; cap at 126', () => {
    for (const rc of [2, 4, 6, 8, 10, 12, 20]) {
      const t = splitHalfTable(rc, 126);
      const k = rc / 2;
      const count = Math.round(Array.from({ length: k }, (_, i) => (rc - k + i + 1) / (i + 1)).reduce((a, b) => a * b, 1));
      expect(t.pairs).toBe(Math.min(Math.floor(count / 2), 126));
      for (let p = 0; p < t.pairs; p++) {
        const a = Array.from(t.subsets.subarray(p * k, p * k + k));
        expect(a).toEqual(unrankCombinationRef(p, rc, k));
        const last = unrankCombinationRef(count - 1 - p, rc, k);
        const complement = Array.from({ length: rc }, (_, i) => i).filter((i) => !a.includes(i));
        expect(last).toEqual(complement);
      }
    }
    expect(splitHalfTable(20, 126).pairs).toBe(126);
    expect(splitHalfTable(10, 126).pairs).toBe(126);
    expect(splitHalfTable(12, 126).pairs).toBe(126);
    expect(splitHalfTable(12, 500).pairs).toBe(462);
  });

  it('matches the direct formula reference on random ragged cells (property test)', () => {
    const rng = new Rng(34);
    let checked = 0;
    for (let trial = 0; trial < 150; trial++) {
      const R = 1 + rng.int(12);
      const T = 1 + rng.int(14);
      const x = new Float32Array(R * T);
      for (let i = 0; i < x.length; i++) x[i] = rng.normal() * (1 + rng.int(3));
      // Ragged patterns: whole NaN repeats, NaN-padded tails, and (rarely) a stray NaN.
      for (let r = 0; r < R; r++) if (rng.next() < 0.2) x.fill(NaN, r * T, r * T + T);
      if (rng.next() < 0.3) {
        const cut = rng.int(T);
        for (let r = 0; r < R; r++) x.fill(NaN, r * T + cut, r * T + T);
      }
      if (rng.next() < 0.1) x[rng.int(x.length)] = NaN;
      const maxIters = rng.next() < 0.3 ? 1 + rng.int(20) : 126;
      const got = computeCCmax(f32([1, R, T], x), { maxIters }).data[0];
      const want = cellCCmaxRef(x, R, T, maxIters);
      expect(close(got, want, 1e-9), `R=${R} T=${T} maxIters=${maxIters}: ${got} vs ${want}`).toBe(true);
      const gotT = computeTTRC(f32([1, R, T], x)).data[0];
      expect(close(gotT, cellTTRCRef(x, R, T), 1e-9)).toBe(true);
      if (Number.isFinite(want)) checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('matches the reference at R = 20 (first 126 of 92 378 pairs) and R = 15', () => {
    const rng = new Rng(35);
    for (const R of [20, 15]) {
      const { responses } = repeatedSignal(rng, 1, 1, R, 12, 1.5);
      const got = computeCCmax(f32([1, R, 12], responses.data)).data[0];
      expect(close(got, cellCCmaxRef(responses.data, R, 12), 1e-9)).toBe(true);
    }
  });
});

describe('computeTTRC', () => {
  it('R = 1 → ones (56); identical repeats → 1 (57)', () => {
    expect(Array.from(computeTTRC(f32([2, 1, 4], [1, 2, 3, 4, 5, 6, 7, 9])).data)).toEqual([1, 1]);
    const rng = new Rng(41);
    const { responses } = repeatedSignal(rng, 1, 1, 5, 30, 0);
    expect(computeTTRC(f32([1, 5, 30], responses.data)).data[0]).toBeCloseTo(1, 12);
  });

  it('hand value (NumPy) and NaN rules', () => {
    const y4 = f64([1, 4, 5], [1, 2, 4, 3, 0, 2, 2, 5, 3, 1, 0, 3, 3, 4, 1, 1, 1, 4, 2, 0]);
    expect(computeTTRC(y4).data[0]).toBeCloseTo(0.7883171272008495, 13);
    const x = f32([2, 2, 3], [NaN, NaN, NaN, NaN, NaN, NaN, 1, 2, 3, 2, 2, 2]);
    const c = computeTTRC(x).data;
    expect(Number.isNaN(c[0])).toBe(true); // R_v = 0
    expect(Number.isNaN(c[1])).toBe(true); // a constant repeat: zero-variance pair
    expect(() => computeTTRC(f32([2, 3], new Float32Array(6)))).toThrow('(B, R, T)');
  });
});
