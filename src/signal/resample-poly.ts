/**
 * SciPy's `scipy.signal.resample_poly(x, up, down)` with its defaults (window `('kaiser', 5.0)`,
 * zero padding): the rates reduced by their gcd, a `firwin(20·max(up, down) + 1, 1 / max(up,
 * down))` low-pass (symmetric Kaiser window, unit DC gain) scaled by `up`, zero-padded in front
 * so output samples sit at the filter centre, then `upfirdn` (zero-stuff by `up`, convolve, keep
 * every `down`-th sample); `ceil(n · up / down)` samples out. Used by the CRCNS-AA5 mic check
 * (src/zoo/aa5-mic.ts). Float64 throughout.
 * @module
 */
import { ValueError } from '../errors.js';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Modified Bessel function I0 by its power series (converges fast for the Kaiser β used here). */
function besselI0(x: number): number {
  let sum = 1, term = 1;
  for (let k = 1; k < 200; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/**
 * `scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta))` (cutoff relative to Nyquist,
 * low-pass, scaled to unit gain at DC).
 * @example
 * ```ts
 * firwinKaiser(641, 1 / 32, 5).length; // 641
 * ```
 */
export function firwinKaiser(numtaps: number, cutoff: number, beta: number): Float64Array {
  const alpha = 0.5 * (numtaps - 1);
  const h = new Float64Array(numtaps);
  const i0b = besselI0(beta);
  let s = 0;
  for (let n = 0; n < numtaps; n++) {
    const m = n - alpha;
    const r = alpha === 0 ? 0 : m / alpha;
    h[n] = cutoff * sinc(cutoff * m) * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b);
    s += h[n];
  }
  for (let n = 0; n < numtaps; n++) h[n] /= s;
  return h;
}

const plans = new Map<string, { phases: Float64Array[]; nPreRemove: number }>();

/**
 * The filter of `resample_poly(·, up, down)` (reduced rates) split by phase — `phases[p][q] =
 * h[p + q·up]`, h = [zeros(nPrePad), taps·up] (trailing zero padding never changes the kept
 * outputs) — and the outputs dropped in front; cached per rate pair.
 */
function polyphase(up: number, down: number): { phases: Float64Array[]; nPreRemove: number } {
  const key = `${up}/${down}`;
  let plan = plans.get(key);
  if (plan) return plan;
  const maxRate = Math.max(up, down);
  const halfLen = 10 * maxRate;
  const taps = firwinKaiser(2 * halfLen + 1, 1 / maxRate, 5.0);
  const nPrePad = down - (halfLen % down);
  const h = new Float64Array(nPrePad + taps.length);
  for (let k = 0; k < taps.length; k++) h[nPrePad + k] = taps[k] * up;
  const phases = Array.from({ length: up }, (_, p) => Float64Array.from({ length: Math.ceil((h.length - p) / up) }, (_, q) => h[p + q * up]));
  plan = { phases, nPreRemove: Math.floor((halfLen + nPrePad) / down) };
  if (plans.size > 16) plans.clear();
  plans.set(key, plan);
  return plan;
}

/**
 * Resamples `x` by `up / down` as `scipy.signal.resample_poly(x, up, down)` does.
 * @throws ValueError unless `up` and `down` are positive integers
 * @example
 * ```ts
 * resamplePoly(stim32k, 25, 32).length; // ceil(n · 25 / 32)
 * ```
 */
export function resamplePoly(x: Float64Array, up: number, down: number): Float64Array {
  if (!(Number.isInteger(up) && Number.isInteger(down) && up > 0 && down > 0)) throw new ValueError(`resamplePoly: up and down must be positive integers, got ${up}, ${down}`);
  const g = gcd(up, down);
  up /= g;
  down /= g;
  if (up === 1 && down === 1) return x.slice();
  const nIn = x.length;
  const nOut = Math.ceil((nIn * up) / down);
  const { phases, nPreRemove } = polyphase(up, down);
  // upfirdn: y[j] = Σ_k h[k] · xu[j·down − k], xu[m] = x[m / up] when up divides m: with m0 = j·down,
  // k = m0 mod up + q·up meets x[⌊m0 / up⌋ − q], summed in increasing k as upfirdn does.
  const y = new Float64Array(nOut);
  for (let o = 0; o < nOut; o++) {
    const m0 = (o + nPreRemove) * down;
    const p = m0 % up;
    const i0 = (m0 - p) / up;
    const ph = phases[p];
    let acc = 0;
    for (let q = Math.max(0, i0 - nIn + 1), qEnd = Math.min(ph.length, i0 + 1); q < qEnd; q++) acc += ph[q] * x[i0 - q];
    y[o] = acc;
  }
  return y;
}
