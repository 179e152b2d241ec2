/**
 * Plain-TypeScript references of the spectral kernels in assembly/fft.ts, same signatures and
 * memory layout (byte addresses into `mem`). They compute the DFT directly in float64
 * (O(N²) per frame), so they share no algorithm with the wasm FFT: property tests compare the
 * two within float32 rounding.
 * @module
 */
import { FFT_PLAN, FILTER_BAND, readFftPlan, readFilterBand } from '../memory/layouts.generated.js';

/** The float64 DFT of `x` (length N): bins 0 … count−1, angles reduced exactly (k·n mod N). */
export function dft64(x: ArrayLike<number>, count = x.length): { re: Float64Array; im: Float64Array } {
  const N = x.length;
  const re = new Float64Array(count), im = new Float64Array(count);
  const c = new Float64Array(N), s = new Float64Array(N);
  for (let j = 0; j < N; j++) { c[j] = Math.cos((2 * Math.PI * j) / N); s[j] = -Math.sin((2 * Math.PI * j) / N); }
  for (let k = 0; k < count; k++) {
    let r = 0, i = 0;
    for (let n = 0, j = 0; n < N; n++, j = (j + k) % N) { r += x[n] * c[j]; i += x[n] * s[j]; }
    re[k] = r; im[k] = i;
  }
  return { re, im };
}

function frame64(mem: ArrayBufferLike, x: number, window: number, N: number, start: number): Float64Array {
  const xs = new Float32Array(mem, x + 4 * start, N);
  const w = new Float32Array(mem, window, N);
  const f = new Float64Array(N);
  for (let n = 0; n < N; n++) f[n] = xs[n] * w[n];
  return f;
}

/** Reference of `stftFrames` (reads N from the plan: FftPlan in assembly/layouts.ts). */
export function stftFramesRef(
  mem: ArrayBufferLike, plan: number, x: number, frames: number, hop: number, window: number, onesided: number,
  mode: number, out: number, binStride: number, frameStride: number,
): void {
  const N = readFftPlan(new DataView(mem, plan, FFT_PLAN.size), 0).n;
  const bins = onesided ? (N >> 1) + 1 : N;
  const o = new Float32Array(mem, out);
  for (let t = 0; t < frames; t++) {
    const { re, im } = dft64(frame64(mem, x, window, N, t * hop), bins);
    for (let k = 0; k < bins; k++) {
      const p = k * binStride + t * frameStride;
      if (mode === 0) { o[p] = re[k]; o[p + 1] = im[k]; }
      else if (mode === 1) o[p] = Math.hypot(re[k], im[k]);
      else o[p] = re[k] * re[k] + im[k] * im[k];
    }
  }
}

/** Reference of `filterbankFrames` (a FilterBand table, assembly/layouts.ts). */
export function filterbankFramesRef(
  mem: ArrayBufferLike, plan: number, x: number, frames: number, hop: number, window: number, power: number,
  fb: number, weights: number, bands: number, out: number, bandStride: number, frameStride: number,
): void {
  const N = readFftPlan(new DataView(mem, plan, FFT_PLAN.size), 0).n;
  const bins = (N >> 1) + 1;
  const table = new DataView(mem, fb, FILTER_BAND.size * bands);
  const w = new Float32Array(mem, weights);
  const o = new Float32Array(mem, out);
  for (let t = 0; t < frames; t++) {
    const { re, im } = dft64(frame64(mem, x, window, N, t * hop), bins);
    for (let m = 0; m < bands; m++) {
      const { start, count, weight: off } = readFilterBand(table, m * FILTER_BAND.size);
      let acc = 0;
      for (let j = 0; j < count; j++) {
        const k = start + j;
        const mag2 = re[k] * re[k] + im[k] * im[k];
        acc += w[off + j] * (power === 1 ? Math.sqrt(mag2) : mag2);
      }
      o[m * bandStride + t * frameStride] = acc;
    }
  }
}

/** Reference of `resamplePoly`. */
export function resamplePolyRef(
  mem: ArrayBufferLike, x: number, out: number, outLen: number, orig: number, up: number, taps: number, nTaps: number,
  starts: number,
): void {
  const xs = new Float32Array(mem, x);
  const tv = new Float32Array(mem, taps, up * nTaps);
  const sv = new Int32Array(mem, starts, up);
  const o = new Float32Array(mem, out, outLen);
  for (let i = 0; i < outLen; i++) {
    const b = Math.floor(i / up), p = i % up;
    let acc = 0;
    for (let j = 0; j < nTaps; j++) acc += tv[p * nTaps + j] * xs[b * orig + sv[p] + j];
    o[i] = acc;
  }
}
