/**
 * Float64 complex FFT of any length (radix-2 for powers of two, Bluestein otherwise), for the
 * MNE-equivalent filtering and resampling (src/signal/mne.ts), where float64 matches NumPy.
 * @module
 */

/** Per-size tables: stage twiddles laid out contiguously (stage of length L at [L/2, L)), bit reversal. */
const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array; rev: Uint32Array }>();

function radix2Tables(n: number) {
  let t = twiddles.get(n);
  if (t) return t;
  const cos = new Float64Array(n), sin = new Float64Array(n);
  for (let half = 1; half < n; half <<= 1) {
    for (let k = 0; k < half; k++) { cos[half + k] = Math.cos((Math.PI * k) / half); sin[half + k] = Math.sin((Math.PI * k) / half); }
  }
  const rev = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r;
  }
  t = { cos, sin, rev };
  if (twiddles.size > 16) twiddles.clear();
  twiddles.set(n, t);
  return t;
}

function radix2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  if (n <= 1) return;
  const { cos, sin, rev } = radix2Tables(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (i < j) { let t = re[i]; re[i] = re[j]; re[j] = t; t = im[i]; im[i] = im[j]; im[j] = t; }
  }
  const sgn = inverse ? 1 : -1;
  for (let half = 1; half < n; half <<= 1) {
    const len = half << 1;
    for (let s = 0; s < n; s += len) {
      for (let k = 0; k < half; k++) {
        const wr = cos[half + k], wi = sgn * sin[half + k];
        const a = s + k, b = a + half;
        const xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
}

interface Chirp { m: number; wr: Float64Array; wi: Float64Array; br: Float64Array; bi: Float64Array }
const chirps = new Map<string, Chirp>();

/** Bluestein's chirp of length n and the FFT of its conjugate, zero-padded to m (cached). */
function chirp(n: number, inverse: boolean): Chirp {
  const key = `${n}:${inverse}`;
  let c = chirps.get(key);
  if (c) return c;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const sgn = inverse ? 1 : -1;
  const wr = new Float64Array(n), wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(a); wi[k] = sgn * Math.sin(a);
  }
  const br = new Float64Array(m), bi = new Float64Array(m);
  br[0] = wr[0]; bi[0] = -wi[0];
  for (let k = 1; k < n; k++) { br[k] = br[m - k] = wr[k]; bi[k] = bi[m - k] = -wi[k]; }
  radix2(br, bi, false);
  c = { m, wr, wi, br, bi };
  if (chirps.size > 8) chirps.clear();
  chirps.set(key, c);
  return c;
}

/**
 * In-place unnormalised DFT of (re, im): X[k] = Σ x[n]·e^{∓2πikn/N} (− forward, + inverse).
 * @example
 * ```ts
 * const re = Float64Array.of(1, 0, 0), im = new Float64Array(3);
 * fft64(re, im); // re = [1, 1, 1]
 * ```
 */
export function fft64(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if ((n & (n - 1)) === 0) { radix2(re, im, inverse); return; }
  // Bluestein: chirp w[k] = e^{∓iπk²/N}; X = w · ((x·w) ⊛ conj(w)).
  const { m, wr, wi, br, bi } = chirp(n, inverse);
  const ar = new Float64Array(m), ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k] * wr[k] - im[k] * wi[k];
    ai[k] = re[k] * wi[k] + im[k] * wr[k];
  }
  radix2(ar, ai, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  radix2(ar, ai, true);
  for (let k = 0; k < n; k++) {
    const r = ar[k] / m, i = ai[k] / m;
    re[k] = r * wr[k] - i * wi[k];
    im[k] = r * wi[k] + i * wr[k];
  }
}
