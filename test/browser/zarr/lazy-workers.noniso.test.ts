// Chromium, page WITHOUT cross-origin isolation (the browser-noniso project): no shared memory, so
// no shared batch slots either; a lazy dataset's workers (each opening the store from OPFS or over
// HTTP) still give the batches of the dataset in memory, every batch back by transfer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLoader, SyntheticDataset, ZarrDataset, type MapDataset, type WritableSource } from '../../../src/index.js';
import { servedStore } from '../../helpers/zarr.js';

const bytes = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
let dir: WritableSource;
let url: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  ({ dir, url, remove } = await servedStore('lazy-workers-noniso', new SyntheticDataset({ seed: 5, nNeurons: 6, nStims: 9 }), 800));
});
afterAll(async () => {
  await remove();
});

describe('DataLoader workers over a lazy dataset, without cross-origin isolation', () => {
  it('OPFS and HTTP: 2 workers give the batches of the dataset in memory', async () => {
    expect(globalThis.crossOriginIsolated).toBe(false);
    const run = async (d: MapDataset<unknown>, numWorkers: number) => {
      const loader = new DataLoader(d, { batchSize: 4, shuffle: true, seed: 2, numWorkers });
      const out: unknown[] = [];
      for await (const b of loader) out.push([b.responses.shape, bytes(b.stims.data), bytes(b.responses.data), bytes(b.validMask.data)]);
      await loader.close();
      return { out, transport: loader.stats.transport, slotBatches: loader.stats.slotBatches };
    };
    const want = (await run(new SyntheticDataset({ seed: 5, nNeurons: 6, nStims: 9 }), 0)).out;
    for (const where of [dir, url]) {
      const got = await run(await ZarrDataset.open(where, { cacheBytes: 4096 }), 2);
      expect(got.transport).toBe('lazy');
      expect(got.slotBatches).toBe(0);
      expect(got.out).toEqual(want);
    }
  });
});
