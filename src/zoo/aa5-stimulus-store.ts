/**
 * The CRCNS-AA5 cache's shared stimulus store (`stimuli/<file>` + `stimuli/index.json`): each
 * stimulus is stored once, as 16-bit PCM when every sample is (within `np.allclose`) an integer
 * in [−32767, 32767], else as 32-bit float (values in int16 units), with the SHA-1 of the stored
 * sample bytes. See docs/zoo/aa5.md.
 * @module
 */
import { PickleDataError } from '../io/pickle.js';
import type { PyJson } from '../io/py-json.js';
import { encodeWav } from '../audio/wav.js';
import { sha1Hex } from '../util/sha1.js';
import { roundHalfEven } from '../util/round.js';
import { AA5_WINDOW_S } from './aa5-sites.js';

/** `stimuli/index.json`: file → `{ fs, n_samples, sha1, t_start_s, integer_pcm }`. @example `index['stim1.wav'].sha1` */
export type AA5StimulusIndex = Record<string, { [key: string]: PyJson }>;

/**
 * Encodes a stimulus for the store: whether it is integer PCM (`np.allclose(w, np.round(w))` and
 * `max |w| ≤ 32767`), the WAV bytes, and the SHA-1 of the int16 or float32 sample bytes.
 * @throws PickleDataError for an empty waveform (the reference fails on it too)
 * @example
 * ```ts
 * encodeAA5Stimulus(new Float64Array([0, 1000, -1000]), 25000).integerPcm; // true
 * ```
 */
export function encodeAA5Stimulus(wav: Float64Array, fs: number): { integerPcm: boolean; sha1: string; bytes: Uint8Array } {
  if (wav.length === 0) throw new PickleDataError('stimWav is empty');
  let integer = true;
  let peak = 0;
  for (const w of wav) {
    const r = roundHalfEven(w);
    if (!(Math.abs(w - r) <= 1e-8 + 1e-5 * Math.abs(r)) && w !== r) integer = false;
    const a = Math.abs(w);
    if (!(a <= peak)) peak = a;
  }
  integer &&= peak <= 32767;
  if (integer) {
    const pcm = Int16Array.from(wav, (w) => roundHalfEven(w));
    return {
      integerPcm: true,
      sha1: sha1Hex(new Uint8Array(pcm.buffer)),
      bytes: encodeWav(Float32Array.from(pcm, (v) => v / 32768), fs, { format: 'pcm16' }),
    };
  }
  const f32 = Float32Array.from(wav);
  return { integerPcm: false, sha1: sha1Hex(new Uint8Array(f32.buffer)), bytes: encodeWav(f32, fs, { format: 'float32' }) };
}

/**
 * The index entry of a stored stimulus (keys in the reference's order).
 * @example
 * ```ts
 * aa5IndexEntry(25000, 125000, 'ab12…', true); // { fs: 25000n, n_samples: 125000n, sha1, t_start_s: -0.5, integer_pcm: true }
 * ```
 */
export function aa5IndexEntry(fs: number, nSamples: number, sha1: string, integerPcm: boolean): { [key: string]: PyJson } {
  return { fs: BigInt(fs), n_samples: BigInt(nSamples), sha1, t_start_s: AA5_WINDOW_S[0], integer_pcm: integerPcm };
}
