// Independent float64 helpers for the spectral tests (no code shared with src/spectral).
import { defaultHeap } from '../../src/memory/heap.js';
export const sine = (n: number, f: number, sr: number, amp = 1, phase = 0) =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * f * i) / sr + phase));

/** |DFT| of a float64 frame at bins 0 … count−1 (direct sum). */
export function dftMag(frame: ArrayLike<number>, count: number): Float64Array {
  const N = frame.length;
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    let re = 0, im = 0;
    for (let n = 0; n < N; n++) {
      const a = (-2 * Math.PI * ((k * n) % N)) / N;
      re += frame[n] * Math.cos(a);
      im += frame[n] * Math.sin(a);
    }
    out[k] = Math.hypot(re, im);
  }
  return out;
}

export const htkMel = (f: number) => 2595 * Math.log10(1 + f / 700);
export const htkHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

export function noise(n: number, seed: number): Float32Array {
  // xorshift, independent of src/util/random
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 31 - 1;
  });
}

/**
 * Bytes held in the default wasm heap before and after `n` more calls of `fn` (after one call to
 * warm the caches and scratch): equal when repeated calls allocate nothing that stays.
 */
export function heldAcrossCalls(fn: () => unknown, n = 50): [number, number] {
  fn();
  const before = defaultHeap().stats().held;
  for (let i = 0; i < n; i++) fn();
  return [before, defaultHeap().stats().held];
}
