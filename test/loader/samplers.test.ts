// Samplers: PyTorch semantics, determinism in (seed, epoch), errors.
import { describe, expect, it } from 'vitest';
import {
  BatchSampler, DistributedSampler, RandomSampler, Rng, SequentialSampler, SubsetRandomSampler, ValueError,
} from '../../src/index.js';

const sized = (n: number) => ({ length: n });
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('SequentialSampler', () => {
  it('yields 0 … n − 1 and reads the length when iterated', () => {
    const ds = { length: 4 };
    const s = new SequentialSampler(ds);
    expect([...s]).toEqual([0, 1, 2, 3]);
    ds.length = 2;
    expect(s.length).toBe(2);
    expect([...s]).toEqual([0, 1]);
  });
  it('rejects something without a length', () => {
    expect(() => new SequentialSampler({} as { length: number })).toThrow(/integer length/);
  });
});

describe('RandomSampler', () => {
  it('is a permutation: Fisher–Yates driven by Rng(seed + epoch)', () => {
    const s = new RandomSampler(sized(20), { seed: 7 });
    const order = [...s];
    expect(sorted(order)).toEqual(range(20));
    expect(order).toEqual(new Rng(7).shuffle(range(20))); // the documented generator, epoch 0
    s.setEpoch(3);
    expect([...s]).toEqual(new Rng(10).shuffle(range(20)));
  });
  it('same seed and epoch → same order; another epoch or seed → another order', () => {
    const a = new RandomSampler(sized(50), { seed: 1 });
    const b = new RandomSampler(sized(50), { seed: 1 });
    expect([...a]).toEqual([...b]);
    b.setEpoch(1);
    expect([...a]).not.toEqual([...b]);
    expect([...new RandomSampler(sized(50), { seed: 2 })]).not.toEqual([...a]);
  });
  it('with replacement draws numSamples indices in range', () => {
    const s = new RandomSampler(sized(3), { seed: 0, replacement: true, numSamples: 100 });
    const xs = [...s];
    expect(xs).toHaveLength(100);
    expect(s.length).toBe(100);
    expect(new Set(xs)).toEqual(new Set([0, 1, 2]));
  });
  it('numSamples beyond the length without replacement → ValueError', () => {
    expect(() => new RandomSampler(sized(3), { numSamples: 4 })).toThrow(ValueError);
    expect(() => new RandomSampler(sized(3), { numSamples: 4 })).toThrow(/numSamples 4 exceeds the dataset length 3/);
  });
});

describe('SubsetRandomSampler', () => {
  it('permutes exactly the given indices, per epoch', () => {
    const s = new SubsetRandomSampler(sized(10), [1, 3, 5, 7], { seed: 4 });
    const e0 = [...s];
    expect(sorted(e0)).toEqual([1, 3, 5, 7]);
    const perm = new Rng(4).shuffle(range(4));
    expect(e0).toEqual(perm.map((k) => [1, 3, 5, 7][k]));
    s.setEpoch(1);
    expect(sorted([...s])).toEqual([1, 3, 5, 7]);
    expect(s.length).toBe(4);
  });
  it('an index outside the dataset → RangeError naming it', () => {
    const s = new SubsetRandomSampler(sized(3), [0, 5]);
    expect(() => [...s]).toThrow(RangeError);
    expect(() => [...s]).toThrow(/indices\[1\] = 5 is out of range for dataset length 3/);
  });
});

