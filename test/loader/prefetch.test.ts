// Cross-epoch prefetch (docs/loader.md, "Epochs and determinism"): with workers, the next
// epoch's first batches are requested while an epoch ends; every epoch still gives exactly the
// batches of a fresh loader set to that epoch, for 0, 1 and 2 workers, and a change of epoch,
// sampler, selection or data between the prefetch and the epoch never yields a stale batch.
// Runs in Node (worker_threads) and Chromium (Web Workers).
import { describe, expect, it } from 'vitest';
import { DataLoader, RandomSampler, SubsetRandomSampler, SyntheticDataset, type Batch, type DataLoaderOptions, type NeuralDataset, type Sampler } from '../../src/index.js';

const small = () => new SyntheticDataset({ seed: 5, nNeurons: 7, nStims: 11, nBands: 6, bins: [20, 40] });
const bytes = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
const flat = (b: Batch) => ({
  shapes: [b.stims.shape, b.responses.shape],
  names: b.stimMeta.map((m) => m.name),
  stims: bytes(b.stims.data), responses: bytes(b.responses.data), validMask: bytes(b.validMask.data),
});
async function epoch(loader: DataLoader, during?: (k: number) => void) {
  const out: ReturnType<typeof flat>[] = [];
  for await (const b of loader) {
    during?.(out.length);
    out.push(flat(b));
  }
  return out;
}
/** The reference: a fresh loader without workers, set to epoch `e`, over the dataset as it is now. */
async function fresh(ds: NeuralDataset, options: DataLoaderOptions, e: number) {
  const loader = new DataLoader(ds, { ...options, numWorkers: 0 });
  loader.setEpoch(e);
  return epoch(loader);
}
const opts: DataLoaderOptions = { batchSize: 3, shuffle: true, seed: 7 };

/** Iterating twice gives the same indices: (i + offset + epoch) mod n. `offset` may be changed. */
class RotatingSampler implements Sampler {
  readonly deterministic = true;
  offset = 0;
  private epoch = 0;
  constructor(private readonly n: number) {}
  get length() { return this.n; }
  setEpoch(e: number) { this.epoch = e; }
  *[Symbol.iterator]() { for (let i = 0; i < this.n; i++) yield (i + this.offset + this.epoch) % this.n; }
}

/** A sampler with running state: each iteration is the next rotation, whatever the epoch. */
class CountingSampler implements Sampler {
  private calls = 0;
  constructor(private readonly n: number) {}
  get length() { return this.n; }
  *[Symbol.iterator]() {
    const r = this.calls++;
    for (let i = 0; i < this.n; i++) yield (i * 5 + r) % this.n;
  }
}

