/**
 * Waveform helpers of the grid lock (docs/spectral.md): mono downmix, crop / zero-pad to an exact
 * length, and the one-call preparation resample → mono → exact length.
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { waveformParts, type Waveform } from '../spectral/stft.js';
import { resample, type ResampleOptions } from './resample.js';

/**
 * Mean over channels: `(C, T)` → `(1, T)` (a `(T)` tensor or a `Float32Array` becomes `(1, T)`).
 * @example
 * ```ts
 * toMono(decodeWav(bytes).data); // (1, frames)
 * ```
 */
export function toMono(x: Waveform): Tensor<'float32'> {
  const { lead, T, data } = waveformParts(x);
  if (lead.length > 1) throw new ShapeError(`toMono expects (channels, T) or (T), got shape [${[...lead, T].join(', ')}]`);
  const C = lead.length ? lead[0] : 1;
  if (C === 1) return { dtype: 'float32', shape: [1, T], data: data.slice() };
  const out = new Float32Array(T);
  for (let c = 0; c < C; c++) {
    const row = data.subarray(c * T, (c + 1) * T);
    for (let i = 0; i < T; i++) out[i] += row[i];
  }
  for (let i = 0; i < T; i++) out[i] /= C;
  return { dtype: 'float32', shape: [1, T], data: out };
}

/**
 * Right-crops or zero-pads the last axis to exactly `length` samples (a new tensor / array).
 * @example
 * ```ts
 * cropOrPad(wave, 999 * 240); // NS1 at 48 kHz
 * ```
 */
export function cropOrPad<X extends Waveform>(x: X, length: number): X;
export function cropOrPad(x: Waveform, length: number): Waveform {
  if (!Number.isInteger(length) || length < 0) throw new ValueError(`length must be a non-negative integer, got ${length}`);
  const { lead, T, data } = waveformParts(x);
  const rows = lead.reduce((a, b) => a * b, 1);
  const out = new Float32Array(rows * length);
  const keep = Math.min(T, length);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * T, r * T + keep), r * length);
  if (x instanceof Float32Array) return out;
  return { dtype: 'float32', shape: [...lead, length], data: out } satisfies Tensor<'float32'>;
}

/** Options of {@link prepareWaveform}. */
export interface PrepareWaveformOptions extends ResampleOptions {
  /** Rate of the input. */
  fromFs: number;
  /** Target rate (default: unchanged). */
  toFs?: number;
  /** Exact output length in samples (default: the resampled natural length). */
  length?: number;
}

/**
 * The waveform grid lock in one call: mono by channel mean, resample `fromFs` → `toFs`, then
 * right-crop / zero-pad to `length`. Returns `(1, length)` float32.
 * @example
 * ```ts
 * const w = prepareWaveform(decodeWav(bytes).data, { fromFs: 48828, toFs: 48000, length: 999 * 240 });
 * ```
 */
export function prepareWaveform(x: Waveform, opts: PrepareWaveformOptions): Tensor<'float32'> {
  let w = toMono(x);
  if (opts.toFs !== undefined && Math.trunc(opts.toFs) !== Math.trunc(opts.fromFs)) w = resample(w, opts.fromFs, opts.toFs, opts);
  if (opts.length !== undefined) w = cropOrPad(w, opts.length);
  return w;
}
