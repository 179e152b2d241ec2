// Batch memory (docs/loader.md, "Batch memory"): batches a loop keeps never change, with 0, 1
// and 2 workers, across epochs; a released batch (release(), Symbol.dispose / `using`,
// loader.recycle, recycleBatches) fails loudly when read, and the batches written into its
// memory are right. Expected batches are built element by element from the dataset's tensors,
// not by neuralCollate. Runs in Node and Chromium.
import { describe, expect, it } from 'vitest';
import { DataLoader, ReleasedBatchError, SyntheticDataset, DisposedError, type Batch, type NeuralDataset } from '../../src/index.js';
import { BatchSlots, type SlotRef } from '../../src/loader/batch-memory.js';

/** Node, or a cross-origin-isolated page: workers may write batches into shared slots. */
const sharedMemory = typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
const small = () => new SyntheticDataset({ seed: 9, nNeurons: 6, nStims: 13, nBands: 5, bins: [15, 40], nanFraction: 0.1 });

/** The batch of these stimuli and neurons, by the contract's definition (docs/contract.md), element by element. */
function expected(ds: NeuralDataset, stims: number[], neurons: number[]) {
  const B = stims.length;
  const N = neurons.length;
  const [, F] = ds.stims[stims[0]].shape;
  const tStim = Math.max(...stims.map((s) => ds.stims[s].shape[2]));
  const cells = stims.map((s) => neurons.map((n) => ds.responses[s][n]));
  const rMax = Math.max(...cells.flat().map((c) => c.shape[0]));
  const tMax = Math.max(...cells.flat().map((c) => c.shape[1]));
  const st = new Array<number>(B * F * tStim).fill(0);
  stims.forEach((s, b) => {
    const t = ds.stims[s];
    const T = t.shape[2];
    for (let f = 0; f < F; f++) for (let i = 0; i < T; i++) st[(b * F + f) * tStim + i] = t.data[f * T + i];
  });
  const resp = new Array<number>(B * N * rMax * tMax).fill(NaN);
  cells.forEach((row, b) =>
    row.forEach((c, n) => {
      const [R, T] = c.shape;
      for (let r = 0; r < R; r++) for (let i = 0; i < T; i++) resp[((b * N + n) * rMax + r) * tMax + i] = c.data[r * T + i];
    }),
  );
  return { stimShape: [B, 1, F, tStim], respShape: [B, N, rMax, tMax], stims: st, responses: resp, mask: resp.map((v) => (Number.isNaN(v) ? 0 : 1)) };
}

/** Checks a batch against `expected` of its own stimuli (found through its metadata objects). */
function checkBatch(ds: NeuralDataset, batch: Batch) {
  const stims = batch.stimMeta.map((m) => ds.stimMeta.indexOf(m));
  expect(stims.every((s) => s >= 0)).toBe(true);
  const want = expected(ds, stims, ds.selectedNeurons());
  expect(batch.stims.shape).toEqual(want.stimShape);
  expect(batch.responses.shape).toEqual(want.respShape);
  expect(Array.from(batch.stims.data)).toEqual(want.stims);
  expect(Array.from(batch.responses.data)).toEqual(want.responses); // toEqual: NaN equals NaN
  expect(Array.from(batch.validMask.data)).toEqual(want.mask);
}

describe('kept batches never change', () => {
  for (const numWorkers of [0, 1, 2]) {
    it(`numWorkers ${numWorkers}: two shuffled epochs pushed into an array, checked after the loops`, async () => {
      const ds = small();
      const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 3, numWorkers });
      const kept: Batch[] = [];
      try {
        for (let e = 0; e < 2; e++) for await (const b of loader) kept.push(b);
      } finally {
        await loader.close();
      }
      expect(kept).toHaveLength(2 * Math.ceil(ds.length / 4));
      // With shared memory, workers wrote some of these batches into shared slots (never reused: none was released).
      if (numWorkers > 0 && sharedMemory) expect(loader.stats.slotBatches).toBeGreaterThan(0);
      for (const b of kept) checkBatch(ds, b);
      expect(new Set(kept.map((b) => b.responses.data.buffer)).size).toBe(kept.length); // each its own memory
    });
  }
});