describe('BatchSampler', () => {
  it('groups indices; the last batch is short unless dropLast', () => {
    const seq = new SequentialSampler(sized(7));
    expect([...new BatchSampler(seq, { batchSize: 3 })]).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(new BatchSampler(seq, { batchSize: 3 }).length).toBe(3);
    expect([...new BatchSampler(seq, { batchSize: 3, dropLast: true })]).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(new BatchSampler(seq, { batchSize: 3, dropLast: true }).length).toBe(2);
  });
  it('forwards setEpoch to its sampler', () => {
    const r = new RandomSampler(sized(6), { seed: 0 });
    const b = new BatchSampler(r, { batchSize: 6 });
    b.setEpoch(5);
    expect([...b][0]).toEqual(new Rng(5).shuffle(range(6)));
  });
  it('batchSize 0 → ValueError', () => {
    expect(() => new BatchSampler(new SequentialSampler(sized(2)), { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });
});

describe('DistributedSampler (PyTorch semantics)', () => {
  it('no shuffle, padding: n 10, world 4 → [0…9, 0, 1] dealt round robin', () => {
    const shard = (rank: number) => [...new DistributedSampler(sized(10), { rank, worldSize: 4, shuffle: false })];
    expect(shard(0)).toEqual([0, 4, 8]);
    expect(shard(1)).toEqual([1, 5, 9]);
    expect(shard(2)).toEqual([2, 6, 0]);
    expect(shard(3)).toEqual([3, 7, 1]);
    expect(new DistributedSampler(sized(10), { rank: 0, worldSize: 4 }).length).toBe(3);
  });
  it('dropLast: n 10, world 4 → ceil((10 − 4) / 4) = 2 per rank, tail dropped', () => {
    const shard = (rank: number) => [...new DistributedSampler(sized(10), { rank, worldSize: 4, shuffle: false, dropLast: true })];
    expect([0, 1, 2, 3].map(shard)).toEqual([[0, 4], [1, 5], [2, 6], [3, 7]]);
  });
  it('padding longer than the dataset repeats it: n 2, world 5', () => {
    const all = [0, 1, 2, 3, 4].map((rank) => [...new DistributedSampler(sized(2), { rank, worldSize: 5, shuffle: false })]);
    expect(all).toEqual([[0], [1], [0], [1], [0]]);
  });
  it('shuffled shards (same seed, epoch) are disjoint and cover the dataset', () => {
    for (const epoch of [0, 1]) {
      const shards = [0, 1, 2].map((rank) => {
        const s = new DistributedSampler(sized(12), { rank, worldSize: 3, seed: 9 });
        s.setEpoch(epoch);
        return [...s];
      });
      expect(sorted(shards.flat())).toEqual(range(12));
      // the global order is the RandomSampler permutation of (seed + epoch)
      const perm = new Rng(9 + epoch).shuffle(range(12));
      expect(shards[1]).toEqual([perm[1], perm[4], perm[7], perm[10]]);
    }
  });
  it('bad rank or world size → ValueError naming the interval', () => {
    expect(() => new DistributedSampler(sized(4), { rank: 2, worldSize: 2 })).toThrow(/invalid rank 2, rank should be in the interval \[0, 1\]/);
    expect(() => new DistributedSampler(sized(4), { rank: 0, worldSize: 0 })).toThrow(ValueError);
  });
});

describe('Sampler.deterministic (what lets a loader list the next epoch ahead)', () => {
  it('every built-in sampler declares it, and iterating changes nothing: twice the same order, epoch by epoch', () => {
    const ds = sized(9);
    const samplers = [
      new SequentialSampler(ds),
      new RandomSampler(ds, { seed: 4 }),
      new RandomSampler(ds, { seed: 4, replacement: true, numSamples: 12 }),
      new SubsetRandomSampler(ds, [8, 1, 5, 3], { seed: 2 }),
      new DistributedSampler(ds, { rank: 1, worldSize: 2, seed: 3 }),
    ];
    for (const s of samplers) {
      expect(s.deterministic).toBe(true);
      s.setEpoch(2);
      const first = [...s];
      s.setEpoch(7);
      const other = [...s];
      s.setEpoch(2);
      expect([...s]).toEqual(first); // back to epoch 2: the same order, whatever was listed between
      expect([...s]).toEqual(first);
      if (!(s instanceof SequentialSampler)) expect(other).not.toEqual(first);
    }
  });
});
