/**
 * The benchmark's CPU-bound per-item transform: waveform (1, T · hop) → log band energies
 * (1, F, T), a self-contained STFT-magnitude front end (the spectral module's melSpectrogram
 * was not in main when this was written). Causal framing: frame t is the n_fft samples ending
 * at the end of hop t (zero-padded on the left), so there is exactly one frame per response
 * bin. Hann window, n_fft 512, radix-2 FFT, power summed by triangular filters at F
 * log-spaced centres (100 Hz … 0.4 · fs, the centres SyntheticDataset synthesises at),
 * then log(1e-6 + energy).
 */
import type { ItemTransform } from '../src/index.js';

const N_FFT = 512;

interface Plan { cos: Float64Array; sin: Float64Array; rev: Uint32Array; window: Float64Array; bank: Float64Array[]; lo: Int32Array }
const plans = new Map<string, Plan>();

function plan(F: number, fs: number): Plan {
  const key = `${F}:${fs}`;
  let p = plans.get(key);
  if (p) return p;
  const n = N_FFT, bins = n / 2 + 1;
  const cos = new Float64Array(n / 2), sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const bitsN = Math.log2(n);
  const rev = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bitsN; b++) r |= ((i >> b) & 1) << (bitsN - 1 - b);
    rev[i] = r;
  }
  const window = new Float64Array(n);
  for (let i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  const fLo = 100, fHi = 0.4 * fs;
  const centre = (f: number) => (F > 1 ? fLo * (fHi / fLo) ** (f / (F - 1)) : fLo);
  const hz = (k: number) => (k * fs) / n;
  const bank: Float64Array[] = [];
  const lo = new Int32Array(F);
  for (let f = 0; f < F; f++) {
    const c = centre(f), l = f > 0 ? centre(f - 1) : c / 2, h = f < F - 1 ? centre(f + 1) : Math.min(fs / 2, c * 1.5);
    const w = new Float64Array(bins);
    for (let k = 0; k < bins; k++) {
      const x = hz(k);
      w[k] = x <= l || x >= h ? 0 : x <= c ? (x - l) / (c - l) : (h - x) / (h - c);
    }
    bank.push(w);
    lo[f] = 0;
  }
  p = { cos, sin, rev, window, bank, lo };
  plans.set(key, p);
  return p;
}

/** In-place iterative radix-2 FFT of (re, im), length N_FFT. */
function fft(re: Float64Array, im: Float64Array, p: Plan): void {
  const n = N_FFT;
  for (let i = 0; i < n; i++) {
    const j = p.rev[i];
    if (j > i) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1, step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = p.cos[k * step], wi = p.sin[k * step];
        const a = start + k, b = a + half;
        const xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
}

export const transform: ItemTransform = (item, ctx) => {
  const { audioFs, hop, F } = ctx.dataset;
  if (audioFs === null || hop === null || F === null) throw new TypeError('loader-transform needs a waveform-mode audio dataset (audioFs, hop, F)');
  const wave = item.stims.data as Float32Array;
  const T = Math.floor(wave.length / hop);
  const p = plan(F, audioFs);
  const out = new Float32Array(F * T);
  const re = new Float64Array(N_FFT), im = new Float64Array(N_FFT), power = new Float64Array(N_FFT / 2 + 1);
  for (let t = 0; t < T; t++) {
    const end = (t + 1) * hop, start = end - N_FFT;
    for (let i = 0; i < N_FFT; i++) {
      const k = start + i;
      re[i] = k >= 0 ? wave[k] * p.window[i] : 0;
      im[i] = 0;
    }
    fft(re, im, p);
    for (let k = 0; k <= N_FFT / 2; k++) power[k] = re[k] * re[k] + im[k] * im[k];
    for (let f = 0; f < F; f++) {
      const w = p.bank[f];
      let e = 0;
      for (let k = 0; k <= N_FFT / 2; k++) e += w[k] * power[k];
      out[f * T + t] = Math.log(1e-6 + e);
    }
  }
  return { ...item, stims: { dtype: 'float32', shape: [1, F, T], data: out } };
};
