/**
 * The per-cell engine behind signal/noise power, CCmax and TTRC (docs/metrics.md).
 *
 * A cell is one (stimulus, neuron) response block of R repeats × T bins. Its valid sub-block is
 * the repeats with ≥ 1 valid bin × the bins valid in ≥ 1 repeat (values taken as they are, so a
 * NaN inside the sub-block propagates, as in the reference). Every statistic these metrics need
 * is a function of the Gram matrix of the time-centred repeats, G_ij = Σ_t ỹ_i(t) ỹ_j(t):
 *
 * - var_t(y_r) = G_rr / (T_v − 1); var_t(ψ) = Σ_ij G_ij / (R_v² (T_v − 1)) for the PSTH ψ;
 * - Pearson(y_i, y_j) = G_ij / sqrt(G_ii G_jj);
 * - for a split half A | B of the repeats with sums a = Σ_A ỹ, s = Σ_all ỹ, b = s − a:
 *   a·a = Σ_{A×A} G, a·b = Σ_A rowsum(G) − a·a, b·b = s·s − 2 a·s + a·a;
 *   walking the subsets in lexicographic order with prefix sums, most of the up to 126 pairs
 *   cost O(1) instead of O(R·T) on the data.
 *
 * The Gram matrix costs R_v(R_v+1)/2 · T_v multiply-adds per cell, once. Dense float32 cells go
 * through the wasm kernels `cellGram` and `splitHalfRho` (assembly/metrics.ts); other cells
 * (NaN, float64, a user mask) take the TypeScript path, which sums in the same order, so both
 * paths give identical numbers.
 * @module
 */
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { METRIC_EPS } from './correlation.js';

/** Reusable buffers for one cell at a time (no allocation per cell once warmed up). */
export class CellWorkspace {
  /** Valid repeats of the current cell. */
  rv = 0;
  /** Valid bins of the current cell. */
  tv = 0;
  /** Centred sub-block, `rv × tv` row-major. */
  y = new Float64Array(0);
  /** Gram matrix of the centred rows, `rv × rv` (full, symmetric); a view into wasm memory after a dense float32 load. */
  gram: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private jsGram = new Float64Array(0);
  /** Byte address of `gram` in wasm memory, or −1 when it lives in `jsGram`. */
  private gramPtr = -1;
  private workPtr = 0;
  private heap: WasmHeap | null = null;
  private rowAny = new Uint8Array(0);
  private colAny = new Uint8Array(0);
  private cols = new Int32Array(0);

  /**
   * Loads the cell at `data[base + r*T + t]` (r < R, t < T). Validity is `valid[validBase + r*T + t]`
   * when a mask is given, else not-NaN. Computes the centred sub-block and its Gram matrix.
   */
  load(data: ArrayLike<number>, base: number, R: number, T: number, valid: Uint8Array | null = null, validBase = 0): void {
    if (this.rowAny.length < R) this.rowAny = new Uint8Array(R);
    if (this.colAny.length < T) {
      this.colAny = new Uint8Array(T);
      this.cols = new Int32Array(T);
    }
    if (valid === null && R > 0 && T > 0 && this.loadDense(data, base, R, T)) return;
    const rowAny = this.rowAny;
    const colAny = this.colAny;
    rowAny.fill(0, 0, R);
    colAny.fill(0, 0, T);
    for (let r = 0; r < R; r++) {
      const o = r * T;
      let any = 0;
      if (valid === null) {
        for (let t = 0; t < T; t++) {
          const v = data[base + o + t];
          if (v === v) {
            any = 1;
            colAny[t] = 1;
          }
        }
      } else {
        for (let t = 0; t < T; t++) {
          if (valid[validBase + o + t]) {
            any = 1;
            colAny[t] = 1;
          }
        }
      }
      rowAny[r] = any;
    }
    let tv = 0;
    const cols = this.cols;
    for (let t = 0; t < T; t++) if (colAny[t]) cols[tv++] = t;
    let rv = 0;
    for (let r = 0; r < R; r++) rv += rowAny[r];
    this.rv = rv;
    this.tv = tv;
    if (this.y.length < rv * tv) this.y = new Float64Array(rv * tv);
    this.useJsGram(rv);
    if (rv === 0 || tv === 0) return;
    const y = this.y;
    let i = 0;
    for (let r = 0; r < R; r++) {
      if (!rowAny[r]) continue;
      const o = base + r * T;
      const yo = i * tv;
      let s = 0;
      if (tv === T) {
        for (let t = 0; t < T; t++) {
          const v = data[o + t];
          y[yo + t] = v;
          s += v;
        }
      } else {
        for (let c = 0; c < tv; c++) {
          const v = data[o + cols[c]];
          y[yo + c] = v;
          s += v;
        }
      }
      const mean = s / tv;
      for (let c = 0; c < tv; c++) y[yo + c] -= mean;
      i++;
    }
    gramInto(y, rv, tv, this.gram);
  }

