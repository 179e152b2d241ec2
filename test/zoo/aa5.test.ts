// CRCNSAA5Dataset built from an in-memory cache, in Node and in Chromium: the same fixture as
// test/node/zoo/aa5.test.ts (values worked out by hand there), both stimulus modes.
import { describe, expect, it } from 'vitest';
import { CRCNSAA5Dataset, isSentinel } from '../../src/index.js';
import { MemorySource } from '../../src/sources/memory.js';
import { CALL, RIPPLE, SFILT, SONG, aa5Files } from '../helpers/zoo/aa5-fixture.js';

describe('CRCNSAA5Dataset from a MemorySource', () => {
  it('waveform mode: bins, trial order, sentinels', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: new MemorySource(aa5Files()), smooth: false, returnWaveform: true });
    expect(ds.stimMeta.map((m) => m.name)).toEqual([CALL, SONG, SFILT, RIPPLE]);
    const r = ds.responses[0][0];
    expect(r.shape).toEqual([3, 1000]);
    expect([r.data[0], r.data[100], r.data[999], r.data[1000 + 125], r.data[2000 + 300]]).toEqual([1, 3, 1, 1, 2]);
    expect(ds.trialIds[0][0]).toEqual([2, 3, 7]);
    expect(isSentinel(ds.responses[1][1])).toBe(true);
    expect(ds.stims[0].shape).toEqual([1, 125000]);
    expect(ds.stims[0].data[12500]).toBe(1000 / 32768);
  });

  it('spectrogram mode: (1, 32, 1000) cubic mel, silent frames exactly 0', async () => {
    const ds = await CRCNSAA5Dataset.load({ source: new MemorySource(aa5Files()) });
    expect(ds.stims[0].shape).toEqual([1, 32, 1000]);
    expect(ds.stims[0].data[99]).toBe(0);
    expect(ds.stims[0].data[101]).toBeGreaterThan(0);
    expect(ds.responses[0][0].data[100]).toBe(3); // smoothed: 0.5·0 + 1·3 + 0.5·0
  });
});
