/**
 * Short-time Fourier transform and (power / magnitude) spectrograms, torch conventions:
 * `center` pads ⌊nFft/2⌋ samples on each side (reflect or zeros), a window of `winLength`
 * samples is zero-padded on both sides to `nFft`, frames = 1 + ⌊(T_padded − nFft) / hop⌋.
 * The transform runs in wasm (assembly/fft.ts) for any nFft.
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { fftPlan, heapWindow } from './fft-plan.js';
import { resolveWindow, type WindowName } from './windows.js';

/** A waveform: a plain `Float32Array` (one channel) or a tensor whose last axis is time. */
export type Waveform = Float32Array | Tensor;

/** Options of {@link stft}. */
export interface StftOptions {
  /** DFT size: any positive integer (powers of two are fastest). */
  nFft: number;
  /** Samples between frames (default ⌊nFft / 4⌋, as torch). */
  hop?: number;
  /** Window length ≤ nFft (default nFft); the window is centred in the nFft frame. */
  winLength?: number;
  /**
   * `'hann'` (default), `'hamming'`, `'rectangular'` or a `Float32Array` of `winLength` values.
   * Differs from torch.stft, whose missing window means rectangular (and warns).
   */
  window?: WindowName | Float32Array;
  /** Periodic (default, as torch.hann_window) or symmetric form of a named window. */
  periodic?: boolean;
  /** Pad ⌊nFft/2⌋ on both sides so that frame t is centred on sample t·hop (default true). */
  center?: boolean;
  /** Padding used when `center`: `'reflect'` (default) or `'constant'` (zeros). */
  padMode?: 'reflect' | 'constant';
  /** Keep bins 0 … ⌊nFft/2⌋ only (default true). */
  onesided?: boolean;
  /**
   * Write the result into this array (its length must equal the output's size) instead of
   * allocating one, e.g. a view of a dataset's packed store or a buffer reused across calls.
   */
  out?: Float32Array;
}

/** Options of {@link spectrogram}: the STFT's plus `power` (2 power, 1 magnitude, default 2). */
export interface SpectrogramOptions extends StftOptions {
  /** Exponent applied to |X| (default 2). 1 and 2 run fused in wasm; other values are supported. */
  power?: number;
}

/** The validated geometry of one STFT call. */
export interface FrameGeometry {
  nFft: number;
  hop: number;
  /** The nFft-long (zero-padded) window. */
  window: Float32Array;
  windowKey: string;
  center: boolean;
  padMode: 'reflect' | 'constant';
  onesided: boolean;
}

