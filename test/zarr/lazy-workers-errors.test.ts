// A lazy dataset's store failing inside a loader worker reaches the loop as DataLoaderWorkerError
// naming the worker, the batch and the store: a store removed after the workers started (a folder
// in Node, OPFS in Chromium), a store removed before they started (start-up), a chunk the server
// answers 404 for, a truncated chunk.
import { describe, expect, inject, it } from 'vitest';
import { DataLoader, DataLoaderWorkerError, SyntheticDataset, ZarrDataset, type WritableSource } from '../../src/index.js';
import { exportedStore, uploadTree } from '../helpers/zarr.js';

const CHUNKS = 'responses/data/c/';

const exported = (name: string) => exportedStore(name, new SyntheticDataset({ seed: 12, nNeurons: 5, nStims: 8 }), 600);

/** PUTs the store's files under a new prefix, each through `edit` (null: left out); returns the base URL. */
const upload = (dir: WritableSource, edit: (path: string, bytes: Uint8Array) => Uint8Array | null) =>
  uploadTree(dir, inject('scratchBaseUrl'), `lazy-workers-errors-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, edit);

/** The error an epoch (sequential, 2 workers) ends with. */
async function failure(loader: DataLoader): Promise<DataLoaderWorkerError> {
  try {
    for await (const _ of loader) void _;
  } catch (e) {
    return e as DataLoaderWorkerError;
  } finally {
    await loader.close();
  }
  throw new Error('the epoch did not fail');
}

describe('DataLoader workers over a lazy dataset: store errors', () => {
  it('a store removed between epochs (cells not cached): the next epoch fails at batch 0, naming the store', async () => {
    const s = await exported('lw-vanish');
    const ds = await ZarrDataset.open(s.dir, { cacheBytes: 0 });
    const loader = new DataLoader(ds, { batchSize: 2, shuffle: true, seed: 4, numWorkers: 2, workerIdleTimeout: Infinity });
    let n = 0;
    for await (const b of loader) n += b.stims.shape[0];
    expect(n).toBe(ds.length);
    await s.remove();
    // Another epoch than the one prefetched while epoch 0 ended: its batches are fetched from now on.
    loader.setEpoch(7);
    const e = await failure(loader);
    expect(loader.stats.poolStarts).toBe(1);
    expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    expect(e).toBeInstanceOf(DataLoaderWorkerError);
    expect(e.batch).toBe(0);
    expect([0, 1]).toContain(e.worker);
    expect(e.message).toMatch(new RegExp(`^DataLoader worker ${e.worker} failed during batch 0: `));
    expect(e.message).toContain(`${s.path}/`);
    expect(e.message).toMatch(/is missing/);
  });

  it('a store removed before the workers start: start-up fails, naming the store', async () => {
    const s = await exported('lw-gone');
    const ds = await ZarrDataset.open(s.dir);
    await s.remove();
    const e = await failure(new DataLoader(ds, { batchSize: 2, numWorkers: 2 }));
    expect(e).toBeInstanceOf(DataLoaderWorkerError);
    expect(e.batch).toBe(-1);
    expect(e.message).toMatch(/^DataLoader worker [01] failed during start-up: /);
    expect(e.message).toContain(`${s.path}/zarr.json`);
  });

  it('HTTP: every response chunk answers 404: batch 0 fails with the chunk URL', async () => {
    const s = await exported('lw-404');
    try {
      const url = await upload(s.dir, (f, b) => (f.startsWith(CHUNKS) ? null : b));
      const ds = await ZarrDataset.open(url);
      const e = await failure(new DataLoader(ds, { batchSize: 2, numWorkers: 2 }));
      expect(e).toBeInstanceOf(DataLoaderWorkerError);
      expect(e.batch).toBe(0);
      expect(e.message).toContain(`${url}${CHUNKS}`);
      expect(e.message).toMatch(/chunk \d+ of responses\/data is missing/);
    } finally {
      await s.remove();
    }
  });

  it('HTTP: truncated response chunks: batch 0 fails with the chunk URL and the byte offset', async () => {
    const s = await exported('lw-trunc');
    try {
      const url = await upload(s.dir, (f, b) => (f.startsWith(CHUNKS) ? b.subarray(0, 6) : b));
      const ds = await ZarrDataset.open(url);
      const e = await failure(new DataLoader(ds, { batchSize: 2, numWorkers: 1 }));
      expect(e).toBeInstanceOf(DataLoaderWorkerError);
      expect([e.worker, e.batch]).toEqual([0, 0]);
      // A chunk holds 600 float32 = 2400 bytes; the file ends after 6.
      expect(e.message).toMatch(new RegExp(`^DataLoader worker 0 failed during batch 0: ${url}${CHUNKS}\\d+ @ byte 6: chunk \\d+ of responses/data is truncated: bytes \\d+-\\d+ asked, \\d+ read \\(a chunk holds 2400 data bytes\\)`));
    } finally {
      await s.remove();
    }
  });
});
