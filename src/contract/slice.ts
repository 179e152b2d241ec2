/**
 * Python slice semantics (`slice.indices`) for `ds.get({ start, stop, step })`.
 * @module
 */
import { ValueError } from '../errors.js';
import type { SliceIndex } from './types.js';

/**
 * The positions a Python slice selects from a sequence of `length` items. Never throws for
 * out-of-range bounds (they clamp); a zero step throws `ValueError`.
 * @example
 * ```ts
 * resolveSlice({ start: -2 }, 5); // [3, 4]
 * resolveSlice({ step: -2 }, 5); // [4, 2, 0]
 * ```
 */
export function resolveSlice(slice: SliceIndex, length: number): number[] {
  const step = slice.step ?? 1;
  if (!Number.isInteger(step)) throw new TypeError(`slice step must be an integer, got ${step}`);
  if (step === 0) throw new ValueError('slice step cannot be zero');
  for (const k of ['start', 'stop'] as const) {
    const v = slice[k];
    if (v !== undefined && v !== null && !Number.isInteger(v)) throw new TypeError(`slice ${k} must be an integer, got ${v}`);
  }
  const clamp = (v: number | null | undefined, dflt: number, lo: number, hi: number) => {
    if (v === undefined || v === null) return dflt;
    const w = v < 0 ? v + length : v;
    return Math.min(Math.max(w, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const start = clamp(slice.start, 0, 0, length);
    const stop = clamp(slice.stop, length, 0, length);
    for (let i = start; i < stop; i += step) out.push(i);
  } else {
    const start = clamp(slice.start, length - 1, -1, length - 1);
    const stop = clamp(slice.stop, -1, -1, length - 1);
    for (let i = start; i > stop; i += step) out.push(i);
  }
  return out;
}
