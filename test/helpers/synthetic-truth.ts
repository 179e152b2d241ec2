// Ground truth of a SyntheticDataset neuron, computed here from its rates (independently of the
// library's metrics): length-weighted var_t(λ) and mean_t(λ) over the val stimuli it heard.
import { isSentinel, type SyntheticDataset } from '../../src/index.js';

export function rateStats(ds: SyntheticDataset, n: number): { sp: number; np: number } {
  let sp = 0, np = 0, w = 0;
  ds.stimMeta.forEach((m, s) => {
    if (m.subset !== 'val' || isSentinel(ds.responses[s][n])) return;
    const T = ds.stims[s].shape[2];
    const lam = Array.from(ds.groundTruth.rates[s].data.subarray(n * T, (n + 1) * T));
    const mean = lam.reduce((a, b) => a + b, 0) / T;
    sp += (lam.reduce((a, b) => a + (b - mean) ** 2, 0) / (T - 1)) * T;
    np += mean * T;
    w += T;
  });
  return { sp: sp / w, np: np / w };
}
