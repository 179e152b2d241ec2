// SyntheticDataset: determinism, the irregularities it promises, and its ground truth.
import { describe, expect, it } from 'vitest';
import { SyntheticDataset, isSentinel, neuralCollate } from '../../src/index.js';
import { rateStats } from '../helpers/synthetic-truth.js';

const bytesOf = (ds: SyntheticDataset) => ds.responses.flatMap((row) => row.map((r) => Array.from(new Uint32Array(r.data.slice().buffer)).join(','))).join(';');

describe('SyntheticDataset', () => {
  it('is deterministic in its seed', () => {
    const a = new SyntheticDataset({ seed: 3, nNeurons: 6, nStims: 5 });
    const b = new SyntheticDataset({ seed: 3, nNeurons: 6, nStims: 5 });
    const c = new SyntheticDataset({ seed: 4, nNeurons: 6, nStims: 5 });
    expect(bytesOf(a)).toBe(bytesOf(b));
    expect(bytesOf(a)).not.toBe(bytesOf(c));
    expect(a.stims.map((s) => s.shape)).toEqual(b.stims.map((s) => s.shape));
  });

  it('has ragged durations and repeats, missing pairs, NaN inside real cells and uneven metadata', () => {
    const ds = new SyntheticDataset({ seed: 0 });
    expect(ds.getN()).toBe(32);
    expect(ds.getS()).toBe(24);
    expect(new Set(ds.stims.map((s) => s.shape[2])).size).toBeGreaterThan(5);
    const cells = ds.responses.flat();
    expect(new Set(cells.filter((r) => !isSentinel(r)).map((r) => r.shape[0])).size).toBeGreaterThan(3);
    expect(cells.filter(isSentinel).length).toBeGreaterThan(10);
    const partial = cells.filter((r) => !isSentinel(r) && Array.from(r.data).some(Number.isNaN));
    expect(partial.length).toBeGreaterThan(0);
    expect(ds.nrnMeta.some((m) => !('depthUm' in m))).toBe(true);
    expect(ds.nrnMeta.some((m) => 'depthUm' in m)).toBe(true);
    expect(new Set(ds.nrnMeta.map((m) => m.area))).toEqual(new Set(['A1', 'PEG']));
    expect(ds.stimMeta.filter((m) => m.subset === 'val')).toHaveLength(6);
    // the last 10 % of neurons never heard a val stimulus: hidden when val stimuli are selected
    ds.selectStimsByAttr('subset', 'val');
    expect(ds.selectedNeurons()).toEqual(Array.from({ length: 29 }, (_, i) => i));
  });

  it('noiseless responses equal the ground-truth rates on every repeat', () => {
    const ds = new SyntheticDataset({ seed: 1, noiseless: true, nanFraction: 0, nNeurons: 5, nStims: 6 });
    ds.stims.forEach((st, s) => {
      const T = st.shape[2];
      ds.responses[s].forEach((r, n) => {
        if (isSentinel(r)) return;
        const lam = ds.groundTruth.rates[s].data.subarray(n * T, (n + 1) * T);
        for (let k = 0; k < r.shape[0]; k++) expect(r.data.subarray(k * T, (k + 1) * T)).toEqual(lam);
      });
    });
  });

  it('noisy responses are Poisson draws of the rates: mean counts match within 4 standard errors', () => {
    const ds = new SyntheticDataset({ seed: 2, valRepeats: [40, 40], nanFraction: 0, nNeurons: 8, nStims: 8, valFraction: 0.5 });
    ds.stims.forEach((st, s) => {
      if (ds.stimMeta[s].subset !== 'val') return;
      const T = st.shape[2];
      ds.responses[s].forEach((r, n) => {
        if (isSentinel(r)) return;
        let lamSum = 0, cnt = 0;
        for (let t = 0; t < T; t++) lamSum += ds.groundTruth.rates[s].data[n * T + t];
        for (const v of r.data) cnt += v;
        const expected = lamSum * r.shape[0];
        expect(Math.abs(cnt - expected)).toBeLessThan(4 * Math.sqrt(expected) + 1);
      });
    });
  });

  it('ground-truth SNR is var_t(λ) / mean_t(λ), length-weighted over val stimuli, written to nrnMeta.snr', () => {
    const ds = new SyntheticDataset({ seed: 5, nNeurons: 4, nStims: 8 });
    const n = 0;
    const { sp, np } = rateStats(ds, n);
    expect(ds.groundTruth.snr[n]).toBeCloseTo(sp / np, 6);
    expect(ds.nrnMeta[n].snr).toBeCloseTo(sp / np, 6);
  });

  it('collates every batch of an epoch through the kernels', () => {
    const ds = new SyntheticDataset({ seed: 0 });
    ds.selectPopByNrnAttr('area', 'A1');
    const N = ds.selectedNeurons().length;
    for (let i = 0; i < ds.length; i += 8) {
      const b = neuralCollate(Array.from({ length: Math.min(8, ds.length - i) }, (_, k) => ds.get(i + k)));
      expect(b.responses.shape[1]).toBe(N);
      expect(b.stims.shape.slice(1, 3)).toEqual([1, 16]);
    }
  });
});
