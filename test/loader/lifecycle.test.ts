// Loaders that end: the per-batch timeout (a transform that never resolves) and in-place data
// changes during an epoch (the same outcome for 0 and 2 workers). Node and Chromium.
import { describe, expect, it } from 'vitest';
import {
  DataLoader, DataLoaderTimeoutError, DatasetChangedError, SyntheticDataset, ValueError, defaultHeap, type Batch,
} from '../../src/index.js';

const urlOf = (rel: string) => new URL(rel, import.meta.url);
const small = () => new SyntheticDataset({ seed: 5, nNeurons: 6, nStims: 8, nBands: 5, bins: [20, 30] });

describe('DataLoader timeout', () => {
  for (const numWorkers of [0, 2]) {
    it(`numWorkers ${numWorkers}: a transform that never resolves → DataLoaderTimeoutError naming the worker and batch`, async () => {
      const ds = small();
      // Sequential batches of 2: stimulus 2 is the first item of batch 1.
      const loader = new DataLoader(ds, {
        batchSize: 2, numWorkers, timeout: 1500, transform: { url: urlOf('./fixtures/hang-transform.ts'), options: { hangAt: 2 } },
      });
      const seen: number[] = [];
      let err: unknown;
      const started = Date.now();
      try {
        for await (const b of loader) seen.push(b.stims.shape[0]);
      } catch (e) {
        err = e;
      }
      expect(seen).toEqual([2]); // batch 0 arrived
      expect(err).toBeInstanceOf(DataLoaderTimeoutError);
      const e = err as DataLoaderTimeoutError;
      expect(e.batch).toBe(1);
      // Batch 0 is fetched by the calling thread while the workers start; the workers' first
      // job, batch 1, goes to the least busy worker: worker 0.
      expect(e.worker).toBe(numWorkers === 0 ? -1 : 0);
      expect(e.timeoutMs).toBe(1500);
      expect(e.message).toMatch(
        numWorkers === 0
          ? /timed out after 1500 ms waiting for batch 1 from the calling thread/
          : /timed out after 1500 ms waiting for batch 1 from worker 0; every worker was terminated/,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(loader.stats.liveWorkers).toBe(0);
      await loader.close();
    });
  }

  it('numWorkers 2: close() while the loop waits for a batch rejects it as closed, not as a worker failure', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2, transform: { url: urlOf('./fixtures/hang-transform.ts'), options: { hangAt: 2 } } });
    const seen: number[] = [];
    let err: unknown;
    // Once the workers run (batch 0 came from the calling thread while they started), batch 1
    // (stimulus 2 first) never comes: close the loader while the loop waits for it.
    const closeWhenStarted = async () => {
      while (loader.stats.liveWorkers < 2) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      await loader.close();
    };
    try {
      for await (const b of loader) {
        seen.push(b.stims.shape[0]);
        void closeWhenStarted();
      }
    } catch (e) {
      err = e;
    }
    expect(seen).toEqual([2]);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('Error');
    expect((err as Error).message).toBe('DataLoader closed while a batch was being collated');
    expect(loader.stats.liveWorkers).toBe(0);
  });

  it('rejects a negative or non-numeric timeout with ValueError', () => {
    const ds = small();
    expect(() => new DataLoader(ds, { timeout: -1 })).toThrow(ValueError);
    expect(() => new DataLoader(ds, { timeout: -1 })).toThrow(/timeout must be a number of milliseconds ≥ 0 \(0 = none\), got -1/);
    expect(() => new DataLoader(ds, { workerIdleTimeout: Number.NaN })).toThrow(/workerIdleTimeout must be a number of milliseconds ≥ 0, got NaN/);
  });
});

