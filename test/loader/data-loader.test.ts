// DataLoader: batches equal neuralCollate of the same items; epochs, shuffling and selection
// snapshots; workers (byte-identical to numWorkers 0, ordered, bounded prefetch, transforms,
// errors, abort, lifecycle). Runs in Node (worker_threads) and Chromium (Web Workers).
import { describe, expect, it } from 'vitest';
import {
  DataLoader, DataLoaderWorkerError, DistributedSampler, Subset, SyntheticDataset, ValueError, concatNeuralDatasets,
  HeapTensor, ReleasedBatchError, neuralCollate, randomSplit, type Batch, type NeuralDataset,
} from '../../src/index.js';
import { concatFixture } from '../helpers/fixtures.js';

const small = () => new SyntheticDataset({ seed: 5, nNeurons: 7, nStims: 11, nBands: 6, bins: [20, 40] });
const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
/** Everything that makes a batch, as plain comparable data (tensors as bytes). */
const flat = (b: Batch) => ({
  keys: Object.keys(b),
  shapes: [b.stims.shape, b.responses.shape, b.validMask.shape],
  stims: bytes(b.stims.data), responses: bytes(b.responses.data), validMask: bytes(b.validMask.data),
  names: b.stimMeta.map((m) => m.name),
  extras: Object.keys(b).filter((k) => !['stims', 'responses', 'validMask', 'stimMeta'].includes(k)).map((k) => [k, b[k]]),
});
async function collect(loader: DataLoader) {
  const out: ReturnType<typeof flat>[] = [];
  for await (const b of loader) out.push(flat(b));
  return out;
}
/** The reference: neuralCollate over ds.get of the same positions. */
const reference = (ds: NeuralDataset, batches: number[][]) => batches.map((idx) => flat(neuralCollate(idx.map((i) => ds.get(i)))));
const urlOf = (rel: string) => new URL(rel, import.meta.url);

describe('DataLoader in the calling thread', () => {
  it('batches are neuralCollate of the same items, in order; length and dropLast', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(await collect(loader)).toEqual(reference(ds, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]));
    const dropping = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropping.length).toBe(2);
    expect((await collect(dropping)).map((b) => b.shapes[0][0])).toEqual([4, 4]);
  });

  it('shuffle: deterministic in (seed, epoch); epochs advance; setEpoch replays one', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 2 });
    const e0 = (await collect(loader)).map((b) => b.names);
    const e1 = (await collect(loader)).map((b) => b.names);
    expect(e1).not.toEqual(e0);
    loader.setEpoch(0);
    expect((await collect(loader)).map((b) => b.names)).toEqual(e0);
    expect(e0.flat().sort()).toEqual(ds.stimMeta.map((m) => m.name).sort());
  });

  it("deepSTRF's test_concat 8: batch 2 over concat with A's neurons → 2 batches, 3 items, every item has data", async () => {
    const c = concatNeuralDatasets([concatFixture(2, 3, { cls: 'A' }), concatFixture(3, 2, { cls: 'B' })]);
    c.selectPopulation([0, 1]);
    const batches: Batch[] = [];
    for await (const b of new DataLoader(c, { batchSize: 2 })) batches.push(b);
    expect(batches).toHaveLength(2);
    expect(batches.reduce((a, b) => a + b.stims.shape[0], 0)).toBe(3);
    for (const b of batches) {
      const per = b.validMask.data.length / b.stims.shape[0];
      for (let i = 0; i < b.stims.shape[0]; i++) expect(b.validMask.data.subarray(i * per, (i + 1) * per).some((v) => v === 1)).toBe(true);
    }
  });

  it('the selection is snapshot per epoch: changing it mid-epoch affects the next epoch only', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 2 });
    const N = ds.selectedNeurons().length;
    const seen: number[] = [];
    let first = true;
    for await (const b of loader) {
      seen.push(b.responses.shape[1]);
      if (first) ds.selectNeuron(3);
      first = false;
    }
    expect(seen.every((n) => n === N)).toBe(true);
    const next: number[] = [];
    for await (const b of loader) next.push(b.responses.shape[1]);
    expect(next.every((n) => n === 1)).toBe(true);
    expect(next.length).toBe(Math.ceil(ds.length / 2));
  });

  it('Subset and randomSplit feed the loader through the parent\'s selection', async () => {
    const ds = small();
    ds.selectStimsByAttr('subset', 'est');
    const [train] = randomSplit(ds, [0.5, 0.5], 1);
    const got = await collect(new DataLoader(train, { batchSize: 10 }));
    expect(got).toEqual([flat(neuralCollate(train.indices.map((i) => ds.get(i))))]);
  });

  it('recycleBatches without workers: the next batch is written over the previous one, values stay right', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 3, recycleBatches: true, dropLast: true });
    const ref = reference(ds, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    const got: ReturnType<typeof flat>[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const b of loader) {
      got.push(flat(b));
      buffers.add(b.responses.data.buffer);
    }
    expect(got).toEqual(ref);
    expect(buffers.size).toBeLessThan(3); // memory was reused
  });

  it('bad options → typed errors naming the option', () => {
    const ds = small();
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader(ds, { numWorkers: -1 })).toThrow(ValueError);
    expect(() => new DataLoader(ds, { prefetchFactor: 0 })).toThrow(/prefetchFactor must be a positive integer/);
    expect(() => new DataLoader({ length: 2, get: (i: number) => i }, { numWorkers: 1 })).toThrow(/numWorkers > 0 needs a NeuralDataset/);
    expect(() => new DataLoader(ds, { transform: { url: './relative.js' } })).toThrow(/transform.url must be an absolute URL/);
  });
});

