// Port of the reference's tests/test_nrn_masks_cache.py (cases 1–7; the speed case 8 is a
// benchmark: bench/collate.bench.ts prints the cached-vs-recompute ratio).
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { BareAudioDataset, ManualDataset, nan11, ones } from '../helpers/fixtures.js';

const grid = (S: number, N: number) =>
  new ManualDataset({
    stims: Array.from({ length: S }, () => ones([1, 2, 8], 0)),
    responses: Array.from({ length: S }, () => Array.from({ length: N }, () => ones([3, 8]))),
    stimMeta: Array.from({ length: S }, (_, s) => ({ name: `s${s}` })),
    nrnMeta: Array.from({ length: N }, () => ({})),
  });

describe('nrnMasks (test_nrn_masks_cache)', () => {
  it('1. all real S3 × N4 → (3, 4) bool, all true', () => {
    const m = grid(3, 4).nrnMasks;
    expect([m.dtype, m.shape]).toEqual(['bool', [3, 4]]);
    expect(Array.from(m.data)).toEqual(new Array(12).fill(1));
  });

  it('2. a sentinel at (0, 1) + invalidate → exactly that cell false', () => {
    const ds = grid(3, 4);
    ds.responses[0][1] = nan11();
    ds.invalidateNrnMasks();
    const expected = new Array(12).fill(1);
    expected[1] = 0;
    expect(Array.from(ds.nrnMasks.data)).toEqual(expected);
  });

  it('3. a (3, 8) cell with one NaN at (1, 0) + invalidate → false there, (1, 1) true', () => {
    const ds = grid(3, 4);
    const x = new Float32Array(24).fill(1);
    x[5] = NaN;
    ds.responses[1][0] = tensor('float32', [3, 8], x);
    ds.invalidateNrnMasks();
    expect(ds.nrnMasks.data[1 * 4 + 0]).toBe(0);
    expect(ds.nrnMasks.data[1 * 4 + 1]).toBe(1);
  });

  it('3b. NaN written in place into a packed cell is found after invalidate', () => {
    const ds = grid(2, 2);
    expect(ds.nrnMasks.data[3]).toBe(1);
    ds.responses[1][1].data[17] = NaN;
    ds.invalidateNrnMasks();
    expect(Array.from(ds.nrnMasks.data)).toEqual([1, 1, 1, 0]);
  });

  it('deliberate difference 4: a real (1, 1) value is data, not a sentinel', () => {
    const ds = new ManualDataset({ stims: [ones([1, 2, 1])], responses: [[ones([1, 1], 3), nan11()]], stimMeta: [{}], nrnMeta: [{}, {}] });
    expect(Array.from(ds.nrnMasks.data)).toEqual([1, 0]);
    expect(ds.selectedNeurons()).toEqual([0, 1]);
  });

  it('4. a bare audio dataset with N = 3 and no responses → (0, 3)', () => {
    const ds = new BareAudioDataset();
    ds.nNeurons = 3;
    expect(ds.nrnMasks.shape).toEqual([0, 3]);
    expect(ds.nrnMasks.dtype).toBe('bool');
  });

  it('5. two reads return the identical object', () => {
    const ds = grid(2, 2);
    expect(ds.nrnMasks).toBe(ds.nrnMasks);
  });

  it('6. mutation without invalidate leaves a stale mask; invalidate builds a new one', () => {
    const ds = grid(2, 2);
    const before = ds.nrnMasks;
    ds.responses[0][0] = nan11();
    expect(ds.nrnMasks).toBe(before);
    expect(ds.nrnMasks.data[0]).toBe(1);
    ds.invalidateNrnMasks();
    const after = ds.nrnMasks;
    expect(after).not.toBe(before);
    expect(after.data[0]).toBe(0);
    expect(before.data[0]).toBe(1);
  });

  it('7. smoothResponses(5) keeps the mask content', () => {
    const ds = grid(3, 3);
    ds.responses[2][1] = nan11();
    ds.invalidateNrnMasks();
    const before = Array.from(ds.nrnMasks.data);
    ds.smoothResponses({ windowMs: 5 });
    ds.invalidateNrnMasks();
    expect(Array.from(ds.nrnMasks.data)).toEqual(before);
  });
});
