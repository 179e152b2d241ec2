// Subset and randomSplit: PyTorch's counts, determinism, and the parent's selection.
import { describe, expect, it } from 'vitest';
import { Rng, Subset, SyntheticDataset, ValueError, randomSplit } from '../../src/index.js';

const list = (n: number) => ({ length: n, get: (i: number) => i * 10 });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Subset', () => {
  it('maps positions through its indices; negative wraps; out of range → RangeError', () => {
    const s = new Subset(list(5), [4, 0, 2]);
    expect(s.length).toBe(3);
    expect([s.get(0), s.get(1), s.get(-1)]).toEqual([40, 0, 20]);
    expect([...s]).toEqual([40, 0, 20]);
    expect(() => s.get(3)).toThrow(/index 3 is out of range for a Subset of length 3/);
    expect(() => new Subset(list(5), [0.5])).toThrow(TypeError);
  });

  it("follows the parent's current selection (positions in its iteration order)", () => {
    const ds = new SyntheticDataset({ seed: 2, nNeurons: 6, nStims: 8 });
    ds.selectStimsByAttr('subset', 'val');
    const val = ds.iterableStims();
    const sub = new Subset(ds, [1, 0]);
    expect(sub.get(0).stimMeta).toBe(ds.stimMeta[val[1]]);
    ds.selectNeuron(0);
    expect(sub.get(0).responses).toHaveLength(1); // the parent's neuron selection applies
    ds.resetStimSelection();
    expect(sub.get(0).stimMeta).toBe(ds.stimMeta[ds.iterableStims()[1]]);
  });
});

describe('randomSplit', () => {
  it('counts: disjoint, covering, from the seeded permutation', () => {
    const parts = randomSplit(list(10), [3, 7], 5);
    expect(parts.map((p) => p.length)).toEqual([3, 7]);
    const perm = new Rng(5).shuffle(range(10));
    expect(parts[0].indices).toEqual(perm.slice(0, 3));
    expect(parts[1].indices).toEqual(perm.slice(3));
    expect([...parts[0].indices, ...parts[1].indices].sort((a, b) => a - b)).toEqual(range(10));
  });
  it('fractions: floor each, remainder handed out from the first (PyTorch)', () => {
    // 11 · [0.5, 0.3, 0.2] = 5.5, 3.3, 2.2 → 5, 3, 2 (sum 10), remainder 1 → first
    expect(randomSplit(list(11), [0.5, 0.3, 0.2]).map((p) => p.length)).toEqual([6, 3, 2]);
    // 10 · [0.33, 0.33, 0.34] = 3, 3, 3 (sum 9) → remainder to the first
    expect(randomSplit(list(10), [0.33, 0.33, 0.34]).map((p) => p.length)).toEqual([4, 3, 3]);
  });
  it('same seed → same split; another seed → another', () => {
    const a = randomSplit(list(30), [0.5, 0.5], 1)[0].indices;
    expect(randomSplit(list(30), [0.5, 0.5], 1)[0].indices).toEqual(a);
    expect(randomSplit(list(30), [0.5, 0.5], 2)[0].indices).not.toEqual(a);
  });
  it('lengths not summing to the dataset length → ValueError naming both', () => {
    expect(() => randomSplit(list(10), [3, 3])).toThrow(ValueError);
    expect(() => randomSplit(list(10), [3, 3])).toThrow(/sum of input lengths \(6\) does not equal the length of the input dataset \(10\)/);
    expect(() => randomSplit(list(10), [])).toThrow(/non-empty/);
  });
});