/** Splits a waveform into its leading shape, its length and float32 samples. */
export function waveformParts(x: Waveform, what = 'x'): { lead: number[]; T: number; data: Float32Array } {
  if (x instanceof Float32Array) return { lead: [], T: x.length, data: x };
  if (!isTensor(x)) throw new TypeError(`${what} must be a Float32Array or a Tensor`);
  if (x.shape.length < 1) throw new ShapeError(`${what} must have a time axis, got shape [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`${what} must be float32 or float64, got ${x.dtype}`);
  const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
  return { lead: x.shape.slice(0, -1), T: x.shape[x.shape.length - 1], data };
}

/** Validates STFT options and builds the padded window. */
export function frameGeometry(opts: StftOptions): FrameGeometry {
  const nFft = opts.nFft;
  if (!Number.isInteger(nFft) || nFft < 1) throw new ValueError(`nFft must be a positive integer, got ${nFft}`);
  const hop = opts.hop ?? Math.max(1, Math.floor(nFft / 4));
  if (!Number.isInteger(hop) || hop < 1) throw new ValueError(`hop must be a positive integer, got ${hop}`);
  const winLength = opts.winLength ?? nFft;
  if (!Number.isInteger(winLength) || winLength < 1 || winLength > nFft) {
    throw new ValueError(`winLength must be an integer in [1, nFft = ${nFft}], got ${winLength}`);
  }
  const periodic = opts.periodic ?? true;
  const name = opts.window ?? 'hann';
  const w = resolveWindow(name, winLength, periodic);
  let window = w;
  if (winLength < nFft) {
    window = new Float32Array(nFft);
    window.set(w, Math.floor((nFft - winLength) / 2));
  }
  const padMode = opts.padMode ?? 'reflect';
  if (padMode !== 'reflect' && padMode !== 'constant') {
    throw new ValueError(`padMode must be 'reflect' or 'constant', got '${String(padMode)}'`);
  }
  const windowKey = typeof name === 'string' ? `${name}:${periodic}:${winLength}:${nFft}` : '';
  return { nFft, hop, window, windowKey, center: opts.center ?? true, padMode, onesided: opts.onesided ?? true };
}

/** Number of frames for a signal of T samples (throws when the signal is too short). */
export function frameCount(T: number, g: FrameGeometry): number {
  const pad = g.center ? Math.floor(g.nFft / 2) : 0;
  if (g.center && g.padMode === 'reflect' && pad >= T && pad > 0) {
    throw new ValueError(`reflect padding of ${pad} samples needs a signal longer than ${pad} samples, got ${T}`);
  }
  const Tp = T + 2 * pad;
  if (Tp < g.nFft) throw new ValueError(`signal of ${T} samples is shorter than nFft = ${g.nFft}${g.center ? ' after centre padding' : ''}`);
  return 1 + Math.floor((Tp - g.nFft) / g.hop);
}

/** `into` checked against the expected size, or a new array. */
export function outputArray(into: Float32Array | undefined, size: number): Float32Array {
  if (into === undefined) return new Float32Array(size);
  if (!(into instanceof Float32Array)) throw new TypeError('out must be a Float32Array');
  if (into.length !== size) throw new ValueError(`out has ${into.length} elements but the result needs ${size}`);
  return into;
}

/** Writes the (centre-padded) signal `src` into `dst` (length T + 2·pad). */
export function padSignal(src: Float32Array, dst: Float32Array, pad: number, mode: 'reflect' | 'constant'): void {
  const T = src.length;
  dst.set(src, pad);
  if (mode === 'constant') {
    dst.fill(0, 0, pad);
    dst.fill(0, pad + T);
  } else {
    for (let i = 0; i < pad; i++) {
      dst[pad - 1 - i] = src[i + 1];
      dst[pad + T + i] = src[T - 2 - i];
    }
  }
}

/**
 * Runs the wasm STFT over every channel of `data` (`channels` rows of T samples).
 * `mode` 0 complex, 1 magnitude, 2 power. Output layout per channel: (bins, frames[, 2]).
 */
export function runStft(
  data: Float32Array, channels: number, T: number, g: FrameGeometry, mode: 0 | 1 | 2, heap: WasmHeap = defaultHeap(),
  into?: Float32Array,
): { out: Float32Array; bins: number; frames: number } {
  const frames = frameCount(T, g);
  const bins = g.onesided ? Math.floor(g.nFft / 2) + 1 : g.nFft;
  const per = bins * frames * (mode === 0 ? 2 : 1);
  const out = outputArray(into, channels * per);
  const plan = fftPlan(g.nFft, heap);
  // Named windows live in the heap once; a custom array is copied into scratch per call.
  let win = g.windowKey ? heapWindow(g.windowKey, g.window, heap) : 0;
  const pad = g.center ? Math.floor(g.nFft / 2) : 0;
  const Tp = T + 2 * pad;
  const customBytes = g.windowKey ? 0 : 4 * g.nFft + 16;
  const xBytes = (4 * Tp + 15) & ~15;
  // Frames are computed in blocks whose output (≈ 512 KiB) stays in cache until it is copied,
  // row by row, into the (F, frames) result: the kernel's strided writes never reach DRAM twice.
  // Blocks are a multiple of four frames, the kernel's group (assembly/fft.ts).
  const e = mode === 0 ? 2 : 1;
  const block = Math.min(frames, Math.max(4, 4 * Math.floor((1 << 15) / (bins * e))));
  const base = heap.scratch(customBytes + xBytes + 4 * bins * e * block);
  if (!g.windowKey) { win = base; heap.f32(win, g.nFft).set(g.window); }
  const xPtr = base + customBytes;
  const outPtr = xPtr + xBytes;
  const onesided = g.onesided ? 1 : 0;
  for (let c = 0; c < channels; c++) {
    padSignal(data.subarray(c * T, (c + 1) * T), heap.f32(xPtr, Tp), pad, g.padMode);
    for (let t0 = 0; t0 < frames; t0 += block) {
      const nb = Math.min(block, frames - t0);
      heap.kernels.stftFrames(plan, xPtr + 4 * t0 * g.hop, nb, g.hop, win, onesided, mode, outPtr, nb * e, e);
      const v = heap.f32(outPtr, bins * nb * e);
      const row = nb * e;
      if (nb === frames) out.set(v, c * per);
      else for (let k = 0; k < bins; k++) out.set(v.subarray(k * row, (k + 1) * row), c * per + (k * frames + t0) * e);
    }
  }
  return { out, bins, frames };
}

/**
 * Short-time Fourier transform. `x` is a `Float32Array` or a tensor `(…, T)`; the result is
 * `(…, F, frames, 2)` float32 with real and imaginary parts last (as `torch.view_as_real`),
 * F = ⌊nFft/2⌋ + 1 when onesided, else nFft.
 * @example
 * ```ts
 * const X = stft(wave, { nFft: 512, hop: 128 }); // X.shape = [257, frames, 2]
 * ```
 */
export function stft(x: Waveform, opts: StftOptions): Tensor<'float32'> {
  const { lead, T, data } = waveformParts(x);
  const g = frameGeometry(opts);
  const channels = lead.reduce((a, b) => a * b, 1);
  const { out, bins, frames } = runStft(data, channels, T, g, 0, defaultHeap(), opts.out);
  return { dtype: 'float32', shape: [...lead, bins, frames, 2], data: out };
}

/**
 * Power (`power: 2`, default) or magnitude (`power: 1`) spectrogram `(…, F, frames)`, |X|^power,
 * with the STFT options of {@link stft}.
 * @example
 * ```ts
 * const S = spectrogram(wave, { nFft: 400, hop: 160, power: 2 }); // [201, frames]
 * ```
 */
export function spectrogram(x: Waveform, opts: SpectrogramOptions): Tensor<'float32'> {
  const { lead, T, data } = waveformParts(x);
  const g = frameGeometry(opts);
  const power = opts.power ?? 2;
  if (!(power > 0) || !Number.isFinite(power)) throw new ValueError(`power must be a positive number, got ${power}`);
  const channels = lead.reduce((a, b) => a * b, 1);
  const { out, bins, frames } = runStft(data, channels, T, g, power === 2 ? 2 : 1, defaultHeap(), opts.out);
  if (power !== 1 && power !== 2) for (let i = 0; i < out.length; i++) out[i] = out[i] ** power;
  return { dtype: 'float32', shape: [...lead, bins, frames], data: out };
}
