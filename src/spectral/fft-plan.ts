/**
 * FFT plans in the wasm heap: one per (heap, size), built on first use and kept for the life of
 * the heap (stage table, twiddles, Bluestein chirp and its transform, work buffers for four frames).
 * The layout is `FftPlan` in assembly/layouts.ts. Twiddles are computed in float64 and
 * rounded once to float32, so the only float32 error is the butterflies'.
 * @module
 */
import { ValueError } from '../errors.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { FFT_PLAN, MIXED_STAGE, writeFftPlan, writeMixedStage } from '../memory/layouts.generated.js';

const plans = new WeakMap<WasmHeap, Map<number, number>>();
const windows = new WeakMap<WasmHeap, Map<string, number>>();

const nextPow2 = (n: number) => {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
};

/**
 * Radices whose product is m, or null when m has a prime factor above 13: the power of two as
 * radix-8 passes (then one radix-4, or two instead of an 8·2), then 3, 5, and the costlier
 * generic odd radices 7, 11, 13 last.
 */
function factorize(m: number): number[] | null {
  let e = 0;
  while (m % 2 === 0) { e++; m /= 2; }
  const out: number[] = [];
  const eights = e % 3 === 1 && e >= 4 ? (e - 4) / 3 : Math.floor(e / 3);
  for (let i = 0; i < eights; i++) out.push(8);
  const rest = e - 3 * eights; // 0, 1, 2 or 4
  if (rest === 4) out.push(4, 4);
  else if (rest === 2) out.push(4);
  else if (rest === 1) out.push(2);
  for (const r of [3, 5, 7, 11, 13]) while (m % r === 0) { out.push(r); m /= r; }
  return m === 1 ? out : null;
}

/**
 * Which algorithm a real DFT of size n uses: the half-size (n even) or full-size complex DFT is
 * a mixed-radix Stockham FFT when it factors into 2, 3, 5, 7, 11, 13, else Bluestein.
 * @example
 * ```ts
 * fftAlgorithm(480); // 'mixed-radix 4·4·3·5 (240-point complex)'
 * ```
 */
export function fftAlgorithm(n: number): string {
  const M = n % 2 === 0 ? n / 2 : n;
  const r = factorize(M);
  if (r) return `mixed-radix ${r.join('·') || '1'} (${M}-point complex)`;
  const L = nextPow2(2 * M - 1);
  return `Bluestein (${M}-point complex via ${L}-point FFTs, radices ${factorize(L)?.join('·')})`;
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
 * const plan = fftPlan(480); // packed real input, 240-point mixed-radix complex FFT
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
  const direct = factorize(M);
  const blue = direct === null;
  const L = blue ? nextPow2(2 * M - 1) : M;
  const radices = direct ?? (factorize(L) as number[]);
  // Stage i: radix r, stride s = r_0·…·r_{i−1}, m = L / (s·r); m·(r−1) twiddles, plus r cos / sin
  // values for the generic odd radices.
  const stages: Array<{ r: number; s: number; m: number; tw: number; dft: number }> = [];
  let twCount = 0;
  for (let i = 0, s = 1; i < radices.length; s *= radices[i], i++) {
    const r = radices[i], m = L / (s * r);
    stages.push({ r, s, m, tw: twCount, dft: r > 5 ? twCount + m * (r - 1) : 0 });
    twCount += m * (r - 1) + (r > 5 ? r : 0);
  }
  const f32 = (count: number) => heap.allocStatic(4 * Math.max(count, 4), 16); // cached for the heap's life
  const quad = (count: number) => heap.allocStatic(16 * Math.max(count, 1), 16); // one f32x4 per element
  // Allocate every block first (views are taken afterwards: growth detaches them).
  const plan = heap.allocStatic(FFT_PLAN.size, 16);
  const desc = heap.allocStatic(MIXED_STAGE.size * Math.max(stages.length, 1));
  const twRe = f32(twCount), twIm = f32(twCount);
  const chirpRe = blue ? f32(M) : 0, chirpIm = blue ? f32(M) : 0;
  const bRe = blue ? f32(L) : 0, bIm = blue ? f32(L) : 0;
  const postRe = packed ? f32(M + 1) : 0, postIm = packed ? f32(M + 1) : 0;
  const w1Re = quad(L), w1Im = quad(L), w2Re = quad(L), w2Im = quad(L);
  const specRe = packed ? quad(M + 1) : 0, specIm = packed ? quad(M + 1) : 0;
  const oddScratch = radices.some((r) => r > 5) ? heap.allocStatic(16 * 24, 16) : 0;

  writeFftPlan(new DataView(heap.buffer, plan, FFT_PLAN.size), 0, {
    n, m: M, l: L, packed: packed ? 1 : 0, bluestein: blue ? 1 : 0, stageCount: stages.length, stages: desc,
    twRe, twIm, chirpRe, chirpIm, bRe, bIm, postRe, postIm, w1Re, w1Im, w2Re, w2Im, specRe, specIm, oddScratch,
  });
  const d = new DataView(heap.buffer, desc, MIXED_STAGE.size * stages.length);
  const wr = heap.f32(twRe, twCount), wi = heap.f32(twIm, twCount);
  stages.forEach((st, i) => {
    writeMixedStage(d, MIXED_STAGE.size * i, st);
    const { r, m, tw } = st;
    // twiddles w^{p·k}, w = e^{−2πi/(r·m)}
    for (let p = 0; p < m; p++) {
      for (let k = 1; k < r; k++) {
        const a = (-2 * Math.PI * ((p * k) % (r * m))) / (r * m);
        wr[tw + p * (r - 1) + k - 1] = Math.cos(a);
        wi[tw + p * (r - 1) + k - 1] = Math.sin(a);
      }
    }
    for (let t = 0; t < (r > 5 ? r : 0); t++) {
      wr[st.dft + t] = Math.cos((2 * Math.PI * t) / r);
      wi[st.dft + t] = Math.sin((2 * Math.PI * t) / r);
    }
  });
  if (packed) {
    const pr = heap.f32(postRe, M + 1), pi = heap.f32(postIm, M + 1);
    for (let k = 0; k <= M; k++) {
      pr[k] = Math.cos((-2 * Math.PI * k) / n);
      pi[k] = Math.sin((-2 * Math.PI * k) / n);
    }
  }
  if (blue) {
    // chirp w[n] = e^{−iπ n²/M}; n² is reduced mod 2M exactly so the angle stays accurate.
    const cr = heap.f32(chirpRe, M), ci = heap.f32(chirpIm, M);
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
    // The inverse transform's 1/L is folded in here (exact: L is a power of two).
    heap.f32(bRe, L).set(br.map((v) => v / L));
    heap.f32(bIm, L).set(bi.map((v) => v / L));
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
