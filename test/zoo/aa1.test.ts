// CRCNSAA1Dataset built from an in-memory release (runs in Node and in Chromium): the async
// factory over a MemorySource, values worked out by hand (see test/helpers/zoo/aa1.ts).
import { describe, expect, it } from 'vitest';
import { CRCNSAA1Dataset, isSentinel } from '../../src/index.js';
import { MemorySource } from '../../src/index.js';
import { aa1Files } from '../helpers/zoo/aa1.js';
import { counts, row } from '../helpers/zoo/theunissen.js';

describe('CRCNSAA1Dataset.load from a MemorySource', () => {
  it('spectrogram mode: 4 cells × 2 sounds, sentinels, binned spikes', async () => {
    const ds = await CRCNSAA1Dataset.load({ source: new MemorySource(aa1Files()), smooth: false });
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['x1_1_A', 'yy2_3', 'weird_x', 'zz3_2_B']);
    expect(ds.stimMeta.map((m) => m.name)).toEqual(['a.wav', 'b.wav']);
    expect(ds.stims[0].shape).toEqual([1, 32, 101]);
    expect(row(ds.responses[0][0], 0)).toEqual(counts(101, { 3: 1, 7: 1 }));
    expect(row(ds.responses[0][3], 0)).toEqual(counts(101, { 0: 2, 100: 1 }));
    expect(row(ds.responses[1][1], 0)).toEqual(counts(63, { 2: 2 }));
    expect(isSentinel(ds.responses[1][0])).toBe(true);
  });

  it('waveform mode: (1, T · 32) stimuli', async () => {
    const ds = await CRCNSAA1Dataset.load({ source: new MemorySource(aa1Files()), returnWaveform: true, stimuli: ['flatrip'] });
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['yy2_3']);
    expect(ds.stims[0].shape).toEqual([1, 63 * 32]);
    expect(ds.hop).toBe(32);
  });
});