describe('released batches', () => {
  for (const numWorkers of [0, 2]) {
    it(`numWorkers ${numWorkers}: release() and Symbol.dispose make reads throw ReleasedBatchError; later batches are right`, async () => {
      const ds = small();
      const loader = new DataLoader(ds, { batchSize: 3, numWorkers });
      const released: Batch[] = [];
      try {
        let k = 0;
        for await (const b of loader) {
          checkBatch(ds, b);
          if (k === 3) (b.validMask as unknown as { note: string }).note = 'added by the loop';
          if (k % 2 === 0) b.release();
          else b[Symbol.dispose]();
          b.release(); // idempotent
          released.push(b);
          k++;
        }
      } finally {
        await loader.close();
      }
      expect(() => released[0].responses.data).toThrow(ReleasedBatchError);
      expect(() => released[0].stims.data).toThrow(DisposedError);
      expect(() => released[0].validMask.data).toThrow(
        /^batch 0 of the DataLoader was released \(release\(\)\), so its validMask memory now holds a later batch: copy what you keep before releasing/,
      );
      expect(() => released[1].responses.data).toThrow(/batch 1 of the DataLoader was released \(a `using` declaration\), so its responses memory/);
      let error: unknown;
      try {
        void released[2].stims.data;
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ReleasedBatchError);
      expect((error as ReleasedBatchError).batch).toBe(2);
      expect(Object.keys(released[0])).toEqual(['stims', 'responses', 'validMask', 'stimMeta']); // release is not a key
      // A released tensor keeps its keys in their order (a key the loop added too), and its shape.
      expect(Object.keys(released[0].stims)).toEqual(['dtype', 'shape', 'data']);
      expect(released[0].responses.shape).toHaveLength(4);
      expect(Object.keys(released[3].validMask)).toEqual(['dtype', 'shape', 'data', 'note']);
      expect(() => released[3].validMask.data).toThrow(/^batch 3 of the DataLoader was released \(a `using` declaration\), so its validMask memory/);
      expect(() => released[4].stims.data).toThrow(/^batch 4 of the DataLoader was released \(release\(\)\), so its stims memory/);
    });

    it(`numWorkers ${numWorkers}: recycleBatches releases the previous batch when the loop asks for the next; loader.recycle too`, async () => {
      // One batch size, and more batches than the prefetch window: released slots must come back.
      const ds = new SyntheticDataset({ seed: 9, nNeurons: 6, nStims: 24, nBands: 5, bins: [30, 30], valFraction: 0, estRepeats: [2, 2] });
      const loader = new DataLoader(ds, { batchSize: 1, numWorkers, recycleBatches: true });
      const seen: Batch[] = [];
      const buffers = new Set<ArrayBufferLike>();
      try {
        for await (const b of loader) {
          buffers.add(b.responses.data.buffer);
          if (seen.length > 0) expect(() => seen[seen.length - 1].responses.data).toThrow(/released \(recycleBatches: true, when the loop asked for the next batch\)/);
          checkBatch(ds, b);
          seen.push(b);
        }
        expect(seen.length).toBe(ds.length);
        expect(buffers.size).toBeLessThan(seen.length); // released memory was written over (a shared slot, with workers)
        // With shared memory, 0 workers write released batches' successors into the heap slot (wasm kernels).
        if (sharedMemory) expect(loader.stats.slotBatches).toBeGreaterThan(numWorkers > 0 ? 0 : ds.length - 3);
      } finally {
        await loader.close();
      }
      const manual = new DataLoader(ds, { batchSize: 5, numWorkers });
      try {
        for await (const b of manual) {
          checkBatch(ds, b);
          manual.recycle(b);
          expect(() => b.stims.data).toThrow(/released \(loader\.recycle\(batch\)\)/);
        }
      } finally {
        await manual.close();
      }
    });
  }

  it('numWorkers 0: a batch kept unreleased among released ones never changes, after close() and later loaders too', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 2, shuffle: true, seed: 5 });
    const kept: Batch[] = [];
    for (let e = 0; e < 2; e++) {
      let k = 0;
      for await (const b of loader) {
        checkBatch(ds, b);
        if (k++ % 3 === 2) kept.push(b); // kept, maybe the heap slot's batch: later batches take new memory
        else b.release();
      }
    }
    await loader.close();
    if (sharedMemory) expect(loader.stats.slotBatches).toBeGreaterThan(0);
    const other = new DataLoader(ds, { batchSize: 3 }); // reuses the heap: must not write over a kept batch
    for await (const b of other) b.release();
    await other.close();
    expect(kept.length).toBe(4);
    for (const b of kept) checkBatch(ds, b);
  });

  it('`for await (using batch of loader)`: each batch is released at the end of its iteration', async () => {
    const ds = small();
    const loader = new DataLoader(ds, { batchSize: 4 });
    const seen: Batch[] = [];
    // What TypeScript emits for `for await (using b of loader) { … }`: dispose at the end of each iteration.
    for await (const b of loader) {
      try {
        checkBatch(ds, b);
        seen.push(b);
      } finally {
        b[Symbol.dispose]();
      }
    }
    expect(seen).toHaveLength(Math.ceil(ds.length / 4));
    for (const b of seen) expect(() => b.responses.data).toThrow(ReleasedBatchError);
  });
});

describe('BatchSlots', () => {
  it.skipIf(typeof SharedArrayBuffer !== 'function')('a released slot serves the next batch of its own pool only (a batch may outlive its pool)', () => {
    const old = new BatchSlots(2);
    const slots = new BatchSlots(2);
    old.fit(1000);
    slots.fit(1000);
    const s = old.take() as SlotRef;
    expect(s.buffer.byteLength).toBe(4096); // 1000 × 1.125 rounded up to 4096
    slots.giveBack(s); // released after its pool ended: not the new pool's
    const t = slots.take() as SlotRef;
    expect(t).not.toBe(s);
    slots.giveBack(t);
    expect(slots.take()).toBe(t);
    old.giveBack(s);
    expect(old.take()).toBe(s);
    // maxSlots: two taken and not given back, the third is null.
    expect(slots.take()).not.toBeNull();
    expect(slots.take()).toBeNull();
  });
});
