/**
 * Mel filterbanks (torchaudio.functional.melscale_fbanks) and the mel spectrogram
 * (torchaudio.transforms.MelSpectrogram defaults). The filterbank is applied in wasm as a sparse
 * matrix fused with the STFT, so a frame's spectrum never leaves the kernel.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { fftPlan, heapWindow } from './fft-plan.js';
import { FILTER_BAND, writeFilterBand } from '../memory/layouts.generated.js';
import { frameCount, frameGeometry, outputArray, padSignal, runStft, waveformParts, type StftOptions, type Waveform } from './stft.js';

/** Mel scale: `'htk'` 2595·log10(1 + f/700), or `'slaney'` (linear below 1 kHz, log above). */
export type MelScale = 'htk' | 'slaney';

/** Options of {@link melFilterbank} (torchaudio's `melscale_fbanks` arguments). */
export interface MelFilterbankOptions {
  /** Number of STFT bins (⌊nFft/2⌋ + 1). */
  nFreqs: number;
  fMin: number;
  fMax: number;
  nMels: number;
  sampleRate: number;
  /** `'slaney'` divides each triangle by its width in Hz / 2 (unit area); default none. */
  norm?: 'slaney' | null;
  melScale?: MelScale;
}

/**
 * Hz → mel.
 * @example
 * ```ts
 * hzToMel(1000, 'htk'); // ≈ 999.99
 * ```
 */
export function hzToMel(f: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + f / 700);
  const fSp = 200 / 3;
  if (f < 1000) return f / fSp;
  return 1000 / fSp + Math.log(f / 1000) / (Math.log(6.4) / 27);
}

/**
 * mel → Hz (inverse of {@link hzToMel}).
 * @example
 * ```ts
 * melToHz(hzToMel(440)); // 440
 * ```
 */
export function melToHz(m: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 700 * (10 ** (m / 2595) - 1);
  const fSp = 200 / 3;
  const minLogMel = 1000 / fSp;
  if (m < minLogMel) return m * fSp;
  return 1000 * Math.exp((Math.log(6.4) / 27) * (m - minLogMel));
}

/**
 * Triangular mel filterbank `(nFreqs, nMels)` (torchaudio's layout): bin frequencies are
 * linspace(0, ⌊sampleRate/2⌋, nFreqs); nMels + 2 corner frequencies equally spaced in mel
 * between fMin and fMax; weight = max(0, min(rising, falling) slope).
 * @example
 * ```ts
 * const fb = melFilterbank({ nFreqs: 201, fMin: 0, fMax: 8000, nMels: 40, sampleRate: 16000 });
 * fb.shape; // [201, 40]
 * ```
 */
export function melFilterbank(opts: MelFilterbankOptions): Tensor<'float32'> {
  const { nFreqs, fMin, fMax, nMels, sampleRate } = opts;
  const scale = opts.melScale ?? 'htk';
  if (scale !== 'htk' && scale !== 'slaney') throw new ValueError(`melScale must be 'htk' or 'slaney', got '${String(scale)}'`);
  const norm = opts.norm ?? null;
  if (norm !== null && norm !== 'slaney') throw new ValueError(`norm must be 'slaney' or null, got '${String(norm)}'`);
  if (!Number.isInteger(nFreqs) || nFreqs < 1) throw new ValueError(`nFreqs must be a positive integer, got ${nFreqs}`);
  if (!Number.isInteger(nMels) || nMels < 1) throw new ValueError(`nMels must be a positive integer, got ${nMels}`);
  if (!(sampleRate > 0)) throw new ValueError(`sampleRate must be positive, got ${sampleRate}`);
  if (!(fMin >= 0) || !(fMax > fMin)) throw new ValueError(`need 0 ≤ fMin < fMax, got fMin ${fMin}, fMax ${fMax}`);
  const top = Math.floor(sampleRate / 2);
  const freqs = new Float64Array(nFreqs);
  for (let i = 0; i < nFreqs; i++) freqs[i] = nFreqs === 1 ? 0 : (top * i) / (nFreqs - 1);
  const mMin = hzToMel(fMin, scale), mMax = hzToMel(fMax, scale);
  const fPts = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) fPts[i] = melToHz(mMin + ((mMax - mMin) * i) / (nMels + 1), scale);
  const fb = new Float32Array(nFreqs * nMels);
  for (let m = 0; m < nMels; m++) {
    const lo = fPts[m], mid = fPts[m + 1], hi = fPts[m + 2];
    const enorm = norm === 'slaney' ? 2 / (hi - lo) : 1;
    for (let i = 0; i < nFreqs; i++) {
      const down = (freqs[i] - lo) / (mid - lo);
      const up = (hi - freqs[i]) / (hi - mid);
      const w = Math.max(0, Math.min(down, up));
      fb[i * nMels + m] = w * enorm;
    }
  }
  return { dtype: 'float32', shape: [nFreqs, nMels], data: fb };
}