  /**
   * The common case, every value valid (the sub-block is the whole cell). Copies and sums each
   * row; a NaN (or ±∞ pair) makes a row sum NaN, and then it returns false for the general path.
   */
  private loadDense(data: ArrayLike<number>, base: number, R: number, T: number): boolean {
    if (data instanceof Float32Array) {
      const heap = kernelHeap();
      if (heap !== null) return this.loadDenseWasm(heap, data, base, R, T);
    }
    this.useJsGram(R);
    if (this.y.length < R * T) this.y = new Float64Array(R * T);
    const y = this.y;
    for (let r = 0; r < R; r++) {
      const o = r * T;
      let s = 0;
      for (let t = 0; t < T; t++) {
        const v = data[base + o + t];
        y[o + t] = v;
        s += v;
      }
      if (s !== s) return false;
      const mean = s / T;
      for (let t = 0; t < T; t++) y[o + t] -= mean;
    }
    this.rv = R;
    this.tv = T;
    gramInto(y, R, T, this.gram);
    return true;
  }

  private useJsGram(rows: number): void {
    if (this.jsGram.length < rows * rows) this.jsGram = new Float64Array(rows * rows);
    this.gram = this.jsGram;
    this.gramPtr = -1;
  }

  private wasmBuffer: ArrayBufferLike | null = null;
  private wasmBase = -1;
  private wasmSrc: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private wasmGram: Float64Array<ArrayBufferLike> = new Float64Array(0);

  /** Dense float32 cell through the `cellGram` wasm kernel (same numbers as the TS path). */
  private loadDenseWasm(heap: WasmHeap, data: Float32Array, base: number, R: number, T: number): boolean {
    const n = R * T;
    const yOff = (n * 4 + 15) & ~15;
    const gOff = yOff + ((n * 8 + 15) & ~15);
    const wOff = gOff + ((R * R * 8 + 15) & ~15);
    // Work of splitHalfRho: rc + 2 (k + 1) + k · rc float64 values, rc ≤ R.
    const ptr = heap.scratch(wOff + 8 * (2 * R + 2 + R * R));
    // Views over the scratch block, re-taken only when it moved or the memory grew.
    if (this.wasmBuffer !== heap.buffer || this.wasmBase !== ptr || this.wasmSrc.length !== n || this.wasmGram.length !== R * R) {
      this.wasmBuffer = heap.buffer;
      this.wasmBase = ptr;
      this.wasmSrc = new Float32Array(heap.buffer, ptr, n);
      this.wasmGram = new Float64Array(heap.buffer, ptr + gOff, R * R);
    }
    this.wasmSrc.set(data.subarray(base, base + n));
    if (!heap.kernels.cellGram(ptr, R, T, ptr + yOff, ptr + gOff)) return false;
    this.gram = this.wasmGram;
    this.gramPtr = ptr + gOff;
    this.workPtr = ptr + wOff;
    this.heap = heap;
    this.rv = R;
    this.tv = T;
    return true;
  }

