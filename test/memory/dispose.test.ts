// Datasets give their store back: dispose() and `using` return the heap to where it was, a
// disposed dataset throws DisposedError, stores shared by concatenation are freed once (by the
// last holder), and failed validations and builds leak nothing. Node and Chromium.
import { describe, expect, it } from 'vitest';
import {
  DatasetValidationError, DisposedError, HeapTensor, NeuralDataset, Subset, SyntheticDataset, concatNeuralDatasets,
  defaultHeap, full, tensor,
} from '../../src/index.js';
import { runAsync, runSync, fs, type Build } from '../../src/sources/build.js';
import { heapScoped } from '../../src/memory/build-scope.js';
import { MemorySource } from '../../src/sources/memory.js';
import { ManualDataset, nan11, ones } from '../helpers/fixtures.js';

const heap = () => defaultHeap();
const held = () => heap().stats().held;
const synth = (seed = 1) => new SyntheticDataset({ seed, nNeurons: 5, nStims: 6, nBands: 4, bins: [20, 30] });
// The first build of the process creates this thread's caches (the missing-pair sentinel, the
// kernels' scratch block that nrnMasks uses): warm them up so that the counts below are exact.
{
  const warm = synth();
  void warm.length;
  warm.dispose();
}

describe('NeuralDataset.dispose()', () => {
  it('gives back every byte the build and the pack took; the heap is reusable', () => {
    const before = held();
    const ds = synth();
    expect(held()).toBeGreaterThan(before);
    ds.dispose();
    expect(held()).toBe(before);
    ds.dispose(); // idempotent
    expect(held()).toBe(before);
    const again = synth();
    again.dispose();
    expect(held()).toBe(before);
  });

  it('`using` disposes at the end of the block', () => {
    const before = held();
    let seen = 0;
    {
      using ds = synth();
      seen = ds.length;
    }
    expect(seen).toBe(6);
    expect(held()).toBe(before);
  });

  it('a disposed dataset throws DisposedError naming its class, and so do its tensors and subsets', () => {
    const ds = synth();
    const cell = ds.responses.flat().find((t) => t instanceof HeapTensor && !Number.isNaN(t.data[0])) as HeapTensor;
    const sub = new Subset(ds, [0, 1]);
    ds.dispose();
    expect(ds.disposed).toBe(true);
    expect(() => ds.get(0)).toThrow(DisposedError);
    expect(() => ds.get(0)).toThrow(/SyntheticDataset was disposed: its store was given back to the wasm heap/);
    expect(() => ds.length).toThrow(DisposedError);
    expect(() => ds.selectNeuron(0)).toThrow(DisposedError);
    expect(() => ds.smoothResponses()).toThrow(DisposedError);
    expect(() => ds.nrnMasks).toThrow(DisposedError);
    expect(() => sub.get(0)).toThrow(DisposedError);
    expect(() => cell.data).toThrow(DisposedError);
    expect(() => cell.data).toThrow(/this tensor's memory was given back to the wasm heap: SyntheticDataset was disposed/);
    expect(String(ds)).toBe('SyntheticDataset(disposed)');
  });

  it('concatenation shares the sources\' stores: disposing a source keeps the concatenation working; the last holder frees', () => {
    const before = held();
    const a = synth(1);
    const b = synth(2);
    const afterBuild = held();
    const both = concatNeuralDatasets([a, b]);
    expect(held()).toBe(afterBuild); // no copy
    const expected = Array.from(b.responses[0][0].data);
    a.dispose();
    b.dispose();
    expect(held()).toBe(afterBuild); // still held by the concatenation
    expect(Array.from(both.responses[6][5].data)).toEqual(expected); // b's stimulus 0, neuron 0
    expect(both.get(7).responses).toHaveLength(10);
    both.dispose();
    expect(held()).toBe(before);
  });

  it('a concatenation of a disposed dataset throws DisposedError', () => {
    const a = synth(1);
    const b = synth(2);
    b.dispose();
    expect(() => a.concat(b)).toThrow(DisposedError);
    expect(() => concatNeuralDatasets([a, b])).toThrow(DisposedError);
    expect(() => concatNeuralDatasets([a, b])).toThrow(/SyntheticDataset was disposed/);
    a.dispose();
  });
});

describe('failed builds leak nothing', () => {
  class FailingSynthetic extends SyntheticDataset {
    protected override checkContract(): void {
      super.checkContract();
      throw new DatasetValidationError('FailingSynthetic: rejected on purpose');
    }
  }

  it('a SyntheticDataset subclass whose validation fails gives back its cells', () => {
    const before = held();
    for (let i = 0; i < 3; i++) {
      expect(() => new FailingSynthetic({ seed: i, nNeurons: 5, nStims: 6, nBands: 4, bins: [20, 30] })).toThrow(/rejected on purpose/);
      expect(held()).toBe(before);
    }
  });

  it('a NeuralDataset subclass with NaN in a stimulus gives back the packed stimuli', () => {
    const before = held();
    const bad = () =>
      new ManualDataset({
        stims: [ones([1, 4, 10]), tensor('float32', [1, 4, 10], Float32Array.from({ length: 40 }, (_, i) => (i === 7 ? NaN : 1)))],
        responses: [[ones([2, 10])], [ones([2, 10])]],
        stimMeta: [{ name: 'a' }, { name: 'b' }],
        nrnMeta: [{ cellId: 'n0' }],
      });
    expect(bad).toThrow(DatasetValidationError);
    expect(bad).toThrow(/stims\[1\] contains NaN \(first at flat index 7\)/);
    expect(held()).toBe(before);
  });

  it('a NeuralDataset subclass whose heap cells fail validation gives them back', () => {
    const before = held();
    const cell = HeapTensor.allocate([2, 10]);
    expect(held()).toBeGreaterThan(before);
    expect(
      () =>
        new ManualDataset({
          stims: [ones([1, 4, 10])], responses: [[cell, nan11()]], stimMeta: [{ name: 'a' }], nrnMeta: [{ cellId: 'n0' }],
        }),
    ).toThrow(/nrnMeta has 1 entries but nNeurons is 1|responses\[0\] has 2 entries, expected nNeurons = 1/);
    expect(held()).toBe(before);
    expect(() => cell.data).toThrow(DisposedError);
  });

  /** A toy build: allocates response cells in the heap (as NS1 does), then may fail on a file. */
  function* toyBuild(failAt: number | null): Build<HeapTensor[]> {
    const cells: HeapTensor[] = [];
    for (const name of ['u0.bin', 'u1.bin', 'u2.bin']) {
      const bytes = yield* fs.read(name);
      if (cells.length === failAt) throw new RangeError(`${name}: corrupt`);
      const t = HeapTensor.allocate([1, bytes.length]);
      t.data.set(bytes);
      cells.push(t);
    }
    return cells;
  }
  const source = () => new MemorySource({ 'u0.bin': new Uint8Array(4000), 'u1.bin': new Uint8Array(5000), 'u2.bin': new Uint8Array(6000) });

  it('a build that throws after allocating gives the blocks back (runSync and runAsync scope it)', async () => {
    const before = held();
    expect(() => runSync(toyBuild(2), source())).toThrow('u2.bin: corrupt');
    expect(held()).toBe(before);
    await expect(runAsync(toyBuild(1), source())).rejects.toThrow('u1.bin: corrupt');
    expect(held()).toBe(before);
    // A build that succeeds keeps its blocks (the dataset's validate() takes them).
    const cells = runSync(toyBuild(null), source());
    expect(held()).toBe(before + (4000 * 4 + 16) + (5000 * 4 + 16) + (6000 * 4 + 16));
    class Toy extends NeuralDataset {
      constructor() {
        super('toy', 1);
        this.stims = cells.map((c) => full('float32', [1, 2, c.shape[1]], 0));
        this.responses = cells.map((c) => [c]);
        this.stimMeta = cells.map((_, i) => ({ name: `s${i}` }));
        this.nrnMeta = [{ cellId: 'n0' }];
        this.nNeurons = 1;
        this.validate();
      }
    }
    const ds = new Toy();
    ds.dispose();
    expect(held()).toBe(before);
  });

  it('a heapScoped build abandoned at a request (return(), as an aborted load) frees its blocks and runs its finally', () => {
    const before = held();
    let cleaned = false;
    function* build(): Build<number> {
      try {
        HeapTensor.allocate([1, 5000]);
        yield* fs.read('u0.bin');
        return 1;
      } finally {
        cleaned = true;
      }
    }
    const b = heapScoped(build());
    expect(b.next().done).toBe(false); // waiting for u0.bin, 20 016 bytes taken
    expect(held()).toBe(before + 20_016);
    b.return(0);
    expect(cleaned).toBe(true);
    expect(held()).toBe(before);
  });
});