/** A dataset with an extra per-item key (a behavioural covariate), as docs/contract.md allows. */
class WithBehaviour extends SyntheticDataset {
  protected override itemExtras(s: number): Record<string, unknown> {
    return { behav: { stim: s, arousal: s / 10 } };
  }
}

describe('DataLoader with workers', () => {
  it("a dataset's extra item keys become batch keys, identical with and without workers", async () => {
    const ds = new WithBehaviour({ seed: 5, nNeurons: 4, nStims: 6, nBands: 4, bins: [20, 30] });
    const local = await collect(new DataLoader(ds, { batchSize: 4 }));
    const loader = new DataLoader(ds, { batchSize: 4, numWorkers: 2 });
    try {
      const remote = await collect(loader);
      expect(remote).toEqual(local);
      expect(local[0].extras).toEqual([['behav', [0, 1, 2, 3].map((i) => ({ stim: ds.iterableStims()[i], arousal: ds.iterableStims()[i] / 10 }))]]);
      expect(local).toEqual(reference(ds, [[0, 1, 2, 3], [4, 5]]));
    } finally {
      await loader.close();
    }
  });

  it('numWorkers 0, 1 and 2 give byte-identical batches in the same order (shared and copied store)', async () => {
    const ds = small();
    ds.selectPopByNrnAttr('area', 'A1');
    const run = async (numWorkers: number, transport: 'auto' | 'copy' = 'auto') => {
      const loader = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 11, numWorkers, transport });
      loader.setEpoch(2);
      try {
        return { batches: await collect(loader), transport: loader.stats.transport };
      } finally {
        await loader.close();
      }
    };
    const base = await run(0);
    expect(base.batches).toHaveLength(Math.ceil(ds.length / 3));
    const one = await run(1);
    const two = await run(2);
    const copied = await run(2, 'copy');
    expect(one.batches).toEqual(base.batches);
    expect(two.batches).toEqual(base.batches);
    expect(copied.batches).toEqual(base.batches);
    expect(copied.transport).toBe('copy');
    expect(two.transport).toBe((ds.stims[0] as HeapTensor).heap.shared ? 'shared' : 'copy');
  });

  it('keeps at most numWorkers × prefetchFactor batches in flight, and reaches it when the consumer is slow', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 1, numWorkers: 2, prefetchFactor: 1 });
    try {
      let n = 0;
      for await (const _ of loader) {
        n++;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(n).toBe(ds.length);
      expect(loader.stats.maxInFlight).toBe(2);
      expect(loader.stats.liveWorkers).toBe(2); // workers survive a completed epoch
    } finally {
      await loader.close();
    }
    expect(loader.stats.liveWorkers).toBe(0);
  });

  it('runs a per-item transform module in the workers, same result as in the calling thread', async () => {
    const ds = small();
    const transform = { url: urlOf('./fixtures/scale-transform.ts'), options: { factor: 2 } };
    const local = await collect(new DataLoader(ds, { batchSize: 4, transform }));
    const loader = new DataLoader(ds, { batchSize: 4, numWorkers: 2, transform });
    try {
      const remote = await collect(loader);
      expect(remote).toEqual(local);
      // the transform really ran: stimuli doubled, and its extra key is a batch key
      const plain = reference(ds, [[0, 1, 2, 3]])[0];
      const doubled = new Float32Array(remote[0].stims.buffer);
      const orig = new Float32Array(plain.stims.buffer);
      expect(Array.from(doubled.slice(0, 50))).toEqual(Array.from(orig.slice(0, 50)).map((v) => v * 2));
      expect(remote[0].extras).toEqual([['tag', [0, 1, 2, 3]]]);
    } finally {
      await loader.close();
    }
  });

  it('one item pipeline: a transform receives the item ds.get gives (validMask included), in workers and in the calling thread', async () => {
    // A (2 neurons, 3 stimuli) + B (3 neurons, 2 stimuli): block-diagonal, B's neurons missing on A's stimuli and vice versa.
    const c = concatNeuralDatasets([concatFixture(2, 3, { cls: 'A' }), concatFixture(3, 2, { cls: 'B' })]);
    const transform = { url: urlOf('./fixtures/echo-transform.ts') };
    const expected = [0, 1, 2, 3, 4].map((s) => ({
      keys: ['stims', 'responses', 'validMask', 'stimMeta'],
      mask: s < 3 ? [1, 1, 0, 0, 0] : [0, 0, 1, 1, 1],
      responses: 5,
    }));
    const seen = async (numWorkers: number) => {
      const loader = new DataLoader(c, { batchSize: 2, numWorkers, transform });
      try {
        return (await collect(loader)).flatMap((b) => b.extras.find(([k]) => k === 'seen')?.[1] as unknown[]);
      } finally {
        await loader.close();
      }
    };
    expect(await seen(0)).toEqual(expected);
    expect(await seen(2)).toEqual(expected);
  });

  it('transform outputs written into ctx.alloc (the per-batch arena) give the same batches, epoch after epoch', async () => {
    const ds = small();
    const fresh = { url: urlOf('./fixtures/scale-transform.ts'), options: { factor: 3 } };
    const arena = { url: fresh.url, options: { factor: 3, arena: true } };
    const expected = await collect(new DataLoader(ds, { batchSize: 4, transform: fresh }));
    const local = new DataLoader(ds, { batchSize: 4, transform: arena });
    expect(await collect(local)).toEqual(expected);
    expect(await collect(local)).toEqual(expected); // second epoch: the arena's memory is reused
    const loader = new DataLoader(ds, { batchSize: 4, numWorkers: 2, transform: arena });
    try {
      expect(await collect(loader)).toEqual(expected);
      expect(await collect(loader)).toEqual(expected);
    } finally {
      await loader.close();
    }
  });

  it("a worker's error rejects the iteration with its message and stack, and closes the pool", async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2, transform: { url: urlOf('./fixtures/throw-transform.ts'), options: { failAt: 5 } } });
    let delivered = 0;
    const err = await (async () => {
      try {
        for await (const _ of loader) delivered++;
      } catch (e) {
        return e as DataLoaderWorkerError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(DataLoaderWorkerError);
    expect(err?.message).toMatch(/DataLoader worker \d failed during batch 2: bad item: stimulus 5 is corrupt/);
    expect(err?.batch).toBe(2);
    expect(err?.workerStack).toMatch(/checkItem/); // the worker's own stack frames
    expect(err?.stack).toContain('worker stack');
    expect(delivered).toBe(2); // batches before the failing one were delivered, in order
    expect(loader.stats.liveWorkers).toBe(0);
  });

  it('breaking out of the loop terminates every worker; the loader can start again', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 2, numWorkers: 2 });
    for await (const b of loader) {
      expect(b.stims.shape[0]).toBe(2);
      break;
    }
    expect(loader.stats.liveWorkers).toBe(0);
    expect((await collect(loader)).length).toBe(loader.length);
    await loader.close();
    await expect(collect(loader)).rejects.toThrow(/DataLoader is closed/);
  });

  it('aborting the signal rejects with its reason and terminates the workers', async () => {
    const ds = small();
    const ctl = new AbortController();
    const loader = new DataLoader(ds, { batchSize: 1, numWorkers: 2, signal: ctl.signal });
    let n = 0;
    const err = await (async () => {
      try {
        for await (const _ of loader) if (++n === 2) ctl.abort(new Error('stop: user pressed cancel'));
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message).toBe('stop: user pressed cancel');
    expect(n).toBe(2);
    expect(loader.stats.liveWorkers).toBe(0);
    await expect(collect(loader)).rejects.toThrow(/stop: user pressed cancel/);
  });

  it('a DistributedSampler over a Subset, with workers: each rank its shard, identical to numWorkers 0', async () => {
    const ds = small();
    const sub = new Subset(ds, [10, 9, 8, 7, 6, 5, 4]);
    const shards = [];
    for (const rank of [0, 1]) {
      const sampler = new DistributedSampler(sub, { rank, worldSize: 2, seed: 3 });
      const w = new DataLoader(sub, { sampler, batchSize: 2, numWorkers: 1 });
      const got = await collect(w);
      await w.close();
      expect(got).toEqual(await collect(new DataLoader(sub, { sampler, batchSize: 2 })));
      shards.push(got.flatMap((b) => b.names));
    }
    expect(shards[0]).toHaveLength(4);
    expect(new Set([...shards[0], ...shards[1]])).toEqual(new Set([10, 9, 8, 7, 6, 5, 4].map((i) => ds.stimMeta[ds.iterableStims()[i]].name)));
  });

  it('recycleBatches with workers: consumed buffers go back (reading the old batch throws), values stay right', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 3, numWorkers: 2, recycleBatches: true, dropLast: true });
    try {
      const ref = reference(ds, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
      const got: ReturnType<typeof flat>[] = [];
      let previous: Batch | null = null;
      for await (const b of loader) {
        if (previous) expect(() => previous?.responses.data).toThrow(ReleasedBatchError); // transferred back
        got.push(flat(b));
        previous = b;
      }
      expect(got).toEqual(ref);
    } finally {
      await loader.close();
    }
  });
});