  /**
   * Sahani–Linden powers of the loaded cell (docs/metrics.md); call only when rv ≥ 2 and tv ≥ 2.
   * Writes `[SP, NP]` into `out`.
   */
  powers(out: Float64Array): void {
    const { rv, tv, gram } = this;
    let diag = 0;
    let all = 0;
    for (let i = 0; i < rv; i++) {
      diag += gram[i * rv + i];
      for (let j = 0; j < rv; j++) all += gram[i * rv + j];
    }
    const tp = diag / rv / (tv - 1);
    const varPsth = all / (rv * rv) / (tv - 1);
    const sp = (rv * varPsth - tp) / (rv - 1);
    out[0] = sp;
    out[1] = tp - sp;
  }

  /**
   * Mean split-half correlation ρ_half of the loaded cell (docs/metrics.md); call only
   * when rv ≥ 2 and tv ≥ 2. NaN when a pair's halves have (near-)zero variance or data hold NaN.
   */
  splitHalfRho(maxIters: number): number {
    const rv = this.rv;
    const rc = rv % 2 === 0 ? rv : rv - 1;
    const g = this.gram;
    const table = splitHalfTable(rc, maxIters);
    if (this.gramPtr >= 0 && this.heap !== null) {
      const heap = this.heap;
      const w = wasmTable(heap, table, rc, maxIters);
      // A first-time table allocation may grow (and so detach) the memory: re-take the view.
      if (this.wasmBuffer !== heap.buffer) {
        this.wasmBuffer = heap.buffer;
        this.wasmSrc = new Float32Array(heap.buffer, this.wasmBase, this.wasmSrc.length);
        this.wasmGram = new Float64Array(heap.buffer, this.gramPtr, this.wasmGram.length);
        this.gram = this.wasmGram;
      }
      return heap.kernels.splitHalfRho(this.gramPtr, rv, rc, table.pairs, w.subsets, w.changeFrom, this.workPtr);
    }
    const k = rc / 2;
    const ws = pairWorkspace(rc, k);
    const rs = ws.rowSum;
    let ss = 0;
    for (let i = 0; i < rc; i++) {
      let s = 0;
      const o = i * rv;
      for (let j = 0; j < rc; j++) s += g[o + j];
      rs[i] = s;
      ss += s;
    }
    const { subsets, changeFrom } = table;
    const { prefAA, prefAS, cross } = ws;
    const k2 = k * k;
    let acc = 0;
    // Consecutive subsets in lexicographic order share a prefix: keep a·a, a·s of each prefix and
    // cross[u][j] = Σ_{v<u} G[c_v][j], and recompute only from the first changed position (most
    // steps change the last element only, which then costs O(1)).
    for (let p = 0; p < table.pairs; p++) {
      const o = p * k;
      for (let u = changeFrom[p]; u < k; u++) {
        const c = subsets[o + u];
        const cu = u * rc;
        prefAA[u + 1] = prefAA[u] + g[c * rv + c] + 2 * cross[cu + c];
        prefAS[u + 1] = prefAS[u] + rs[c];
        if (u + 1 < k) {
          const cn = cu + rc;
          const gc = c * rv;
          for (let j = 0; j < rc; j++) cross[cn + j] = cross[cu + j] + g[gc + j];
        }
      }
      const aa = prefAA[k];
      const as = prefAS[k];
      const ab = as - aa;
      let bb = ss - 2 * as + aa;
      if (bb < 0) bb = 0; // rounding on a (near-)constant half; the floor below makes it NaN
      const den = Math.sqrt(aa * bb);
      // Pearson of the half MEANS: the sums are k times the means, so its denominator is den / k².
      acc += den / k2 < METRIC_EPS ? NaN : ab / den;
    }
    return acc / table.pairs;
  }

  /** Mean Pearson correlation over all pairs i < j of valid repeats (TTRC); call when rv ≥ 2, tv ≥ 2. */
  meanPairCorrelation(): number {
    const { rv, gram } = this;
    let acc = 0;
    let n = 0;
    for (let i = 0; i < rv; i++) {
      for (let j = i + 1; j < rv; j++) {
        const den = Math.sqrt(gram[i * rv + i] * gram[j * rv + j]);
        acc += den < METRIC_EPS ? NaN : gram[i * rv + j] / den;
        n++;
      }
    }
    return acc / n;
  }
}

