/**
 * The n_fft rule of the CRCNS AA loaders (docs/spectral.md, test_audio_spec_pipeline).
 * @module
 */
import { ValueError } from '../errors.js';
import { roundHalfEven } from './windows.js';

/**
 * n_fft for a window of `windowMs` at response bin `dtMs` and `hop` samples per bin:
 * max(round(windowMs / dtMs · hop), hop), with Python's round (halves to even).
 * @example
 * ```ts
 * nFftForWindow(10, 1, 32); // 320 (AA1 at 32 kHz, dt 1 ms)
 * nFftForWindow(5, 50, 1600); // 1600: a window shorter than the hop floors to the hop
 * ```
 */
export function nFftForWindow(windowMs: number, dtMs: number, hop: number): number {
  if (!(windowMs > 0)) throw new ValueError(`windowMs must be positive, got ${windowMs}`);
  if (!(dtMs > 0)) throw new ValueError(`dtMs must be positive, got ${dtMs}`);
  if (!Number.isInteger(hop) || hop < 1) throw new ValueError(`hop must be a positive integer, got ${hop}`);
  return Math.max(roundHalfEven((windowMs / dtMs) * hop), hop);
}