describe('cross-epoch prefetch', () => {
  for (const numWorkers of [0, 1, 2]) {
    it(`numWorkers ${numWorkers}: four back-to-back epochs equal fresh loaders set to epochs 0–3 (copied store too)`, async () => {
      const ds = small();
      const loader = new DataLoader(ds, { ...opts, numWorkers, transport: numWorkers === 1 ? 'copy' : 'auto' });
      try {
        for (let e = 0; e < 4; e++) expect(await epoch(loader)).toEqual(await fresh(ds, opts, e));
        // With workers, epochs 1–3 began with batches requested during the previous epoch.
        if (numWorkers > 0) expect(loader.stats.prefetchedAhead).toBeGreaterThanOrEqual(3);
        expect(loader.stats.droppedAhead).toBe(0);
      } finally {
        await loader.close();
      }
    });
  }

  it('setEpoch(e) before each epoch (the torch pattern) uses the prefetch; epochs equal fresh loaders', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { ...opts, numWorkers: 2 });
    try {
      for (const e of [0, 1, 2]) {
        loader.setEpoch(e);
        expect(await epoch(loader)).toEqual(await fresh(ds, opts, e));
      }
      expect(loader.stats.prefetchedAhead).toBeGreaterThanOrEqual(2);
      expect(loader.stats.droppedAhead).toBe(0);
    } finally {
      await loader.close();
    }
  });

  it('setEpoch to another epoch between epochs: the prefetched batches are dropped, never delivered', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { ...opts, numWorkers: 2 });
    try {
      await epoch(loader); // prefetches epoch 1
      loader.setEpoch(5);
      expect(await epoch(loader)).toEqual(await fresh(ds, opts, 5));
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  it('setEpoch inside the loop, on the last batch (after the next epoch was listed): the next epoch is the one set', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { ...opts, numWorkers: 2 });
    try {
      const n = loader.length;
      await epoch(loader, (k) => k === n - 1 && loader.setEpoch(9));
      expect(await epoch(loader)).toEqual(await fresh(ds, opts, 9));
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  it('a selection changed between epochs: the next epoch has the new neurons and stimuli, no stale batch', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { ...opts, numWorkers: 2 });
    try {
      await epoch(loader);
      ds.selectPopulation([4, 1]);
      const got = await epoch(loader);
      expect(got).toEqual(await fresh(ds, opts, 1));
      expect(got.every((b) => b.shapes[1][1] === 2)).toBe(true);
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  for (const transport of ['auto', 'copy'] as const) {
    it(`transport ${transport}: data changed in place between epochs (smoothResponses): the next epoch reads the new data`, async () => {
      const ds = small();
      const loader = new DataLoader(ds, { ...opts, numWorkers: 2, transport });
      try {
        const before = await epoch(loader);
        ds.smoothResponses({ windowMs: 30 });
        const got = await epoch(loader);
        expect(got).toEqual(await fresh(ds, opts, 1));
        loader.setEpoch(0);
        expect((await epoch(loader)).map((b) => b.responses)).not.toEqual(before.map((b) => b.responses)); // it really changed
        // Shared workers stay and drop what they prefetched; copy workers hold old bytes and are restarted.
        if (loader.stats.transport === 'shared') expect(loader.stats.droppedAhead).toBeGreaterThan(0);
        else expect(loader.stats.poolStarts).toBe(2);
      } finally {
        await loader.close();
      }
    });
  }

  it('a deterministic sampler reconfigured between epochs: the prefetched order is dropped', async () => {
    const ds = small();
    const sampler = new RotatingSampler(ds.length);
    const loader = new DataLoader(ds, { sampler, batchSize: 4, numWorkers: 2 });
    try {
      await epoch(loader);
      sampler.offset = 3;
      const got = await epoch(loader);
      const ref = new RotatingSampler(ds.length);
      ref.offset = 3;
      expect(got).toEqual(await fresh(ds, { sampler: ref, batchSize: 4 }, 1));
      expect(got[0].names[0]).toBe(ds.stimMeta[ds.iterableStims()[4]].name); // (0 + 3 + 1) mod n
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  // The next epoch is listed once, while the last one ends, and used again when it starts as far
  // as nothing it was read from changed: these changes keep the sampler's order key or the batch
  // positions, so only a re-read of the selection or of the sampler's dataset can catch them.
  it('stimuli reselected between epochs with the same count: same positions, other stimuli; no stale batch', async () => {
    const ds = small();
    ds.selectStims([0, 1, 2, 3, 4, 5, 6, 7]);
    const loader = new DataLoader(ds, { ...opts, numWorkers: 2 });
    try {
      await epoch(loader); // lists epoch 1 over stimuli 0–7
      ds.selectStims([3, 4, 5, 6, 7, 8, 9, 10]);
      const got = await epoch(loader);
      expect(got).toEqual(await fresh(ds, opts, 1));
      // The permutation of 8 positions is the same; the stimuli they name are 3 further on.
      const before = new DataLoader(ds, { ...opts, numWorkers: 0 });
      ds.selectStims([0, 1, 2, 3, 4, 5, 6, 7]);
      before.setEpoch(1);
      const positions = (await epoch(before)).flatMap((b) => b.names);
      expect(got.flatMap((b) => b.names)).toEqual(positions.map((name) => ds.stimMeta[ds.stimMeta.findIndex((m) => m.name === name) + 3].name));
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  it("a library sampler over another dataset whose length changed between epochs: listed again", async () => {
    const ds = small();
    const sized = { length: ds.length };
    const sampler = new RandomSampler(sized, { seed: 3, numSamples: 5 }); // its length stays 5
    const loader = new DataLoader(ds, { sampler, batchSize: 3, numWorkers: 2 });
    try {
      await epoch(loader); // lists epoch 1: the first 5 of a permutation of 11
      sized.length = 6;
      const got = await epoch(loader);
      const ref = new RandomSampler({ length: 6 }, { seed: 3, numSamples: 5 });
      expect(got).toEqual(await fresh(ds, { sampler: ref, batchSize: 3 }, 1));
      const names = got.flatMap((b) => b.names);
      expect(names).toHaveLength(5);
      expect(names.every((n) => ds.iterableStims().slice(0, 6).some((s) => ds.stimMeta[s].name === n))).toBe(true);
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  it("a library sampler whose seed is assigned from JavaScript between epochs: listed again with the new seed", async () => {
    const ds = small();
    const sampler = new RandomSampler(ds, { seed: 3 });
    const loader = new DataLoader(ds, { sampler, batchSize: 3, numWorkers: 2 });
    try {
      await epoch(loader); // lists epoch 1 with seed 3
      (sampler as { seed: number }).seed = 4; // read-only in TypeScript only
      const got = await epoch(loader);
      const ref = new RandomSampler(ds, { seed: 4 });
      expect(got).toEqual(await fresh(ds, { sampler: ref, batchSize: 3 }, 1));
      const seed3 = new RandomSampler(ds, { seed: 3 });
      expect(got).not.toEqual(await fresh(ds, { sampler: seed3, batchSize: 3 }, 1));
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  it("a SubsetRandomSampler whose indices are changed from JavaScript between epochs: listed again", async () => {
    const ds = small();
    const sampler = new SubsetRandomSampler(ds, [0, 1, 2, 3, 4, 5], { seed: 2 });
    const loader = new DataLoader(ds, { sampler, batchSize: 3, numWorkers: 2 });
    try {
      await epoch(loader); // lists epoch 1 over stimuli 0–5
      (sampler.indices as number[]).splice(0, 6, 5, 6, 7, 8, 9, 10); // read-only in TypeScript only
      const got = await epoch(loader);
      const ref = new SubsetRandomSampler(ds, [5, 6, 7, 8, 9, 10], { seed: 2 });
      expect(got).toEqual(await fresh(ds, { sampler: ref, batchSize: 3 }, 1));
      expect(loader.stats.droppedAhead).toBeGreaterThan(0);
    } finally {
      await loader.close();
    }
  });

  it('one worker, the selection changed and changed back between epochs: each epoch has its own neurons', async () => {
    // The worker receives the neurons once per selection and keeps them for the jobs after.
    const ds = small();
    const loader = new DataLoader(ds, { ...opts, numWorkers: 1 });
    try {
      const all = await epoch(loader);
      expect(all.every((b) => b.shapes[1][1] === 7)).toBe(true);
      ds.selectPopulation([4, 1]);
      const two = await epoch(loader);
      expect(two).toEqual(await fresh(ds, opts, 1));
      expect(two.every((b) => b.shapes[1][1] === 2)).toBe(true);
      ds.selectPopulation([0, 1, 2, 3, 4, 5, 6]);
      loader.setEpoch(0);
      expect(await epoch(loader)).toEqual(all);
    } finally {
      await loader.close();
    }
  });

  it('a sampler with running state is not listed ahead (no prefetch across epochs) and gives its own sequence', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { sampler: new CountingSampler(ds.length), batchSize: 4, numWorkers: 2 });
    const plain = new DataLoader(ds, { sampler: new CountingSampler(ds.length), batchSize: 4 });
    try {
      for (let e = 0; e < 3; e++) expect(await epoch(loader)).toEqual(await epoch(plain));
      expect(loader.stats.prefetchedAhead).toBe(0);
    } finally {
      await loader.close();
    }
  });
});
