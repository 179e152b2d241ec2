// CRCNSAA4Dataset built from an in-memory release (Node and Chromium): HDF5 units through the synchronous reader (src/io/hdf5-sync.ts).
import { describe, expect, it } from 'vitest';
import { CRCNSAA4Dataset, MemorySource, isSentinel } from '../../src/index.js';
import { aa4Files } from '../helpers/zoo/aa4.js';
import { counts, row } from '../helpers/zoo/theunissen.js';

describe('CRCNSAA4Dataset.load from a MemorySource', () => {
  it('units, md5 stimuli and binned spikes', async () => {
    const ds = await CRCNSAA4Dataset.load({ source: new MemorySource(await aa4Files()), animals: ['GreBlu9508M', 'YelBlu6903F'], smooth: false });
    expect(ds.nrnMeta.map((m) => m.cellId)).toEqual(['Site1_L1400R1400_e10_s0_ss1', 'Site2_L1500R1600_e3_s1_ss2', 'Site1_e1_s0']);
    expect(ds.stimMeta.map((m) => m.name)).toEqual(['abc', 'def', 'jkl', 'mmm']);
    expect(row(ds.responses[0][0], 0)).toEqual(counts(101, { 2: 1, 3: 1 }));
    expect(row(ds.responses[1][0], 0)).toEqual(counts(102, { 1: 2 }));
    expect(isSentinel(ds.responses[3][2])).toBe(true);
  });
});