describe('DataLoader workerIdleTimeout', () => {
  it('idle workers end after the timeout and start again with the next epoch, same batches', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 3, numWorkers: 2, workerIdleTimeout: 150 });
    const epoch = async () => {
      loader.setEpoch(0);
      const out: number[][] = [];
      for await (const b of loader) out.push(Array.from(b.responses.data.subarray(0, 8)));
      return out;
    };
    const first = await epoch();
    expect(loader.stats.liveWorkers).toBe(2); // kept between epochs…
    await new Promise((r) => setTimeout(r, 600));
    expect(loader.stats.liveWorkers).toBe(0); // …until idle for 150 ms
    expect(await epoch()).toEqual(first);
    expect(loader.stats.poolStarts).toBe(2);
    await loader.close();
  });

  it('`await using` closes the loader at the end of the block', async () => {
    const ds = small();
    let seen: DataLoader | null = null;
    {
      await using loader = new DataLoader(ds, { batchSize: 3, numWorkers: 2, workerIdleTimeout: Infinity });
      for await (const _ of loader) { /* one epoch: the workers stay */ }
      expect(loader.stats.liveWorkers).toBe(2);
      seen = loader;
    }
    expect(seen.stats.liveWorkers).toBe(0);
    await expect(async () => {
      for await (const _ of seen as DataLoader) { /* closed */ }
    }).rejects.toThrow('DataLoader is closed');
  });

  it('a new epoch before the timeout keeps the same workers', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 3, numWorkers: 2, workerIdleTimeout: 400 });
    for await (const _ of loader) { /* epoch 0 */ }
    await new Promise((r) => setTimeout(r, 200));
    for await (const _ of loader) { /* epoch 1, within the timeout */ }
    await new Promise((r) => setTimeout(r, 250)); // 450 ms after epoch 0, 250 ms after epoch 1
    expect(loader.stats.liveWorkers).toBe(2);
    expect(loader.stats.poolStarts).toBe(1);
    await loader.close();
  });
});

describe('DataLoader: data changed in place during an epoch', () => {
  /** Batch 0, then smoothResponses(), then the next batch: the outcome, whatever numWorkers is. */
  async function changeAfterFirst(numWorkers: number) {
    const ds = small();
    const before = ds.responses[0][0].data.slice();
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers });
    const got: Batch[] = [];
    let err: unknown;
    try {
      for await (const b of loader) {
        got.push(b);
        if (got.length === 1) ds.smoothResponses({ windowMs: 21 });
      }
    } catch (e) {
      err = e;
    }
    // The next epoch reads the new data.
    const next: Batch[] = [];
    for await (const b of loader) next.push(b);
    await loader.close();
    return { ds, before, got, err, next };
  }

  it('0 and 2 workers: batch 0 holds the old data, then DatasetChangedError; the next epoch sees the new data', async () => {
    const r0 = await changeAfterFirst(0);
    const r2 = await changeAfterFirst(2);
    for (const r of [r0, r2]) {
      expect(r.got).toHaveLength(1);
      expect(r.err).toBeInstanceOf(DatasetChangedError);
      expect((r.err as DatasetChangedError).batch).toBe(1);
      expect((r.err as Error).message).toMatch(/SyntheticDataset's data changed in place during the epoch \(data version \d+ when it started, \d+ before batch 1\)/);
      // Item 0, neuron 0 of batch 0: the unsmoothed cell (the batch pads to the longest item).
      const [, , R, T] = [0, 0, r.got[0].responses.shape[2], r.got[0].responses.shape[3]];
      const cell = r.ds.responses[0][0];
      const [cr, ct] = cell.shape;
      const first = r.got[0].responses.data;
      for (let i = 0; i < cr; i++) for (let t = 0; t < ct; t++) expect(first[i * T + t]).toBe(r.before[i * ct + t]);
      expect(R).toBeGreaterThanOrEqual(cr);
      // Epoch 2, batch 0: the smoothed cell.
      const now = cell.data;
      const second = r.next[0].responses.data;
      for (let i = 0; i < cr; i++) for (let t = 0; t < ct; t++) expect(second[i * T + t]).toBe(now[i * ct + t]);
      expect(Array.from(now)).not.toEqual(Array.from(r.before)); // smoothing did change it
    }
    expect(Array.from(r2.got[0].responses.data)).toEqual(Array.from(r0.got[0].responses.data));
    expect(Array.from(r2.next[0].responses.data)).toEqual(Array.from(r0.next[0].responses.data));
  });

  it('restarting the workers (break after a batch) leaves none of their blocks in the heap', async () => {
    const heap = defaultHeap();
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2 });
    for await (const _ of loader) break; // starts the pool once (warm-up: kernel caches of this thread)
    const held = heap.stats().held;
    for (let i = 0; i < 3; i++) {
      for await (const _ of loader) break;
    }
    await loader.close();
    expect(heap.stats().held).toBe(held);
  });
});
