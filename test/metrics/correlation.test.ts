// deepSTRF's test_metrics 26–33, plus hand-computed values and invariance properties.
import { describe, expect, it } from 'vitest';
import { corrcoef, fve } from '../../src/index.js';
import { Rng } from '../../src/util/random.js';
import { bool, f32, f64, randn } from './helpers.js';

describe('corrcoef', () => {
  const rng = new Rng(11);
  const gt = randn(rng, [2, 5, 1, 30]);

  it('self → 1 (26), negation → −1 (27)', () => {
    expect(corrcoef(gt, gt)).toBeCloseTo(1, 12);
    const neg = f32(gt.shape, gt.data.map((v) => -v));
    expect(corrcoef(neg, gt)).toBeCloseTo(-1, 12);
  });

  it('constant prediction → NaN (28)', () => {
    const c = f32(gt.shape, new Float32Array(gt.data.length).fill(3));
    const v = corrcoef(c, gt, { reduction: 'none' }).data;
    expect(Array.from(v).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(corrcoef(c, gt))).toBe(true);
  });

  it('second half NaN, pred = gt → 1 (29)', () => {
    const g = f32(gt.shape, gt.data);
    for (let i = 0; i < g.data.length; i++) if (i % 30 >= 15) g.data[i] = NaN;
    expect(corrcoef(gt, g)).toBeCloseTo(1, 12);
  });

  it("reduction shapes: (5) / scalar / scalar (30)", () => {
    const p = randn(rng, [2, 5, 1, 30]);
    expect(corrcoef(p, gt, { reduction: 'none' }).shape).toEqual([5]);
    expect(typeof corrcoef(p, gt, { reduction: 'mean' })).toBe('number');
    expect(typeof corrcoef(p, gt, { reduction: 'sum' })).toBe('number');
  });

  it('hand-computed: p = [1, 2, 3], g = [1, 3, 2] → 0.5; pools stims (concatenation, not average)', () => {
    expect(corrcoef(f64([1, 1, 1, 3], [1, 2, 3]), f64([1, 1, 1, 3], [1, 3, 2]))).toBeCloseTo(0.5, 14);
    // Two stims: per-stim CCs are 1 and 1, but the pooled series differ in offset: the pooled
    // value is Pearson([0,1,10,11], [0,1,0,1]) = 1/sqrt(101)·… computed directly below.
    const p = f64([2, 1, 1, 2], [0, 1, 10, 11]);
    const g = f64([2, 1, 1, 2], [0, 1, 0, 1]);
    const px = [0, 1, 10, 11];
    const gx = [0, 1, 0, 1];
    const mp = 5.5;
    const mg = 0.5;
    let c = 0, vp = 0, vg = 0;
    for (let i = 0; i < 4; i++) {
      c += (px[i] - mp) * (gx[i] - mg);
      vp += (px[i] - mp) ** 2;
      vg += (gx[i] - mg) ** 2;
    }
    expect(corrcoef(p, g)).toBeCloseTo(c / Math.sqrt(vp * vg), 14);
    expect(corrcoef(p, g)).not.toBeCloseTo(1, 3);
  });

  it('is invariant to shifting and positively scaling the prediction', () => {
    const p = randn(rng, [2, 5, 1, 30]);
    const base = corrcoef(p, gt, { reduction: 'none' }).data;
    for (const [a, b] of [[3, 0], [0.25, -7], [10, 100]]) {
      const q = f64(p.shape, Float64Array.from(p.data, (v) => a * v + b));
      const v = corrcoef(q, gt, { reduction: 'none' }).data;
      for (let n = 0; n < 5; n++) expect(v[n]).toBeCloseTo(base[n], 10);
    }
    const flipped = corrcoef(f64(p.shape, Float64Array.from(p.data, (v) => -2 * v)), gt, { reduction: 'none' }).data;
    for (let n = 0; n < 5; n++) expect(flipped[n]).toBeCloseTo(-base[n], 10);
  });

  it('fewer than two valid positions → NaN', () => {
    const g = f32([1, 1, 1, 3], [1, NaN, NaN]);
    expect(Number.isNaN(corrcoef(f32([1, 1, 1, 3], [1, 2, 3]), g))).toBe(true);
    const m = bool([3], [0, 0, 1]);
    expect(Number.isNaN(corrcoef(f32([1, 1, 1, 3], [1, 2, 3]), f32([1, 1, 1, 3], [1, 2, 3]), { mask: m }))).toBe(true);
  });
});

describe('fve', () => {
  const rng = new Rng(12);
  it('self → 1 (31)', () => {
    const g = randn(rng, [3, 2, 1, 10]);
    expect(fve(g, g)).toBeCloseTo(1, 12);
  });

  it('zero prediction on a zero-mean target → 0 (32)', () => {
    const g = f64([1, 1, 1, 4], [1, -1, 2, -2]);
    expect(fve(f64([1, 1, 1, 4], [0, 0, 0, 0]), g)).toBeCloseTo(0, 14);
  });

  it('pred = −5·gt is negative (33); hand value 1 − 36·Σg²/Σ(g−ḡ)²', () => {
    const g = f64([1, 1, 1, 4], [1, 2, 3, 6]);
    const p = f64([1, 1, 1, 4], [-5, -10, -15, -30]);
    const sse = 36 * (1 + 4 + 9 + 36);
    const sst = (1 - 3) ** 2 + (2 - 3) ** 2 + 0 + 9;
    expect(fve(p, g)).toBeCloseTo(1 - sse / sst, 12);
    expect(fve(p, g)).toBeLessThan(0);
  });

  it('constant target → NaN', () => {
    const g = f64([1, 1, 1, 4], [2, 2, 2, 2]);
    expect(Number.isNaN(fve(g, g))).toBe(true);
  });
});
