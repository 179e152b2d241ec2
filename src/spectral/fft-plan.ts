/**
 * FFT plans in the wasm heap: one per (heap, size), built on first use and kept for the life of
 * the heap (twiddles, bit-reversal table, Bluestein chirp and its transform, work buffers).
 * The layout is `FftPlan` in assembly/layouts.ts. Twiddles are computed in float64 and
 * rounded once to float32, so the only float32 error is the butterflies'.
 * @module
 */
import { ValueError } from '../errors.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { FFT_PLAN, MIXED_STAGE, writeFftPlan, writeMixedStage } from '../memory/layouts.generated.js';

const plans = new WeakMap<WasmHeap, Map<number, number>>();
const windows = new WeakMap<WasmHeap, Map<string, number>>();

const isPow2 = (n: number) => n > 0 && (n & (n - 1)) === 0;
const nextPow2 = (n: number) => {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
};

/**
 * Radices 4, 2, 3, 5, 7, 11, 13 whose product is m (fours first: every later stage then has a
 * stride that is a multiple of four, which the SIMD loop wants; the costlier generic odd radices
 * last, where strides are widest), or null when m has another prime factor.
 */
function factorize(m: number): number[] | null {
  const out: number[] = [];
  while (m % 4 === 0) { out.push(4); m /= 4; }
  for (const r of [2, 3, 5, 7, 11, 13]) while (m % r === 0) { out.push(r); m /= r; }
  return m === 1 ? out : null;
}

/**
 * Which algorithm a real DFT of size n uses: the half-size (n even) or full-size complex DFT is
 * radix-2 for powers of two, mixed radix when it factors into 2, 3, 5, else Bluestein.
 * @example
 * ```ts
 * fftAlgorithm(480); // 'mixed-radix 4·4·3·5'
 * ```
 */
export function fftAlgorithm(n: number): string {
  const M = n % 2 === 0 ? n / 2 : n;
  if (isPow2(M)) return `radix-2 (${M}-point complex)`;
  const r = factorize(M);
  return r ? `mixed-radix ${r.join('·')} (${M}-point complex)` : `Bluestein (${M}-point complex via ${nextPow2(2 * M - 1)}-point FFTs)`;
}

/** In-place float64 radix-2 FFT used only to transform the Bluestein chirp at plan time. */
function fft64(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let s = 0; s < n; s += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k), wi = Math.sin(ang * k);
        const a = s + k, b = a + len / 2;
        const xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
}

/**
 * The plan for real DFTs of size `n` in `heap` (cached). Returns its byte address.
 * @example
 * ```ts
 * const plan = fftPlan(480); // Bluestein over a 512-point FFT, packed real input
 * ```
 */
