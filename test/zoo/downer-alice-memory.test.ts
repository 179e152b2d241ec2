// Downer2025Dataset and AliceEEGDataset built by `load` from a MemorySource holding the fixture
// releases (test/helpers/zoo/): the same code in Node and in Chromium. Values are checked in
// detail by test/node/zoo/{downer2025,alice-eeg}.test.ts; here, what the build gives anywhere.
import { describe, expect, it } from 'vitest';
import { AliceEEGDataset, Downer2025Dataset, MemorySource } from '../../src/index.js';
import { downerFiles } from '../helpers/zoo/downer.js';
import { aliceFiles } from '../helpers/zoo/alice.js';

describe('zoo builds from memory (isomorphic)', () => {
  it('Downer2025Dataset: TIMIT spectrograms and spike counts', async () => {
    const ds = await Downer2025Dataset.load({ source: new MemorySource(downerFiles()), smooth: false });
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['b_180413_Ch1', 'b_180413_Ch1p', 'c_180627_Ch2s2']);
    expect(ds.stims.map((s) => s.shape)).toEqual([[1, 80, 20], [1, 80, 25], [1, 80, 14]]);
    // Ch1p, sentence 2 (onset 3.0 s): its spike at 3.02 s falls in bin 4.
    expect(Array.from(ds.responses[1][1].data).indexOf(1)).toBe(4);
  });

  it('AliceEEGDataset: filtered, resampled EEG segments and Gaussian ERB stimuli', async () => {
    const ds = await AliceEEGDataset.load({ source: new MemorySource(aliceFiles()), subjects: ['S01', 'S04'] });
    expect(ds.nNeurons).toBe(6);
    expect(ds.stims[0].shape).toEqual([1, 8, 11]);
    expect(ds.responses[0][1].shape).toEqual([1, 1]); // S01's bad channel '2'
    expect(ds.responses[0][0].shape).toEqual([1, 11]);
    expect(Number.isFinite(ds.responses[0][0].data[0])).toBe(true);
  });
});
