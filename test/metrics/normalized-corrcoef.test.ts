// deepSTRF's test_metrics 45–49 and independent checks of docs/metrics.md.
import { describe, expect, it } from 'vitest';
import { corrcoef, normalizedCorrcoef, psth, ShapeError, signalPower, ValueError } from '../../src/index.js';
import { cellCCmaxRef } from '../../src/reference/metrics.js';
import { Rng } from '../../src/util/random.js';
import { f32, f64, randn, repeatedSignal } from './helpers.js';

describe('normalizedCorrcoef', () => {
  it('R = 1 with a perfect prediction → 1 (45): the single-trial fallback is corrcoef', () => {
    const rng = new Rng(51);
    const r = randn(rng, [2, 3, 1, 20]);
    expect(normalizedCorrcoef(r, r)).toBeCloseTo(1, 12);
    const p = randn(rng, [2, 3, 1, 20]);
    const a = normalizedCorrcoef(p, r, { reduction: 'none', method: 'hsu' }).data;
    const b = corrcoef(p, r, { reduction: 'none' }).data;
    for (let n = 0; n < 3; n++) expect(a[n]).toBeCloseTo(b[n], 12);
  });

  it("unknown method → ValueError listing 'schoppe' (46); pred R = 2 → ValueError \"R-axis\" (47)", () => {
    const r = f32([1, 1, 2, 4], [1, 2, 3, 4, 1, 2, 3, 4]);
    const p = f32([1, 1, 1, 4], [1, 2, 3, 4]);
    expect(() => normalizedCorrcoef(p, r, { method: 'bogus' as 'hsu' })).toThrow(ValueError);
    expect(() => normalizedCorrcoef(p, r, { method: 'bogus' as 'hsu' })).toThrow(/schoppe/);
    expect(() => normalizedCorrcoef(r, r)).toThrow(ValueError);
    expect(() => normalizedCorrcoef(r, r)).toThrow(/R-axis/);
    expect(() => normalizedCorrcoef(f32([1, 1, 1, 3], [1, 2, 3]), r)).toThrow(ShapeError);
    expect(() => normalizedCorrcoef(f32([1, 1, 4], [1, 2, 3, 4]), r)).toThrow(/expected 4-D/);
    expect(() => normalizedCorrcoef(p, r, { ccmaxIters: -1 })).toThrow(/ccmaxIters/);
  });

  it('noiseless 4 repeats, perfect prediction → 1 for schoppe (48) and hsu (49)', () => {
    const rng = new Rng(52);
    const { responses } = repeatedSignal(rng, 1, 3, 4, 40, 0);
    const pred = psth(responses);
    expect(Math.abs(normalizedCorrcoef(pred, responses) - 1)).toBeLessThan(1e-3);
    expect(Math.abs(normalizedCorrcoef(pred, responses, { method: 'hsu' }) - 1)).toBeLessThan(1e-3);
    // With several stims, hsu stays exactly 1, while schoppe's pooled covariance (one long series,
    // M − 1 normalisation) also holds the between-stim mean differences that the per-stim SP
    // leaves out: close to 1, not exactly 1. This is the contract's formula, kept as is.
    const two = repeatedSignal(rng, 2, 3, 4, 40, 0).responses;
    const p2 = psth(two);
    expect(Math.abs(normalizedCorrcoef(p2, two, { method: 'hsu' }) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(normalizedCorrcoef(p2, two) - 1)).toBeLessThan(0.05);
  });

  it("schoppe = cov(p, ψ) / sqrt(var(p) · SP) with (M − 1) normalisation (hand-checked)", () => {
    const rng = new Rng(53);
    const { responses } = repeatedSignal(rng, 2, 1, 3, 15, 0.8);
    const pred = randn(rng, [2, 1, 1, 15], 1, 1);
    const psi = psth(responses).data;
    const sp = signalPower(responses);
    const p = Array.from(pred.data);
    const g = Array.from(psi);
    const mp = p.reduce((a, b) => a + b) / 30;
    const mg = g.reduce((a, b) => a + b) / 30;
    let cov = 0;
    let vp = 0;
    for (let i = 0; i < 30; i++) {
      cov += (p[i] - mp) * (g[i] - mg);
      vp += (p[i] - mp) ** 2;
    }
    const want = cov / 29 / Math.sqrt((vp / 29) * sp);
    expect(normalizedCorrcoef(pred, responses)).toBeCloseTo(want, 6);
  });

  it('hsu = corrcoef(p, ψ) / CCmax, CCmax length-weighted over stims', () => {
    const rng = new Rng(54);
    const { responses } = repeatedSignal(rng, 2, 1, 4, 20, 1);
    // Stim 1 is shorter: NaN-pad its last 8 bins.
    for (let r = 0; r < 4; r++) responses.data.fill(NaN, (4 + r) * 20 + 12, (4 + r) * 20 + 20);
    const pred = randn(rng, [2, 1, 1, 20]);
    const cc = corrcoef(pred, responses);
    const c0 = cellCCmaxRef(responses.data.subarray(0, 80), 4, 20);
    const c1 = cellCCmaxRef(responses.data.subarray(80, 160), 4, 20);
    expect(c0).toBeGreaterThan(0);
    expect(c1).toBeGreaterThan(0);
    const ccmax = (20 * c0 + 12 * c1) / 32;
    expect(normalizedCorrcoef(pred, responses, { method: 'hsu' })).toBeCloseTo(cc / ccmax, 10);
  });

  it('a neuron with < 2 valid repeats inside an R > 1 batch is NaN under schoppe (no fallback)', () => {
    const r = f64([1, 2, 2, 4], [1, 2, 3, 5, 1, 3, 3, 4, 1, 2, 3, 4, NaN, NaN, NaN, NaN]);
    const p = f64([1, 2, 1, 4], [1, 2, 3, 4, 1, 2, 3, 4]);
    const v = normalizedCorrcoef(p, r, { reduction: 'none' }).data;
    expect(Number.isFinite(v[0])).toBe(true);
    expect(Number.isNaN(v[1])).toBe(true);
    // A constant prediction is NaN (var_p < 1e-12).
    const c = f64([1, 2, 1, 4], [2, 2, 2, 2, 1, 2, 3, 4]);
    expect(Number.isNaN(normalizedCorrcoef(c, r, { reduction: 'none' }).data[0])).toBe(true);
  });
});
