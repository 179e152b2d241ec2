/**
 * Window functions (torch conventions) and the small rounding helpers the reference relies on.
 * @module
 */
import { ValueError } from '../errors.js';

/** Names of the built-in windows. */
export type WindowName = 'hann' | 'hamming' | 'rectangular';

/**
 * A Hann window of `n` samples: 0.5 − 0.5·cos(2πk/D) with D = n (periodic, torch's default) or
 * n − 1 (symmetric). n = 1 gives [1], as torch.
 * @example
 * ```ts
 * hann(4); // Float32Array [0, 0.5, 1, 0.5]
 * ```
 */
export function hann(n: number, periodic = true): Float32Array {
  return cosineWindow(n, periodic, 0.5, 0.5);
}

/**
 * A Hamming window of `n` samples: 0.54 − 0.46·cos(2πk/D), D = n (periodic) or n − 1 (symmetric).
 * @example
 * ```ts
 * hamming(5, false); // symmetric, as numpy.hamming(5)
 * ```
 */
export function hamming(n: number, periodic = true): Float32Array {
  return cosineWindow(n, periodic, 0.54, 0.46);
}

function cosineWindow(n: number, periodic: boolean, a: number, b: number): Float32Array {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`window length must be a non-negative integer, got ${n}`);
  const w = new Float32Array(n);
  if (n === 1) { w[0] = 1; return w; }
  const d = periodic ? n : n - 1;
  for (let k = 0; k < n; k++) w[k] = a - b * Math.cos((2 * Math.PI * k) / d);
  return w;
}

/**
 * The window as an array: a name (`periodic` picks the periodic or symmetric form) or an array
 * of exactly `length` values.
 * @example
 * ```ts
 * resolveWindow('hann', 400, true).length; // 400
 * ```
 */
export function resolveWindow(window: WindowName | Float32Array, length: number, periodic: boolean): Float32Array {
  if (window instanceof Float32Array) {
    if (window.length !== length) throw new ValueError(`window has ${window.length} samples but winLength is ${length}`);
    return window;
  }
  if (window === 'hann') return hann(length, periodic);
  if (window === 'hamming') return hamming(length, periodic);
  if (window === 'rectangular') return new Float32Array(length).fill(1);
  throw new ValueError(`unknown window '${String(window)}' (expected 'hann', 'hamming', 'rectangular' or a Float32Array)`);
}

/**
 * Python's `round()` (halves go to the even neighbour), which the reference uses for hops,
 * window lengths and the n_fft rule.
 * @example
 * ```ts
 * roundHalfEven(2.5); // 2
 * ```
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Rounding half away from zero (the `gammatone` package's `round_half_away_from_zero`). */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}
