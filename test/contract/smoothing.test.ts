// hanningSmooth / smoothResponses (docs/contract.md), against hand-computed kernels and sums.
import { describe, expect, it } from 'vitest';
import { ValueError, hanningKernel, hanningSmooth, tensor } from '../../src/index.js';
import { ManualDataset, nan11 } from '../helpers/fixtures.js';

describe('hanningSmooth', () => {
  it('kernels at the 21 ms default: dt 1 → K 21 sum 10; dt 5 → [0, .5, 1, .5, 0]; dt 10 → [0, 1, 0]', () => {
    const k1 = hanningKernel(21, 1);
    expect(k1.length).toBe(21);
    expect(k1.reduce((a, b) => a + b, 0)).toBeCloseTo(10, 12);
    expect(Array.from(hanningKernel(21, 5)).map((v) => +v.toFixed(12))).toEqual([0, 0.5, 1, 0.5, 0]);
    expect(Array.from(hanningKernel(21, 10)).map((v) => +v.toFixed(12))).toEqual([0, 1, 0]);
    expect(Array.from(hanningKernel(3, 5))).toEqual([1]); // K < 1 → 1
    expect(hanningKernel(20, 5).length).toBe(5); // K even → K + 1
  });

  it('an impulse comes out as the kernel; edges are zero-padded; rows independent', () => {
    const x = tensor('float32', [2, 7], [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const y = hanningSmooth(x, 21, 5);
    expect(Array.from(y.data)).toEqual([0, 0, 0.5, 1, 0.5, 0, 0, 1, 0.5, 0, 0, 0, 0, 0]);
    const z = hanningSmooth(x, 21, 5, { normalize: true });
    expect(z.data[3]).toBeCloseTo(0.5, 7);
    expect(z.data[2]).toBeCloseTo(0.25, 7);
  });

  it('window or dt ≤ 0 → ValueError', () => {
    expect(() => hanningSmooth(tensor('float32', [1, 3]), 0, 5)).toThrow(ValueError);
    expect(() => hanningSmooth(tensor('float32', [1, 3]), 21, -1)).toThrow(/dtMs must be > 0/);
  });

  it('smoothResponses skips cells with NaN and smooths the rest in place, once per shared tensor', () => {
    const shared = tensor('float32', [1, 5], [0, 0, 1, 0, 0]);
    const partial = tensor('float32', [1, 5], [0, NaN, 1, 0, 0]);
    const ds = new ManualDataset({
      stims: [tensor('float32', [1, 1, 5]), tensor('float32', [1, 1, 5])],
      responses: [[shared, partial], [shared, nan11()]], stimMeta: [{}, {}], nrnMeta: [{}, {}], dtMs: 5,
    });
    ds.smoothResponses();
    expect(Array.from(ds.responses[0][0].data)).toEqual([0, 0.5, 1, 0.5, 0]);
    expect(ds.responses[1][0]).toBe(ds.responses[0][0]);
    expect(Array.from(ds.responses[0][1].data).map(String)).toEqual(['0', 'NaN', '1', '0', '0']);
  });
});
