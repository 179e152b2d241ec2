// deepSTRF's test_metrics 1–25 (value parts) and 34–38, plus hand-computed cases.
// Cases 9, 10, 13, 14 and 24 are about autograd gradients: not applicable (no autograd here).
import { describe, expect, it } from 'vitest';
import { corrcoef, fve, mseLoss, poissonLoss, psth, ShapeError, ValueError } from '../../src/index.js';
import { Rng } from '../../src/util/random.js';
import type { Tensor } from '../../src/tensor.js';
import { bool, f32, f64, randn } from './helpers.js';

const NaN4 = [NaN, NaN, NaN, NaN];

describe('mseLoss', () => {
  const rng = new Rng(1);
  const pred = randn(rng, [2, 4, 1, 10]);
  const gt = randn(rng, [2, 4, 1, 10]);

  it('is 0 for pred = gt (1)', () => {
    expect(mseLoss(pred, pred)).toBe(0);
  });

  it("'none' gives (N) float64, 'mean' / 'sum' reduce it with NaN-skipping (2–4)", () => {
    const none = mseLoss(pred, gt, { reduction: 'none' });
    expect(none.shape).toEqual([4]);
    expect(none.dtype).toBe('float64');
    const v = Array.from(none.data);
    expect(mseLoss(pred, gt, { reduction: 'mean' })).toBeCloseTo(v.reduce((a, b) => a + b) / 4, 12);
    expect(mseLoss(pred, gt)).toBeCloseTo(v.reduce((a, b) => a + b) / 4, 12);
    expect(mseLoss(pred, gt, { reduction: 'sum' })).toBeCloseTo(v.reduce((a, b) => a + b), 12);
    // Independent per-neuron value for neuron 2: pool all (b, t).
    let s = 0;
    for (let b = 0; b < 2; b++) for (let t = 0; t < 10; t++) {
      const i = (b * 4 + 2) * 10 + t;
      s += (pred.data[i] - gt.data[i]) ** 2;
    }
    expect(none.data[2]).toBeCloseTo(s / 20, 12);
  });

  it("rejects a bad reduction with ValueError naming 'reduction' (5, 25)", () => {
    for (const r of ['MEAN', 'None', 'avg']) {
      expect(() => mseLoss(pred, gt, { reduction: r as 'mean' })).toThrow(ValueError);
      expect(() => mseLoss(pred, gt, { reduction: r as 'mean' })).toThrow(/reduction/);
      expect(() => poissonLoss(pred, gt, { reduction: r as 'mean' })).toThrow(/reduction/);
    }
  });

  it("rejects mismatched shapes (6) and wrong rank with ShapeError ('shape', 'expected 4-D')", () => {
    const g3 = randn(rng, [2, 3, 1, 10]);
    expect(() => mseLoss(pred, g3)).toThrow(ShapeError);
    expect(() => mseLoss(pred, g3)).toThrow(/shape/);
    const p3 = f32([4, 1, 10], new Float32Array(40));
    expect(() => mseLoss(p3, gt)).toThrow(ValueError);
    expect(() => mseLoss(p3, gt)).toThrow(/expected 4-D/);
    expect(() => mseLoss(pred, p3)).toThrow(/expected 4-D/);
  });

  it('pools only valid positions: gt [[1,1,NaN,NaN],[2,2,2,2]], pred 0 → [1, 4] (7)', () => {
    const g = f32([1, 2, 1, 4], [1, 1, NaN, NaN, 2, 2, 2, 2]);
    const p = f32([1, 2, 1, 4], new Float32Array(8));
    expect(Array.from(mseLoss(p, g, { reduction: 'none' }).data)).toEqual([1, 4]);
  });

  it('an all-NaN neuron is NaN under none and dropped by mean/sum (8)', () => {
    const g = f32([1, 2, 1, 4], [...NaN4, 2, 2, 2, 2]);
    const p = f32([1, 2, 1, 4], new Float32Array(8));
    const none = mseLoss(p, g, { reduction: 'none' }).data;
    expect(Number.isNaN(none[0])).toBe(true);
    expect(none[1]).toBe(4);
    expect(mseLoss(p, g)).toBe(4);
    expect(mseLoss(p, g, { reduction: 'sum' })).toBe(4);
  });

  it('a user mask replaces the NaN mask (11) and admitting a NaN is loud (12)', () => {
    const g = f32([1, 1, 1, 4], [1, 1, 1, 1]);
    const p = f32([1, 1, 1, 4], [0, 0, 5, 5]);
    const m = bool([1, 1, 1, 4], [1, 1, 0, 0]);
    expect(Array.from(mseLoss(p, g, { mask: m, reduction: 'none' }).data)).toEqual([1]);
    const gn = f32([1, 1, 1, 4], [1, NaN, 1, 1]);
    expect(Number.isNaN(mseLoss(p, gn, { mask: m, reduction: 'none' }).data[0])).toBe(true);
  });

  it('a mask broadcasts with NumPy rules: (T) and (1, N, 1, 1)', () => {
    const g = f32([2, 2, 1, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const p = f32([2, 2, 1, 3], new Float32Array(12));
    // Only t = 0: neuron 0 sees 1 and 7, neuron 1 sees 4 and 10.
    const byT = mseLoss(p, g, { mask: bool([3], [1, 0, 0]), reduction: 'none' }).data;
    expect(Array.from(byT)).toEqual([(1 + 49) / 2, (16 + 100) / 2]);
    // Only neuron 1, all positions.
    const byN = mseLoss(p, g, { mask: bool([1, 2, 1, 1], [0, 1]), reduction: 'none' }).data;
    expect(Number.isNaN(byN[0])).toBe(true);
    expect(byN[1]).toBeCloseTo((16 + 25 + 36 + 100 + 121 + 144) / 6, 12);
  });

  it('rejects a non-bool mask with TypeError "bool" (15) and an unbroadcastable one with ShapeError', () => {
    const g = f32([1, 1, 1, 4], [1, 1, 1, 1]);
    const fm = f32([1, 1, 1, 4], [1, 1, 0, 0]);
    expect(() => mseLoss(g, g, { mask: fm as never })).toThrow(TypeError);
    expect(() => mseLoss(g, g, { mask: fm as never })).toThrow(/bool/);
    expect(() => mseLoss(g, g, { mask: bool([3], [1, 1, 1]) })).toThrow(ShapeError);
    expect(() => mseLoss(g, g, { mask: bool([2, 1, 1, 1, 4], new Uint8Array(8)) })).toThrow(/broadcast/);
  });

  it('R = 1 custom target of zeros is used as is: mse = mean(pred²) per neuron (38)', () => {
    const p = randn(rng, [2, 3, 1, 7]);
    const z = f32([2, 3, 1, 7], new Float32Array(42));
    const none = mseLoss(p, z, { reduction: 'none' }).data;
    for (let n = 0; n < 3; n++) {
      let s = 0;
      for (let b = 0; b < 2; b++) for (let t = 0; t < 7; t++) s += p.data[(b * 3 + n) * 7 + t] ** 2;
      expect(none[n]).toBeCloseTo(s / 14, 12);
    }
  });
});

describe('poissonLoss', () => {
  const rng = new Rng(2);

  it("'none' gives (N) (16); rate-input value matches p − g·ln(max(p, eps) + eps)", () => {
    const p = f64([1, 3, 1, 2], [0.5, 2, 1, 3, 0.1, 0.2]);
    const g = f64([1, 3, 1, 2], [1, 0, 2, 2, 0, 3]);
    const none = poissonLoss(p, g, { reduction: 'none' });
    expect(none.shape).toEqual([3]);
    const el = (pp: number, gg: number) => pp - gg * Math.log(pp + 1e-8);
    expect(none.data[0]).toBeCloseTo((el(0.5, 1) + el(2, 0)) / 2, 12);
    expect(none.data[1]).toBeCloseTo((el(1, 2) + el(3, 2)) / 2, 12);
    expect(none.data[2]).toBeCloseTo((el(0.1, 0) + el(0.2, 3)) / 2, 12);
  });

  it('validateInput rejects negative rates at valid positions with "negative values" (17)', () => {
    const p = f32([1, 1, 1, 3], [0.5, -0.1, 1]);
    const g = f32([1, 1, 1, 3], [1, 1, 1]);
    expect(() => poissonLoss(p, g, { validateInput: true })).toThrow(ValueError);
    expect(() => poissonLoss(p, g, { validateInput: true })).toThrow(/negative values/);
  });

  it('a negative rate is clamped inside the log only by default (18)', () => {
    const p = f64([1, 1, 1, 2], [-0.5, 1]);
    const g = f64([1, 1, 1, 2], [2, 0]);
    const v = poissonLoss(p, g);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeCloseTo((-0.5 - 2 * Math.log(1e-8 + 1e-8) + 1) / 2, 9);
  });

  it('a negative rate where gt is NaN is fine under validateInput (19)', () => {
    const p = f32([1, 1, 1, 3], [-1, 0.5, 0.5]);
    const g = f32([1, 1, 1, 3], [NaN, 1, 1]);
    const v = poissonLoss(p, g, { validateInput: true });
    expect(v).toBeCloseTo(0.5 - Math.log(0.5 + 1e-8), 6);
  });

  it('log-rate input is mean(exp(p) − g·p) (20), finite for large ±p (21), minimal at ln g (22)', () => {
    const p = randn(rng, [2, 2, 1, 5]);
    const g = f32([2, 2, 1, 5], Array.from({ length: 20 }, () => rng.poisson(2)));
    const none = poissonLoss(p, g, { logInput: true, reduction: 'none' }).data;
    for (let n = 0; n < 2; n++) {
      let s = 0;
      for (let b = 0; b < 2; b++) for (let t = 0; t < 5; t++) {
        const i = (b * 2 + n) * 5 + t;
        s += Math.exp(p.data[i]) - g.data[i] * p.data[i];
      }
      expect(none[n]).toBeCloseTo(s / 10, 9);
    }
    const big = f32([1, 2, 1, 1], [50, -50]);
    const gb = f32([1, 2, 1, 1], [3, 3]);
    for (const v of poissonLoss(big, gb, { logInput: true, reduction: 'none' }).data) expect(Number.isFinite(v)).toBe(true);
    const gt = f64([1, 1, 1, 1], [3]);
    const at = (x: number) => poissonLoss(f64([1, 1, 1, 1], [x]), gt, { logInput: true });
    expect(at(Math.log(3))).toBeLessThan(at(Math.log(3) + 0.5));
    expect(at(Math.log(3))).toBeLessThan(at(Math.log(3) - 0.5));
  });

  it('gt [1, 1, NaN, NaN], pred 0.5 → 0.5 − ln(0.5 + 1e-8) (23)', () => {
    const p = f32([1, 1, 1, 4], [0.5, 0.5, 0.5, 0.5]);
    const g = f32([1, 1, 1, 4], [1, 1, NaN, NaN]);
    expect(poissonLoss(p, g)).toBeCloseTo(0.5 - Math.log(0.5 + 1e-8), 7);
  });

  it('rejects a bad eps', () => {
    const p = f32([1, 1, 1, 1], [1]);
    expect(() => poissonLoss(p, p, { eps: -1 })).toThrow(/eps/);
  });
});

describe('auto-PSTH collapse (34–37)', () => {
  const rng = new Rng(3);
  const raw = randn(rng, [2, 3, 4, 20], 1, 2);
  // NaN repeat slabs: (b0, n1) loses repeats 2–3, (b1, n2) loses repeat 0, and a NaN-padded tail.
  for (let t = 0; t < 20; t++) {
    raw.data[((0 * 3 + 1) * 4 + 2) * 20 + t] = NaN;
    raw.data[((0 * 3 + 1) * 4 + 3) * 20 + t] = NaN;
    raw.data[((1 * 3 + 2) * 4 + 0) * 20 + t] = NaN;
  }
  for (let r = 0; r < 4; r++) for (let t = 15; t < 20; t++) raw.data[((1 * 3 + 0) * 4 + r) * 20 + t] = NaN;
  const target = psth(raw);
  const pred = randn(rng, [2, 3, 1, 20], 0.5, 2);
  const cases = [
    ['mse', (g: Tensor) => mseLoss(pred, g, { reduction: 'none' })],
    ['poisson', (g: Tensor) => poissonLoss(pred, g, { reduction: 'none' })],
    ['poisson log', (g: Tensor) => poissonLoss(pred, g, { reduction: 'none', logInput: true })],
    ['corrcoef', (g: Tensor) => corrcoef(pred, g, { reduction: 'none' })],
    ['fve', (g: Tensor) => fve(pred, g, { reduction: 'none' })],
  ] as const;
  for (const [name, f] of cases) {
    it(`${name}: raw responses and their PSTH give the same values`, () => {
      const a = Array.from(f(raw).data);
      const b = Array.from(f(target).data);
      expect(a.every(Number.isFinite)).toBe(true);
      for (let n = 0; n < 3; n++) expect(a[n]).toBeCloseTo(b[n], 6);
    });
  }

  it('psth is the NaN-mean over repeats', () => {
    expect(target.shape).toEqual([2, 3, 1, 20]);
    const i = (b: number, n: number, r: number, t: number) => ((b * 3 + n) * 4 + r) * 20 + t;
    expect(target.data[(0 * 3 + 1) * 20 + 4]).toBeCloseTo((raw.data[i(0, 1, 0, 4)] + raw.data[i(0, 1, 1, 4)]) / 2, 6);
    expect(Number.isNaN(target.data[(1 * 3 + 0) * 20 + 17])).toBe(true);
  });
});
