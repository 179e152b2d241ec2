/**
 * The wav2spec factory of deepSTRF (`make_wav2spec(kind, audio_fs, dt_ms, **kw)`), for the
 * non-learnable front-ends deepstrf implements.
 * @module
 */
import { ValueError } from '../errors.js';
import { CausalMelSpectrogram, type CausalMelOptions } from './causal-mel.js';
import { Gammatonegram, type GammatonegramFrontEndOptions } from './gammatone.js';

/** A wav2spec front-end: `(B, 1, T_audio)` → `(B, 1, outChannels, T_audio / hop)`. */
export type Wav2Spec = CausalMelSpectrogram | Gammatonegram;

/** Extra options of {@link makeWav2spec}, passed to the front-end's constructor. */
export type Wav2SpecOptions = Partial<Omit<CausalMelOptions, 'audioFs' | 'hopMs'>> &
  Partial<Omit<GammatonegramFrontEndOptions, 'audioFs' | 'hopMs'>>;

const LEARNABLE = ['sincnet', 'leaf', 'gammatone'];

/**
 * Builds a front-end by name (case-insensitive) with hopMs = dtMs: `'mel'` →
 * {@link CausalMelSpectrogram}, `'gammatonegram'` → {@link Gammatonegram}. The reference's
 * `'sincnet'`, `'leaf'` (learnable) and `'gammatone'` (CausalGammatone) kinds are not part of
 * deepstrf and throw `ValueError`, as does any unknown kind.
 * @example
 * ```ts
 * const fe = makeWav2spec('mel', 16000, 5); // fe.hop === 80, fe.outChannels === 34
 * ```
 */
export function makeWav2spec(kind: string, audioFs: number, dtMs: number, options: Wav2SpecOptions = {}): Wav2Spec {
  const k = String(kind).toLowerCase();
  if (k === 'mel') {
    const { nFilters: _n, windowMs: _w, compression, ...rest } = options;
    return new CausalMelSpectrogram({
      ...rest, audioFs, hopMs: dtMs,
      ...(compression === undefined ? {} : { compression: compression as CausalMelOptions['compression'] }),
    });
  }
  if (k === 'gammatonegram') {
    const { nMels: _m, winMs: _w, magnitude: _g, logOffset: _o, melScale: _s, compression, ...rest } = options;
    return new Gammatonegram({
      ...rest, audioFs, hopMs: dtMs,
      ...(compression === undefined ? {} : { compression: compression as GammatonegramFrontEndOptions['compression'] }),
    });
  }
  if (LEARNABLE.includes(k)) {
    throw new ValueError(`wav2spec kind '${kind}' is not available in deepstrf (it belongs with the model code); use 'mel' or 'gammatonegram'`);
  }
  throw new ValueError(`unknown wav2spec kind '${kind}': expected 'mel' or 'gammatonegram'`);
}
