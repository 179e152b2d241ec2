// Metrics against the SyntheticDataset's ground truth: the model behind its responses is known.
import { describe, expect, it } from 'vitest';
import { SyntheticDataset, neuralCollate, noisePower, signalPower } from '../../src/index.js';
import { rateStats } from '../helpers/synthetic-truth.js';

const truth = rateStats;

describe('metrics on SyntheticDataset ground truth', () => {
  it('noiseless repeats: CCmax 1, SP = var(signal), NP = 0, written into nrnMeta', () => {
    const ds = new SyntheticDataset({ seed: 11, noiseless: true, nanFraction: 0, nNeurons: 10, nStims: 12, estRepeats: [1, 1] });
    const q = ds.computeNeuronQuality();
    for (let n = 0; n < 10; n++) {
      expect(q.ccmax.data[n]).toBeCloseTo(1, 6);
      expect(ds.nrnMeta[n].ccmax).toBe(q.ccmax.data[n]);
      // SP / max(NP, 1e-12) where some stimulus has ≥ 2 repeats (val); NaN for the est-only neuron
      if (Number.isNaN(truth(ds, n).sp)) expect(ds.nrnMeta[n].snr).toBeNaN();
      else expect(ds.nrnMeta[n].snr).toBeGreaterThan(1e6);
    }
    ds.selectStimsByAttr('subset', 'val');
    const batch = neuralCollate([...ds]);
    const sp = signalPower(batch.responses, { reduction: 'none' });
    const np = noisePower(batch.responses, { reduction: 'none' });
    ds.selectedNeurons().forEach((n, j) => {
      expect(sp.data[j]).toBeCloseTo(truth(ds, n).sp, 4);
      expect(Math.abs(np.data[j])).toBeLessThan(1e-6);
    });
  });

  it('Poisson repeats: estimated SNR tracks the true var(λ) / mean(λ)', () => {
    const ds = new SyntheticDataset({ seed: 12, nanFraction: 0, nNeurons: 16, nStims: 16, valFraction: 0.5, valRepeats: [40, 40], estRepeats: [1, 1] });
    const q = ds.computeNeuronQuality();
    const rel: number[] = [];
    for (let n = 0; n < 16; n++) {
      const t = truth(ds, n);
      if (!(t.np > 0)) continue;
      rel.push(Math.abs(q.snr.data[n] - t.sp / t.np) / (t.sp / t.np));
    }
    rel.sort((a, b) => a - b);
    expect(rel.length).toBeGreaterThan(10);
    expect(rel[Math.floor(rel.length / 2)]).toBeLessThan(0.15); // median relative error
  });
});
