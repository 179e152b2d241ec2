/**
 * The benchmark's per-item transform (docs/performance.md: "waveform → mel spectrogram per item"): the
 * library's CausalMelSpectrogram (wasm STFT + mel filterbank) turning a `(1, T · hop)` waveform
 * into `(1, F, T)` log-mel bands, one causal frame per response bin (hop = the dataset's bin,
 * F = its band count). `context.options`: `{ winMs, fMin, fMax }` (defaults: NS1's front end,
 * 10 ms, 500 Hz, 22 627 Hz clamped to Nyquist).
 */
import { CausalMelSpectrogram, type ItemTransform } from '../src/index.js';

const fronts = new Map<string, CausalMelSpectrogram>();

export const transform: ItemTransform = (item, ctx) => {
  const { audioFs, dtMs, F } = ctx.dataset;
  if (audioFs === null || F === null) throw new TypeError('loader-mel-transform needs a waveform-mode audio dataset (audioFs, F)');
  const o = (ctx.options ?? {}) as { winMs?: number; fMin?: number; fMax?: number };
  const key = `${audioFs}:${dtMs}:${F}:${o.winMs}:${o.fMin}:${o.fMax}`;
  let mel = fronts.get(key);
  if (!mel) {
    mel = new CausalMelSpectrogram({ audioFs, nMels: F, hopMs: dtMs, winMs: o.winMs ?? 10, fMin: o.fMin ?? 500, fMax: o.fMax ?? 22627 });
    fronts.set(key, mel);
  }
  const T = item.stims.shape[1];
  // Output into the loader's per-batch arena: warm memory, read in place by the collate.
  const out = ctx.alloc([1, F, T / mel.hop]);
  mel.forward({ dtype: 'float32', shape: [1, 1, T], data: item.stims.data }, out.data);
  return { ...item, stims: out };
};
