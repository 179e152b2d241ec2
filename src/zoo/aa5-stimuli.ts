/**
 * CRCNS-AA5 stimuli: the class of a stimulus from its file name, and its tensor from the cache's
 * WAV (release value / 32768, resampled to `audioFs`, cropped or zero-padded to the 5 s window,
 * then the waveform or the causal mel spectrogram). See docs/zoo/aa5.md.
 * @module
 */
import { ValueError } from '../errors.js';
import { fileLabel, SourceFileError } from '../sources/build.js';
import { tensor, type Tensor } from '../tensor.js';
import type { Meta } from '../contract/types.js';
import { decodeWav } from '../audio/wav.js';
import { resample } from '../audio/resample.js';
import { cropOrPad } from '../audio/waveform.js';
import { melSpectrogram } from '../spectral/mel.js';
import { compress } from '../spectral/compression.js';
import { AA5_WINDOW_S } from './aa5-sites.js';

const CALL = /^([A-Za-z]{6}\d{4})_([A-Z]{3})_([A-Za-z]{2})_([^_]+)_fs25k\.wav$/;
const SONG = /^stim(\d+)(_sfilt|_tfilt)?\.wav$/;
const RIPPLE = /^randripple(\d+)\.wav$/;

/**
 * The name-derived metadata of a stimulus file (`_stim_info` of the reference): `stimClass`
 * (`call`, `song`, `song_sfilt`, `song_tfilt`, `ripple` or `unknown`) and the class's fields;
 * keys that do not apply are null.
 * @example
 * ```ts
 * aa5StimInfo('BlaBla0506_MAF_Te_8-1-9_fs25k.wav').callType; // 'Te'
 * aa5StimInfo('stim12_sfilt.wav'); // { stimClass: 'song_sfilt', callType: 'So', songId: 12, … }
 * ```
 */
export function aa5StimInfo(file: string): Meta {
  const info: Meta = {
    name: file, stimClass: 'unknown', callType: null, vocalizer: null, vocalizerCode: null,
    vocalizerSex: null, vocalizerAge: null, rendition: null, songId: null, rippleId: null,
  };
  let m = CALL.exec(file);
  if (m) {
    const code = m[2];
    return {
      ...info, stimClass: 'call', vocalizer: m[1], vocalizerCode: code, callType: m[3], rendition: m[4],
      vocalizerSex: code[0] === 'M' || code[0] === 'F' ? code[0] : null,
      vocalizerAge: code[1] === 'A' ? 'adult' : code[1] === 'C' ? 'chick' : null,
    };
  }
  m = SONG.exec(file);
  if (m) return { ...info, stimClass: m[2] ? `song${m[2]}` : 'song', callType: 'So', songId: Number(m[1]) };
  m = RIPPLE.exec(file);
  if (m) return { ...info, stimClass: 'ripple', rippleId: Number(m[1]) };
  return info;
}

/** How stimuli are turned into tensors (resolved options of the dataset). @example `{ T: 1000, hop: 125, audioFs: 25000, returnWaveform: false, nMels: 32, nFft: 250, compression: 'cubic' }` */
export interface AA5StimSettings {
  T: number;
  hop: number;
  audioFs: number;
  returnWaveform: boolean;
  nMels: number;
  /** n_fft of the mel front-end: max(round(windowMs · 1e-3 · audioFs), hop). */
  nFft: number;
  compression: string;
}

/** The highest WAV rate accepted (the release has 25 and 32 kHz): bounds the resampler's kernel. */
const MAX_FS = 384000;

/**
 * The input samples the resampler needs for the first T·hop output samples: output j of
 * torchaudio's resampler reads input below j·fs/audioFs + width + orig (its kernel half-width and
 * phase count, both at most fs + 7·⌈fs/audioFs⌉), so the rest can be cut without changing a
 * value — and a WAV with a corrupt, tiny rate cannot blow the output up.
 */
function inputFor(x: Float32Array, fs: number, s: AA5StimSettings): Float32Array {
  const need = Math.ceil((s.T * s.hop * fs) / s.audioFs) + fs + 7 * Math.ceil(fs / s.audioFs) + 2;
  return x.length > need ? x.subarray(0, need) : x;
}

/** Compressions the AA5 mel front-end accepts. */
const COMPRESSIONS = ['cubic', 'log1p', 'none'] as const;