/**
 * A filterbank `(nFreqs, bands)` stored sparsely in the heap (each band a FilterBand of assembly/layouts.ts).
 * @example
 * ```ts
 * const { fb, weights, bands } = heapFilterbank('mel:…', () => melFilterbank(opts));
 * ```
 */
export interface HeapFilterbank {
  /** Address of a table of `bands` FilterBand (assembly/layouts.ts). */
  fb: number;
  weights: number;
  bands: number;
}

const sparseCache = new WeakMap<WasmHeap, Map<string, HeapFilterbank>>();

/**
 * The sparse heap copy of the filterbank named `key`: made once per heap from `dense()` (a
 * `(nFreqs, bands)` matrix; each band keeps its span from its first to its last non-zero bin), then
 * returned from the cache for the heap's life. `key` must name every setting the bank depends on:
 * another key makes another bank. Repeated calls allocate nothing and do not call `dense`.
 * @example
 * ```ts
 * const opts = { nFreqs: 201, fMin: 0, fMax: 8000, nMels: 40, sampleRate: 16000 };
 * const bank = heapFilterbank(`mel:${JSON.stringify(opts)}`, () => melFilterbank(opts));
 * ```
 */
export function heapFilterbank(key: string, dense: () => Tensor<'float32'>, heap: WasmHeap = defaultHeap()): HeapFilterbank {
  let cache = sparseCache.get(heap);
  if (!cache) sparseCache.set(heap, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const { shape: [nFreqs, bands], data } = dense();
  const spans: Array<[number, number]> = [];
  let total = 0;
  for (let m = 0; m < bands; m++) {
    let first = -1, last = -1;
    for (let i = 0; i < nFreqs; i++) {
      if (data[i * bands + m] !== 0) { if (first < 0) first = i; last = i; }
    }
    const span: [number, number] = first < 0 ? [0, 0] : [first, last - first + 1];
    spans.push(span);
    total += span[1];
  }
  const fb = heap.allocStatic(FILTER_BAND.size * Math.max(bands, 1)); // cached for the heap's life
  let weights: number;
  try {
    weights = heap.allocStatic(4 * Math.max(total, 4));
  } catch (e) {
    heap.free(fb);
    throw e;
  }
  const table = new DataView(heap.buffer, fb, FILTER_BAND.size * bands);
  const w = heap.f32(weights, total);
  let off = 0;
  spans.forEach(([start, count], m) => {
    writeFilterBand(table, m * FILTER_BAND.size, { start, count, weight: off });
    for (let j = 0; j < count; j++) w[off + j] = data[(start + j) * bands + m];
    off += count;
  });
  const result = { fb, weights, bands };
  cache.set(key, result);
  return result;
}

/**
 * Runs STFT → |X|^power → filterbank in wasm for `channels` rows of T samples, given already
 * padded per-row signals written by `fill(row, dst)`. Output per channel: (bands, frames).
 */
export function runFilterbank(
  channels: number, paddedLength: number, frames: number, hop: number, nFft: number, window: number | Float32Array,
  power: 1 | 2, bank: HeapFilterbank, fill: (row: number, dst: Float32Array) => void, heap: WasmHeap = defaultHeap(),
  into?: Float32Array,
): Float32Array {
  const per = bank.bands * frames;
  const out = outputArray(into, channels * per);
  const plan = fftPlan(nFft, heap);
  // A heap window is used in place; an array is copied to the head of the scratch block.
  const wBytes = typeof window === 'number' ? 0 : (4 * nFft + 15) & ~15;
  const xBytes = (4 * paddedLength + 15) & ~15;
  const base = heap.scratch(wBytes + xBytes + 4 * per);
  const windowPtr = typeof window === 'number' ? window : base;
  if (typeof window !== 'number') heap.f32(base, nFft).set(window);
  const xPtr = base + wBytes;
  const outPtr = xPtr + xBytes;
  for (let c = 0; c < channels; c++) {
    fill(c, heap.f32(xPtr, paddedLength));
    heap.kernels.filterbankFrames(plan, xPtr, frames, hop, windowPtr, power, bank.fb, bank.weights, bank.bands, outPtr, frames, 1);
    out.set(heap.f32(outPtr, per), c * per);
  }
  return out;
}

/** Options of {@link melSpectrogram}: torchaudio.transforms.MelSpectrogram's, camelCase. */
export interface MelSpectrogramOptions extends Partial<StftOptions> {
  /** Sample rate in Hz (default 16 000). */
  sampleRate?: number;
  /** Default 128. */
  nMels?: number;
  /** Default 0. */
  fMin?: number;
  /** Default ⌊sampleRate / 2⌋. */
  fMax?: number;
  /** |X|^power before the filterbank (default 2; 1 and 2 are fused in wasm). */
  power?: number;
  norm?: 'slaney' | null;
  melScale?: MelScale;
}

/**
 * Mel spectrogram `(…, nMels, frames)` with torchaudio's defaults: nFft 400, hop = winLength/2,
 * periodic Hann, centred frames with reflect padding, power 2, HTK scale, no norm, 128 mels.
 * @example
 * ```ts
 * const M = melSpectrogram(wave, { sampleRate: 32000, nFft: 320, hop: 32, nMels: 32 });
 * ```
 */
export function melSpectrogram(x: Waveform, opts: MelSpectrogramOptions = {}): Tensor<'float32'> {
  const { lead, T, data } = waveformParts(x);
  const sampleRate = opts.sampleRate ?? 16000;
  const nFft = opts.nFft ?? 400;
  const winLength = opts.winLength ?? nFft;
  const g = frameGeometry({ ...opts, nFft, winLength, hop: opts.hop ?? Math.max(1, Math.floor(winLength / 2)), onesided: true });
  const nMels = opts.nMels ?? 128;
  const fMin = opts.fMin ?? 0;
  const fMax = opts.fMax ?? Math.floor(sampleRate / 2);
  const power = opts.power ?? 2;
  if (!(power > 0) || !Number.isFinite(power)) throw new ValueError(`power must be a positive number, got ${power}`);
  const nFreqs = Math.floor(nFft / 2) + 1;
  const fbOpts = { nFreqs, fMin, fMax, nMels, sampleRate, norm: opts.norm ?? null, melScale: opts.melScale ?? 'htk' } as const;
  const heap = defaultHeap();
  const frames = frameCount(T, g);
  const pad = g.center ? Math.floor(nFft / 2) : 0;
  const channels = lead.reduce((a, b) => a * b, 1);
  const fused = power === 1 || power === 2;
  const win = g.windowKey ? heapWindow(g.windowKey, g.window, heap) : g.window;
  let out: Float32Array;
  if (fused) {
    const bank = heapFilterbank(`mel:${JSON.stringify(fbOpts)}`, () => melFilterbank(fbOpts), heap);
    out = runFilterbank(channels, T + 2 * pad, frames, g.hop, nFft, win, power, bank, (c, dst) =>
      padSignal(data.subarray(c * T, (c + 1) * T), dst, pad, g.padMode), heap, opts.out);
  } else {
    // General exponent: magnitude spectrogram in wasm, then |X|^p and the dense product here.
    const dense = melFilterbank(fbOpts);
    const mag = runStft(data, channels, T, g, 1, heap).out;
    out = outputArray(opts.out, channels * nMels * frames);
    out.fill(0);
    for (let c = 0; c < channels; c++) {
      for (let k = 0; k < nFreqs; k++) {
        for (let t = 0; t < frames; t++) {
          const v = mag[(c * nFreqs + k) * frames + t] ** power;
          if (v === 0) continue;
          for (let m = 0; m < nMels; m++) out[(c * nMels + m) * frames + t] += dense.data[k * nMels + m] * v;
        }
      }
    }
  }
  return { dtype: 'float32', shape: [...lead, nMels, frames], data: out };
}
