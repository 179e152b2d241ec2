// Le2025Dataset built from an in-memory release (Node and Chromium).
import { describe, expect, it } from 'vitest';
import { Le2025Dataset, MemorySource } from '../../src/index.js';
import { le2025Files } from '../helpers/zoo/le2025.js';
import { counts, row } from '../helpers/zoo/theunissen.js';

describe('Le2025Dataset.load from a MemorySource', () => {
  it('nat8b: stimulus order, stimtrial binning, waveform mode', async () => {
    const ds = await Le2025Dataset.load({ source: new MemorySource(le2025Files()), smooth: false });
    expect(ds.stimMeta.map((m) => m.name)).toEqual(['ep_nat8mk0_GB_g1_snr-7', 'ep_nat8mk0_G_g2', 'ep_nat8mk0_C', 'ep_nat8mk0_CM', 'ep_nat8mk1_N_g1']);
    expect(row(ds.responses[2][0], 0)).toEqual(counts(40, { 0: 2, 1: 1, 2: 1, 39: 1 }));
    const w = await Le2025Dataset.load({ source: new MemorySource(le2025Files()), returnWaveform: true, experiment: 'nat8a' });
    expect(w.stims.map((s) => s.shape)).toEqual([[1, 40 * 240], [1, 40 * 240]]);
  });
});
