/**
 * Band-limited resampling, torchaudio.functional.resample with its defaults
 * (sinc_interp_hann, lowpass_filter_width 6, rolloff 0.99). The kernel is torchaudio's, with the
 * taps that its Hann window sets to zero (|t| ≥ width) dropped, so each output sample costs about
 * 2·width·orig/base taps instead of 2·width + orig; the polyphase sum runs in wasm.
 *
 * torchaudio builds its kernel in the waveform's dtype. For a float32 waveform (every WAV the zoo
 * reads) each step of the kernel formula is rounded to float32, which moves taps by up to ~1e-4
 * and output samples by up to ~7e-4 against the exact (float64) kernel. `kernelDtype: 'float32'`
 * reproduces those steps one by one (the zoo loaders that mirror deepSTRF use it);
 * `'float64'` (the default here) is the exact kernel.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { waveformParts, type Waveform } from '../spectral/stft.js';

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** Zero crossings of the sinc on each side (default 6). */
  lowpassFilterWidth?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency (default 0.99). */
  rolloff?: number;
  /**
   * Arithmetic of the kernel: `'float64'` (default) the exact kernel; `'float32'` torchaudio's
   * kernel for a float32 waveform, every step rounded to float32 as torch computes it.
   */
  kernelDtype?: 'float32' | 'float64';
}

interface Polyphase { orig: number; up: number; width: number; nTaps: number; taps: number; starts: number }

const kernels = new WeakMap<WasmHeap, Map<string, Polyphase>>();

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * One tap of torchaudio's kernel for phase p and kernel index k, in float64, or rounded to float32
 * after every tensor operation as `_get_sinc_resample_kernel` does for a float32 waveform: idx =
 * (k − width)/orig, t = −p/up + idx, t·base, clamp, window cos(t·π/lpw/2)², t·π, sin(t)/t, and
 * kernel·(window·scale). Python scalars enter each float32 operation as float32.
 */
function kernelTap(p: number, k: number, c: { orig: number; up: number; width: number; base: number; lpw: number }, f32: boolean): number {
  const { orig, up, width, base, lpw } = c;
  if (!f32) {
    let t = (-p / up + (k - width) / orig) * base;
    t = Math.max(-lpw, Math.min(lpw, t));
    const win = Math.cos((t * Math.PI) / lpw / 2) ** 2;
    const x = t * Math.PI;
    return (x === 0 ? 1 : Math.sin(x) / x) * win * (base / orig);
  }
  const r = Math.fround;
  const pi = r(Math.PI);
  let t = r(r(-p / up) + r((k - width) / orig));
  t = r(t * r(base));
  t = Math.max(-lpw, Math.min(lpw, t));
  const c0 = r(Math.cos(r(r(r(t * pi) / lpw) / 2)));
  const win = r(c0 * c0);
  const x = r(t * pi);
  const sinc = x === 0 ? 1 : r(r(Math.sin(x)) / x);
  return r(sinc * r(win * r(base / orig)));
}