interface PairWorkspace {
  rowSum: Float64Array;
  prefAA: Float64Array;
  prefAS: Float64Array;
  cross: Float64Array;
}
let pairWs: PairWorkspace = { rowSum: new Float64Array(0), prefAA: new Float64Array(0), prefAS: new Float64Array(0), cross: new Float64Array(0) };
/** Shared scratch of `splitHalfRho` (prefix sums; `cross` is (k × rc), row 0 stays zero). */
function pairWorkspace(rc: number, k: number): PairWorkspace {
  if (pairWs.rowSum.length < rc || pairWs.cross.length < k * rc) {
    pairWs = {
      rowSum: new Float64Array(rc),
      prefAA: new Float64Array(k + 1),
      prefAS: new Float64Array(k + 1),
      cross: new Float64Array(k * rc),
    };
  }
  pairWs.cross.fill(0, 0, rc);
  return pairWs;
}

/**
 * Gram matrix of the rows of `y` (`rows × len`), written in full into `g` (`rows × rows`).
 * Each entry is summed in the wasm kernel's order (even-t and odd-t partial sums, then the odd
 * tail; see assembly/metrics.ts), so the TypeScript and wasm paths give identical numbers.
 */
export function gramInto(y: Float64Array, rows: number, len: number, g: Float64Array): void {
  let i = 0;
  // 2 × 2 row blocks with separate even/odd partial sums per entry (8 accumulators).
  for (; i + 1 < rows; i += 2) {
    const a0 = i * len;
    const a1 = a0 + len;
    let j = i;
    for (; j + 1 < rows; j += 2) {
      const b0 = j * len;
      const b1 = b0 + len;
      let e00 = 0, o00 = 0, e01 = 0, o01 = 0, e10 = 0, o10 = 0, e11 = 0, o11 = 0;
      let t = 0;
      for (; t + 1 < len; t += 2) {
        const x0 = y[a0 + t], x0o = y[a0 + t + 1];
        const x1 = y[a1 + t], x1o = y[a1 + t + 1];
        const z0 = y[b0 + t], z0o = y[b0 + t + 1];
        const z1 = y[b1 + t], z1o = y[b1 + t + 1];
        e00 += x0 * z0;
        o00 += x0o * z0o;
        e01 += x0 * z1;
        o01 += x0o * z1o;
        e10 += x1 * z0;
        o10 += x1o * z0o;
        e11 += x1 * z1;
        o11 += x1o * z1o;
      }
      let s00 = e00 + o00, s01 = e01 + o01, s10 = e10 + o10, s11 = e11 + o11;
      if (t < len) {
        s00 += y[a0 + t] * y[b0 + t];
        s01 += y[a0 + t] * y[b1 + t];
        s10 += y[a1 + t] * y[b0 + t];
        s11 += y[a1 + t] * y[b1 + t];
      }
      g[i * rows + j] = g[j * rows + i] = s00;
      g[i * rows + j + 1] = g[(j + 1) * rows + i] = s01;
      g[(i + 1) * rows + j] = g[j * rows + i + 1] = s10;
      g[(i + 1) * rows + j + 1] = g[(j + 1) * rows + i + 1] = s11;
    }
    if (j < rows) {
      const s0 = laneDot(y, a0, j * len, len);
      const s1 = laneDot(y, a1, j * len, len);
      g[i * rows + j] = g[j * rows + i] = s0;
      g[(i + 1) * rows + j] = g[j * rows + i + 1] = s1;
    }
  }
  if (i < rows) g[i * rows + i] = laneDot(y, i * len, i * len, len);
}

/** Dot product of rows at offsets a and b in the kernels' order (even lane + odd lane, then tail). */
export function laneDot(y: Float64Array, a: number, b: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let t = 0;
  for (; t + 1 < len; t += 2) {
    s0 += y[a + t] * y[b + t];
    s1 += y[a + t + 1] * y[b + t + 1];
  }
  let s = s0 + s1;
  if (t < len) s += y[a + t] * y[b + t];
  return s;
}

