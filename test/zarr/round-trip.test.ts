// exportZarr then ZarrDataset.open gives the same items, masks and metadata as the dataset in
// memory: from a folder (Node: a folder on disk; Chromium: OPFS) and over HTTP (the scratch
// server, Range requests), for the synthetic dataset with and without a selection.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DataLoader, HttpSource, SyntheticDataset, ZarrDataset, exportZarr, type Batch } from '../../src/index.js';
import { expectSameAs, scratchDir, uploadTree } from '../helpers/zarr.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function exported(ds: SyntheticDataset, name: string, chunkElements: number) {
  const s = await scratchDir(name);
  cleanups.push(s.remove);
  const r = await exportZarr(ds, s.dir, { chunkElements, provenance: { dataset: 'synthetic', options: { seed: 1 } } });
  return { ...s, result: r };
}

describe('Zarr round trip: synthetic', () => {
  it('whole dataset, small chunks (cells span chunk boundaries), from the folder and over HTTP', async () => {
    const ds = new SyntheticDataset({ seed: 1, nNeurons: 9, nStims: 7 });
    const { dir, result } = await exported(ds, 'synth', 777);
    expect([result.S, result.N]).toEqual([7, 9]);
    await expectSameAs(await ZarrDataset.open(dir), ds);
    const url = await uploadTree(dir, inject('scratchBaseUrl'), `rt-${Date.now()}`);
    const http = await ZarrDataset.open(url, { concurrency: 2 });
    await expectSameAs(http, ds);
    expect(http.source).toBeInstanceOf(HttpSource);
    expect(http.provenance).toMatchObject({ dataset: 'synthetic', options: { seed: 1 }, stims: [0, 1, 2, 3, 4, 5, 6], neurons: [0, 1, 2, 3, 4, 5, 6, 7, 8] });
  });

  it('a selection (stimuli by attribute, neurons reordered and repeated) exports as rows and columns in that order', async () => {
    const ds = new SyntheticDataset({ seed: 2, nNeurons: 8, nStims: 10 });
    ds.selectStimsByAttr('subset', 'est');
    ds.selectPopulation([5, 1, 5, 0]);
    const { dir } = await exported(ds, 'synth-sel', 4096);
    const lazy = await ZarrDataset.open(dir);
    await expectSameAs(lazy, ds);
    expect(lazy.provenance.neurons).toEqual(ds.selectedNeurons());
    expect(lazy.provenance.stims).toEqual(ds.iterableStims());
  });

  it('waveform mode keeps audioFs, F and the (1, T_audio) stimuli', async () => {
    const ds = new SyntheticDataset({ seed: 3, nNeurons: 3, nStims: 3, returnWaveform: true, bins: [20, 30] });
    const { dir } = await exported(ds, 'synth-wave', 10_000);
    const lazy = await ZarrDataset.open(dir);
    expect([lazy.audioFs, lazy.F, lazy.hop]).toEqual([16000, 16, 80]);
    await expectSameAs(lazy, ds);
  });

  it('the DataLoader gives byte-identical batches lazy and in memory (same seed, epochs 0 and 1), with a cache smaller than the dataset', async () => {
    const ds = new SyntheticDataset({ seed: 4, nNeurons: 6, nStims: 12 });
    const { dir } = await exported(ds, 'synth-loader', 1000);
    const lazy = await ZarrDataset.open(dir, { cacheBytes: 64 * 1024, concurrency: 3 });
    const run = async (d: SyntheticDataset | ZarrDataset, epoch: number) => {
      const loader = new DataLoader(d, { batchSize: 3, shuffle: true, seed: 9, prefetchFactor: 2 });
      loader.setEpoch(epoch);
      const out: Batch[] = [];
      for await (const b of loader) out.push(b);
      await loader.close();
      return out;
    };
    const bytes = (b: Batch) => [b.stims, b.responses, b.validMask].map((t) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)));
    for (const epoch of [0, 1]) {
      const a = await run(ds, epoch);
      const b = await run(lazy, epoch);
      expect(b.length).toBe(a.length);
      a.forEach((x, k) => {
        expect(b[k].stims.shape).toEqual(x.stims.shape);
        expect(b[k].responses.shape).toEqual(x.responses.shape);
        expect(bytes(b[k])).toEqual(bytes(x));
        expect(b[k].stimMeta).toEqual(x.stimMeta);
      });
    }
    // The cache stayed within its budget once the epochs ended (nothing pinned any more).
    expect(lazy.stats.cachedBytes).toBeLessThanOrEqual(64 * 1024);
  });
});