/** torchaudio's _get_sinc_resample_kernel, restricted to its non-zero taps, stored in the heap. */
function polyphase(origFs: number, newFs: number, lpw: number, rolloff: number, f32: boolean, heap: WasmHeap): Polyphase {
  const key = `${origFs}:${newFs}:${lpw}:${rolloff}:${f32 ? 'f32' : 'f64'}`;
  let cache = kernels.get(heap);
  if (!cache) kernels.set(heap, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const g = gcd(origFs, newFs);
  const orig = origFs / g, up = newFs / g;
  const base = Math.min(orig, up) * rolloff;
  const width = Math.ceil((lpw * orig) / base);
  const K = 2 * width + orig; // torchaudio's kernel length per phase
  // t(p, k) = (−p/up + (k − width)/orig)·base; the tap is non-zero only for |t| < lpw (outside,
  // the clamped window leaves < 1e-22 in float32 and < 1e-32 in float64: dropped).
  let nTaps = 1;
  const first = new Int32Array(up);
  for (let p = 0; p < up; p++) {
    // k range with |t| < lpw: k − width ∈ (orig·(p/up − lpw/base), orig·(p/up + lpw/base)).
    const lo = Math.max(0, Math.floor(width + orig * (p / up - lpw / base)));
    const hi = Math.min(K - 1, Math.ceil(width + orig * (p / up + lpw / base)));
    first[p] = lo;
    nTaps = Math.max(nTaps, hi - lo + 1);
  }
  nTaps = Math.min(nTaps, K);
  const taps = heap.allocStatic(4 * up * nTaps); // cached for the heap's life
  const starts = heap.allocStatic(4 * up);
  const tv = heap.f32(taps, up * nTaps);
  const sv = heap.i32(starts, up);
  const c = { orig, up, width, base, lpw };
  for (let p = 0; p < up; p++) {
    const s = Math.min(first[p], K - nTaps);
    sv[p] = s;
    for (let j = 0; j < nTaps; j++) tv[p * nTaps + j] = kernelTap(p, s + j, c, f32);
  }
  const result = { orig, up, width, nTaps, taps, starts };
  cache.set(key, result);
  return result;
}

/**
 * Output length of {@link resample}: ⌈newFs·T / origFs⌉ (after reducing both rates by their gcd).
 * @example
 * ```ts
 * resampledLength(244140, 48828, 48000); // 240000
 * ```
 */
export function resampledLength(T: number, origFs: number, newFs: number): number {
  const o = Math.trunc(origFs), n = Math.trunc(newFs);
  const g = gcd(o, n);
  return Math.ceil(((n / g) * T) / (o / g));
}

/**
 * Resamples the last axis from `origFs` to `newFs` Hz with torchaudio's windowed-sinc resampler.
 * Rates are truncated to integers as torchaudio does (`int(orig_freq)`), so 48 828.125 Hz
 * behaves as 48 828. Equal rates return the input unchanged. Output length ⌈newFs·T/origFs⌉.
 * @example
 * ```ts
 * const y = resample(wave, 48828, 48000); // Float32Array in, Float32Array out
 * const t = resample(wave, 48828, 48000, { kernelDtype: 'float32' }); // torchaudio on a float32 waveform
 * const z = resample(tensor('float32', [2, 44100], stereo), 44100, 16000); // (2, 16000)
 * ```
 */
export function resample<X extends Waveform>(x: X, origFs: number, newFs: number, options?: ResampleOptions): X;
export function resample(x: Waveform, origFs: number, newFs: number, options: ResampleOptions = {}): Waveform {
  if (!(origFs > 0) || !(newFs > 0)) throw new ValueError(`sample rates must be positive, got ${origFs} → ${newFs}`);
  const o = Math.trunc(origFs), n = Math.trunc(newFs);
  if (o < 1 || n < 1) throw new ValueError(`sample rates must be at least 1 Hz after truncation, got ${origFs} → ${newFs}`);
  const lpw = options.lowpassFilterWidth ?? 6;
  const rolloff = options.rolloff ?? 0.99;
  if (!(lpw > 0)) throw new ValueError(`lowpassFilterWidth must be positive, got ${lpw}`);
  if (!(rolloff > 0) || rolloff > 1) throw new ValueError(`rolloff must be in (0, 1], got ${rolloff}`);
  const kernelDtype = options.kernelDtype ?? 'float64';
  if (kernelDtype !== 'float32' && kernelDtype !== 'float64') throw new ValueError(`kernelDtype must be 'float32' or 'float64', got ${String(kernelDtype)}`);
  if (o === n) return x;
  const { lead, T, data } = waveformParts(x);
  const rows = lead.reduce((a, b) => a * b, 1);
  const heap = defaultHeap();
  const ph = polyphase(o, n, lpw, rolloff, kernelDtype === 'float32', heap);
  const outLen = resampledLength(T, o, n);
  const padded = ph.width + T + ph.width + ph.orig;
  const xBytes = (4 * padded + 15) & ~15;
  const base = heap.scratch(xBytes + 4 * outLen);
  const outPtr = base + xBytes;
  const out = new Float32Array(rows * outLen);
  for (let r = 0; r < rows; r++) {
    const xv = heap.f32(base, padded);
    xv.fill(0, 0, ph.width);
    xv.set(data.subarray(r * T, (r + 1) * T), ph.width);
    xv.fill(0, ph.width + T);
    heap.kernels.resamplePoly(base, outPtr, outLen, ph.orig, ph.up, ph.taps, ph.nTaps, ph.starts);
    out.set(heap.f32(outPtr, outLen), r * outLen);
  }
  if (x instanceof Float32Array) return out;
  return { dtype: 'float32', shape: [...lead, outLen], data: out } satisfies Tensor<'float32'>;
}