/**
 * Checks a compression name (the reference raises only in spectrogram mode; `loadAA5Stim`
 * expects a checked one).
 * @throws ValueError for anything but `cubic`, `log1p`, `none`
 * @example
 * ```ts
 * checkAA5Compression('cubic'); // ok
 * ```
 */
export function checkAA5Compression(c: string): void {
  if (!(COMPRESSIONS as readonly string[]).includes(c)) throw new ValueError(`unknown compression '${c}' (expected 'cubic', 'log1p' or 'none')`);
}

/**
 * One stimulus from its cached WAV and `stimuli/index.json` entry: the tensor (`(1, T·hop)` or
 * `(1, nMels, T)`) and metadata (`nativeFs`, `soundOnsetS`, `soundOffsetS`, `durationS`, `levelDb`
 * plus the name-derived keys).
 * @example
 * ```ts
 * const { stim, meta } = loadAA5Stim(bytes, 'stim1.wav', { integer_pcm: false }, settings, '/data/AA5');
 * ```
 */
export function loadAA5Stim(bytes: Uint8Array, file: string, entry: Record<string, unknown>, s: AA5StimSettings, root = ''): { stim: Tensor<'float32'>; meta: Meta } {
  const path = `stimuli/${file}`;
  const bad = (msg: string, offset?: number) => new SourceFileError(root, path, msg, offset);
  const wav = decodeWav(bytes, { name: fileLabel(root, path) });
  if (wav.channels !== 1) throw bad(`${wav.channels} channels, expected 1 (mono)`, 22);
  if (typeof entry.fs === 'number' && wav.sampleRate !== entry.fs) throw bad(`header sample rate is ${wav.sampleRate} Hz, stimuli/index.json says ${entry.fs}`, 24);
  if (typeof entry.n_samples === 'number' && wav.totalFrames !== entry.n_samples) throw bad(`data chunk holds ${wav.totalFrames} frames, stimuli/index.json says ${entry.n_samples}`);
  const integerPcm = entry.integer_pcm === undefined ? true : Boolean(entry.integer_pcm);
  const n = wav.totalFrames;
  // The reference: float64 samples, ×32768 when integer_pcm, then /32768, then float32. Scaling
  // by powers of two is exact, so this is the float32 decode itself, or it / 32768.
  const x = wav.data.data;
  if (!integerPcm) for (let i = 0; i < n; i++) x[i] /= 32768;
  // Sound extent and level, from the non-zero samples of the −0.5 … 4.5 s window.
  const fs = wav.sampleRate;
  if (fs > MAX_FS) throw bad(`header sample rate ${fs} Hz is above ${MAX_FS} Hz: not a stimulus of the release`, 24);
  let first = -1, last = -1, sq = 0, nz = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw bad(`sample ${i} is ${x[i]}: stimuli must be finite`);
    if (x[i] !== 0) {
      if (first < 0) first = i;
      last = i;
      sq += x[i] * x[i];
      nz++;
    }
  }
  const onset = first < 0 ? NaN : first / fs + AA5_WINDOW_S[0];
  const offset = last < 0 ? NaN : last / fs + AA5_WINDOW_S[0];
  const meta: Meta = {
    ...aa5StimInfo(file), nativeFs: fs, soundOnsetS: onset, soundOffsetS: offset, durationS: offset - onset,
    levelDb: nz === 0 ? NaN : 20 * Math.log10(Math.sqrt(sq / nz) + 1e-12),
  };
  const wave = cropOrPad(fs === s.audioFs ? x : resample(inputFor(x, fs, s), fs, s.audioFs), s.T * s.hop);
  if (s.returnWaveform) return { stim: tensor('float32', [1, s.T * s.hop], wave), meta };
  // Causal framing: left-pad nFft − hop zeros, so frame t covers samples [(t+1)·hop − nFft, (t+1)·hop).
  const lead = s.nFft - s.hop;
  const padded = new Float32Array(lead + wave.length);
  padded.set(wave, lead);
  const mel = melSpectrogram(padded, { sampleRate: s.audioFs, nFft: s.nFft, hop: s.hop, nMels: s.nMels, center: false });
  const frames = mel.shape[1];
  const out = new Float32Array(s.nMels * s.T);
  for (let f = 0; f < s.nMels; f++) out.set(mel.data.subarray(f * frames, f * frames + s.T), f * s.T);
  compress(out, s.compression as 'cubic' | 'log1p' | 'none');
  return { stim: tensor('float32', [1, s.nMels, s.T], out), meta };
}
