// psth / coarseMask helpers.
import { describe, expect, it } from 'vitest';
import { coarseMask, psth, ShapeError } from '../../src/index.js';
import { bool, f32, f64 } from './helpers.js';

describe('psth', () => {
  it('NaN-means over the repeat axis, keeps it as size 1, keeps float64', () => {
    const x = f32([1, 1, 3, 2], [1, NaN, 3, NaN, NaN, NaN]);
    const p = psth(x);
    expect(p.shape).toEqual([1, 1, 1, 2]);
    expect(p.dtype).toBe('float32');
    expect(p.data[0]).toBe(2);
    expect(Number.isNaN(p.data[1])).toBe(true);
    const y = psth(f64([2, 3], [1, 2, 3, 4, 5, 6]));
    expect(y.dtype).toBe('float64');
    expect(y.shape).toEqual([1, 3]);
    expect(Array.from(y.data)).toEqual([2.5, 3.5, 4.5]);
    expect(() => psth(f32([3], [1, 2, 3]))).toThrow(ShapeError);
  });
});

describe('coarseMask', () => {
  it('is validMask.any over (R, T) → (B, N)', () => {
    const m = bool([2, 2, 2, 2], [0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const c = coarseMask(m);
    expect(c.shape).toEqual([2, 2]);
    expect(c.dtype).toBe('bool');
    expect(Array.from(c.data)).toEqual([1, 0, 1, 0]);
    expect(() => coarseMask(f32([1, 1, 1, 1], [1]) as never)).toThrow(/bool/);
    expect(() => coarseMask(bool([2, 2], [1, 1, 1, 1]))).toThrow(/expected 4-D/);
  });
});
