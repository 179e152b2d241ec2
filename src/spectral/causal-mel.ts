/**
 * The causal mel front-end of deepSTRF's wav2spec (docs/spectral.md): left-pad win − hop zeros,
 * non-centred STFT with n_fft = win and a symmetric Hann window, magnitude (or power), HTK mel
 * filterbank without norm, compression. Its defaults reproduce the NS1 cochleagram (34 bands,
 * 500–22 627 Hz, 5 ms hop, 10 ms window, ln with floor 1e-4). Frame t depends only on samples
 * < (t + 1)·hop.
 * @module
 */
import { ValueError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';
import { defaultHeap } from '../memory/heap.js';
import { heapWindow } from './fft-plan.js';
import { compress, type Compression } from './compression.js';
import { heapFilterbank, melFilterbank, runFilterbank, type MelScale } from './mel.js';
import { hann, roundHalfEven } from './windows.js';

/** Options of {@link CausalMelSpectrogram} (the reference's arguments, camelCase). */
export interface CausalMelOptions {
  /** Sample rate of the input in Hz (required, > 0). */
  audioFs: number;
  /** Default 34. */
  nMels?: number;
  /** Frame hop in ms (default 5); hop = round(audioFs·hopMs/1000). */
  hopMs?: number;
  /** Window length in ms (default 10), ≥ hopMs; n_fft = win = round(audioFs·winMs/1000). */
  winMs?: number;
  /** Default 500 Hz. */
  fMin?: number;
  /** Default 22 627 Hz, clamped to the Nyquist frequency. */
  fMax?: number;
  /** `'amplitude'` |X| (default) or `'power'` |X|². */
  magnitude?: 'amplitude' | 'power';
  /** Default `'log'`. */
  compression?: Exclude<Compression, 'db'>;
  /** Floor of `'log'` (default 1e-4). */
  logFloor?: number;
  /** When set, `'log'` is ln(x + logOffset). */
  logOffset?: number | null;
  /** Default `'htk'`. */
  melScale?: MelScale;
}

/** Checks the wav2spec input contract `(B, 1, T)` with T a multiple of hop; returns B and T. */
export function checkWav2specInput(x: Tensor, hop: number, who: string): { B: number; T: number; data: Float32Array } {
  if (!isTensor(x)) throw new TypeError(`${who}.forward expects a Tensor (B, 1, T_audio)`);
  if (x.shape.length !== 3) {
    throw new ValueError(`${who}.forward expects a tensor (B, 1, T_audio), got rank ${x.shape.length} shape [${x.shape.join(', ')}]`);
  }
  const [B, C, T] = x.shape;
  if (C !== 1) throw new ValueError(`${who}.forward expects 1 channel (B, 1, T_audio), got ${C} channels in shape [${x.shape.join(', ')}]`);
  if (T % hop !== 0) throw new ValueError(`${who}.forward: T_audio = ${T} is not a multiple of hop = ${hop}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`${who}.forward expects float32 or float64 samples, got ${x.dtype}`);
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  return { B, T, data };
}

/**
 * Causal mel spectrogram: `forward` maps `(B, 1, T_audio)` to `(B, 1, nMels, T_audio / hop)`.
 * @example
 * ```ts
 * const mel = new CausalMelSpectrogram({ audioFs: 48000 }); // hop 240, n_fft 480, 34 bands
 * const spec = mel.forward(tensor('float32', [1, 1, 240 * 999], wave)); // [1, 1, 34, 999]
 * ```
 */
export class CausalMelSpectrogram {
  /** Number of output bands (nMels). */
  readonly outChannels: number;
  /** Samples per output frame. */
  readonly hop: number;
  readonly audioFs: number;
  /** Window length = n_fft in samples. */
  readonly win: number;
  readonly fMin: number;
  /** fMax after clamping to Nyquist. */
  readonly fMax: number;
  readonly magnitude: 'amplitude' | 'power';
  readonly compression: Exclude<Compression, 'db'>;
  readonly logFloor: number;
  readonly logOffset: number | null;
  readonly melScale: MelScale;
  /** The dense filterbank `(win/2 + 1, nMels)`. */
  readonly filterbank: Tensor<'float32'>;
  private readonly key: string;

  constructor(opts: CausalMelOptions) {
    const audioFs = opts.audioFs;
    if (!(audioFs > 0) || !Number.isFinite(audioFs)) throw new ValueError(`audioFs must be positive, got ${audioFs}`);
    const hopMs = opts.hopMs ?? 5, winMs = opts.winMs ?? 10;
    if (!(hopMs > 0)) throw new ValueError(`hopMs must be positive, got ${hopMs}`);
    if (winMs < hopMs) throw new ValueError(`winMs (${winMs}) must be ≥ hopMs (${hopMs})`);
    this.audioFs = audioFs;
    this.hop = roundHalfEven((audioFs * hopMs) / 1000);
    this.win = roundHalfEven((audioFs * winMs) / 1000);
    if (this.hop < 1) throw new ValueError(`hop of ${hopMs} ms at ${audioFs} Hz rounds to 0 samples`);
    this.outChannels = opts.nMels ?? 34;
    this.fMin = opts.fMin ?? 500;
    this.fMax = Math.min(opts.fMax ?? 22627, audioFs / 2);
    this.magnitude = opts.magnitude ?? 'amplitude';
    if (this.magnitude !== 'amplitude' && this.magnitude !== 'power') {
      throw new ValueError(`magnitude must be 'amplitude' or 'power', got '${String(this.magnitude)}'`);
    }
    this.compression = opts.compression ?? 'log';
    if (!['log', 'log1p', 'cubic', 'none'].includes(this.compression)) {
      throw new ValueError(`compression must be 'log', 'log1p', 'cubic' or 'none', got '${String(this.compression)}'`);
    }
    this.logFloor = opts.logFloor ?? 1e-4;
    this.logOffset = opts.logOffset ?? null;
    this.melScale = opts.melScale ?? 'htk';
    this.filterbank = melFilterbank({
      nFreqs: Math.floor(this.win / 2) + 1, fMin: this.fMin, fMax: this.fMax, nMels: this.outChannels,
      sampleRate: audioFs, norm: null, melScale: this.melScale,
    });
    this.key = `causal-mel:${audioFs}:${this.win}:${this.outChannels}:${this.fMin}:${this.fMax}:${this.melScale}`;
  }

  /**
   * `(B, 1, T_audio)` → `(B, 1, nMels, T_audio / hop)` float32. Throws `ValueError` for another
   * rank or channel count, or when T_audio is not a multiple of hop. `into` (optional) receives
   * the result instead of a new array, e.g. a stimulus slot of a packed dataset store.
   * @example
   * ```ts
   * new CausalMelSpectrogram({ audioFs: 16000 }).forward(tensor('float32', [2, 1, 1600])).shape; // [2, 1, 34, 20]
   * ```
   */
  forward(x: Tensor, into?: Float32Array): Tensor<'float32'> {
    const { B, T, data } = checkWav2specInput(x, this.hop, 'CausalMelSpectrogram');
    const frames = T / this.hop;
    const left = this.win - this.hop;
    const heap = defaultHeap();
    const bank = heapFilterbank(this.key, () => this.filterbank, heap);
    const win = heapWindow(`hann:false:${this.win}:${this.win}`, hann(this.win, false), heap);
    const out = runFilterbank(B, T + left, frames, this.hop, this.win, win, this.magnitude === 'power' ? 2 : 1, bank,
      (b, dst) => {
        dst.fill(0, 0, left);
        dst.set(data.subarray(b * T, (b + 1) * T), left);
      }, heap, into);
    compress(out, this.compression, { logFloor: this.logFloor, logOffset: this.logOffset });
    return { dtype: 'float32', shape: [B, 1, this.outChannels, frames], data: out };
  }
}