export function fftPlan(n: number, heap: WasmHeap = defaultHeap()): number {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`nFft must be a positive integer, got ${n}`);
  let cache = plans.get(heap);
  if (!cache) plans.set(heap, (cache = new Map()));
  const hit = cache.get(n);
  if (hit !== undefined) return hit;

  const packed = n % 2 === 0;
  const M = packed ? n / 2 : n;
  const radices = isPow2(M) ? null : factorize(M);
  const mixed = radices !== null;
  const blue = !isPow2(M) && !mixed;
  const L = blue ? nextPow2(2 * M - 1) : M;
  const log2L = Math.round(Math.log2(L));
  const f32 = (count: number) => heap.allocStatic(4 * Math.max(count, 4), 16); // cached for the heap's life
  // Allocate every block first (views are taken afterwards: growth detaches them).
  const plan = heap.allocStatic(FFT_PLAN.size, 16);
  const rev = f32(L), twRe = f32(L), twIm = f32(L);
  const chRe = blue ? f32(L) : 0, chIm = blue ? f32(L) : 0; // read four at a time past M
  const bRe = blue ? f32(L) : 0, bIm = blue ? f32(L) : 0;
  const postRe = f32(M + 1), postIm = f32(M + 1);
  const w1Re = f32(L), w1Im = f32(L);
  const w2Re = blue || mixed ? f32(L) : 0, w2Im = blue || mixed ? f32(L) : 0;
  const stagesCount = radices?.length ?? 0;
  const desc = mixed ? heap.allocStatic(MIXED_STAGE.size * stagesCount) : 0;
  // per stage: m·(r−1) twiddles, plus r cos / sin values for the generic odd radices
  const mixedTw = mixed
    ? radices.reduce((acc, r, i) => acc + (M / radices.slice(0, i + 1).reduce((a, b) => a * b, 1)) * (r - 1) + (r > 5 ? r : 0), 0)
    : 0;
  const oddScratch = mixed && radices.some((r) => r > 5) ? heap.allocStatic(16 * 24, 16) : 0;
  const mtwRe = mixed ? f32(mixedTw) : 0, mtwIm = mixed ? f32(mixedTw) : 0;
  const specRe = f32(n), specIm = f32(n);
  const xw = f32(n);
  const aRe = blue ? f32(L) : 0, aIm = blue ? f32(L) : 0; // fresh heap memory is zero

  writeFftPlan(new DataView(heap.buffer, plan, FFT_PLAN.size), 0, {
    n, m: M, l: L, packed: packed ? 1 : 0, bluestein: blue ? 1 : 0, rev, twRe, twIm, chirpRe: chRe, chirpIm: chIm, bRe, bIm,
    postRe, postIm, w1Re, w1Im, w2Re, w2Im, specRe, specIm, xw, aRe, aIm,
    mixed: mixed ? 1 : 0, stageCount: stagesCount, stages: desc, mixedTwRe: mtwRe, mixedTwIm: mtwIm, oddScratch,
  });
  const r = heap.u32(rev, L);
  for (let i = 0; i < L; i++) {
    let x = i, y = 0;
    for (let b = 0; b < log2L; b++) { y = (y << 1) | (x & 1); x >>= 1; }
    r[i] = y;
  }
  const tr = heap.f32(twRe, L), ti = heap.f32(twIm, L);
  for (let h = 1; h < L; h <<= 1) {
    for (let j = 0; j < h; j++) {
      tr[h - 1 + j] = Math.cos((Math.PI * j) / h);
      ti[h - 1 + j] = -Math.sin((Math.PI * j) / h);
    }
  }
  const pr = heap.f32(postRe, M + 1), pi = heap.f32(postIm, M + 1);
  for (let k = 0; k <= M; k++) {
    pr[k] = Math.cos((-2 * Math.PI * k) / n);
    pi[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  if (mixed) {
    // Stage i: radix r, stride s = r_0·…·r_{i−1}, m = M / (s·r); twiddles w^{p·k}, w = e^{−2πi/(r·m)}.
    const d = new DataView(heap.buffer, desc, MIXED_STAGE.size * stagesCount);
    const wr = heap.f32(mtwRe, mixedTw), wi = heap.f32(mtwIm, mixedTw);
    let s = 1, off = 0;
    radices.forEach((r, i) => {
      const m = M / (s * r);
      const dft = r > 5 ? off + m * (r - 1) : 0; // the r cos / sin values follow the twiddles
      writeMixedStage(d, MIXED_STAGE.size * i, { r, s, m, tw: off, dft });
      for (let p = 0; p < m; p++) {
        for (let k = 1; k < r; k++) {
          const a = (-2 * Math.PI * ((p * k) % (r * m))) / (r * m);
          wr[off + p * (r - 1) + k - 1] = Math.cos(a);
          wi[off + p * (r - 1) + k - 1] = Math.sin(a);
        }
      }
      off += m * (r - 1);
      if (r > 5) {
        for (let t = 0; t < r; t++) { wr[off + t] = Math.cos((2 * Math.PI * t) / r); wi[off + t] = Math.sin((2 * Math.PI * t) / r); }
        off += r;
      }
      s *= r;
    });
  }
  if (blue) {
    // chirp w[n] = e^{−iπ n²/M}; n² is reduced mod 2M exactly so the angle stays accurate.
    const cr = heap.f32(chRe, M), ci = heap.f32(chIm, M);
    const br = new Float64Array(L), bi = new Float64Array(L);
    for (let k = 0; k < M; k++) {
      const q = Number((BigInt(k) * BigInt(k)) % BigInt(2 * M));
      const a = (Math.PI * q) / M;
      cr[k] = Math.cos(a);
      ci[k] = -Math.sin(a);
      br[k] = Math.cos(a);
      bi[k] = Math.sin(a); // conj(w[k])
      if (k > 0) { br[L - k] = br[k]; bi[L - k] = bi[k]; }
    }
    fft64(br, bi);
    heap.f32(bRe, L).set(br);
    heap.f32(bIm, L).set(bi);
  }
  cache.set(n, plan);
  return plan;
}

/**
 * A window copied into the heap once (cached by `key`), returns its address.
 * @example
 * ```ts
 * const w = heapWindow('hann-periodic-512-512', hann(512, true));
 * ```
 */
export function heapWindow(key: string, values: Float32Array, heap: WasmHeap = defaultHeap()): number {
  let cache = windows.get(heap);
  if (!cache) windows.set(heap, (cache = new Map()));
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const ptr = heap.allocStatic(4 * Math.max(values.length, 4), 16);
  heap.f32(ptr, values.length).set(values);
  cache.set(key, ptr);
  return ptr;
}