/** Copies of the split-half tables in wasm memory (allocated once per heap and table). */
const wasmTables = new WeakMap<WasmHeap, Map<string, { subsets: number; changeFrom: number }>>();
function wasmTable(heap: WasmHeap, table: SplitHalfTable, rc: number, maxIters: number): { subsets: number; changeFrom: number } {
  let byKey = wasmTables.get(heap);
  if (!byKey) {
    byKey = new Map();
    wasmTables.set(heap, byKey);
  }
  const key = `${rc}:${maxIters}`;
  let hit = byKey.get(key);
  if (!hit) {
    const subsets = heap.allocStatic(4 * Math.max(table.subsets.length, 1)); // cached for the heap's life
    heap.i32(subsets, table.subsets.length).set(table.subsets);
    const changeFrom = heap.allocStatic(4 * Math.max(table.changeFrom.length, 1));
    heap.i32(changeFrom, table.changeFrom.length).set(table.changeFrom);
    hit = { subsets, changeFrom };
    byKey.set(key, hit);
  }
  return hit;
}

let heapState: WasmHeap | null | undefined;
/** This thread's wasm heap, or null when WebAssembly is unavailable (then the TS path runs). */
function kernelHeap(): WasmHeap | null {
  if (heapState === undefined) {
    try {
      heapState = defaultHeap();
    } catch {
      heapState = null;
    }
  }
  return heapState;
}

/** The subsets of one split-half enumeration: `pairs` rows of `k` repeat indices (the first halves). */
export interface SplitHalfTable {
  /** Number of (subset, complement) pairs used: min(⌊C(rc, rc/2) / 2⌋, maxIters). */
  pairs: number;
  /** `pairs × k` first-half repeat indices, in lexicographic (Python `combinations`) order. */
  subsets: Int32Array;
  /** Per pair, the first position whose index differs from the previous subset (0 for the first). */
  changeFrom: Int32Array;
}

const tables = new Map<string, SplitHalfTable>();

/** Binomial coefficient as a float (exact below 2^53; only compared with small caps above). */
export function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * The split-half pairs of docs/metrics.md for `rc` (even) repeats: subset i of the lexicographic
 * enumeration of size-rc/2 subsets is paired with subset (last − i). Lexicographic order of
 * equal-size subsets reverses under complement (the smallest element of S △ S' lies in the smaller
 * one, and △ is unchanged by complementing both), so subset (last − i) IS the complement of
 * subset i and only the first halves need storing. Cached per (rc, maxIters).
 */
export function splitHalfTable(rc: number, maxIters: number): SplitHalfTable {
  const key = `${rc}:${maxIters}`;
  const hit = tables.get(key);
  if (hit) return hit;
  const k = rc / 2;
  const pairs = Math.min(Math.floor(binomial(rc, k) / 2), maxIters);
  const subsets = new Int32Array(pairs * k);
  const changeFrom = new Int32Array(pairs);
  const c = Array.from({ length: k }, (_, i) => i);
  for (let p = 0; p < pairs; p++) {
    subsets.set(c, p * k);
    // Next combination in lexicographic order.
    let i = k - 1;
    while (i >= 0 && c[i] === rc - k + i) i--;
    if (i < 0 || p + 1 === pairs) break;
    c[i]++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
    changeFrom[p + 1] = i;
  }
  const table = { pairs, subsets, changeFrom };
  tables.set(key, table);
  return table;
}

/** Spearman–Brown step of CCmax (docs/metrics.md): `{value, weight}` of one cell from its ρ_half. */
export function spearmanBrown(rho: number, tv: number): { value: number; weight: number } {
  if (rho <= 0) return { value: NaN, weight: 0 };
  // A NaN ρ is not "≤ 0": it keeps its weight and poisons the aggregate, as in the reference.
  return { value: Math.sqrt((2 * rho) / (1 + rho)), weight: tv };
}
