/**
 * Plain, direct-from-the-formula references of the per-cell statistics of the metrics
 * (docs/metrics.md), written as literally as possible: materialise the valid sub-block,
 * compute variances, PSTHs and half-means explicitly, enumerate subsets by their lexicographic
 * rank. The fast path (`src/metrics/cell.ts`, Gram-matrix algebra) is property-tested against
 * these, and the benchmark uses them as its baseline.
 * @module
 */
import { laneDot } from '../metrics/cell.js'; // the kernels' summation order, shared with the TS path

/** The valid sub-block of an `(R, T)` cell: repeats with ≥ 1 non-NaN × bins non-NaN in ≥ 1 repeat. */
export function validSubBlockRef(cell: ArrayLike<number>, R: number, T: number): number[][] {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let r = 0; r < R; r++) {
    let any = false;
    for (let t = 0; t < T; t++) if (!Number.isNaN(cell[r * T + t])) any = true;
    if (any) rows.push(r);
  }
  for (let t = 0; t < T; t++) {
    let any = false;
    for (let r = 0; r < R; r++) if (!Number.isNaN(cell[r * T + t])) any = true;
    if (any) cols.push(t);
  }
  return rows.map((r) => cols.map((t) => cell[r * T + t]));
}

function mean(x: readonly number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

function varUnbiased(x: readonly number[]): number {
  const m = mean(x);
  return x.reduce((a, b) => a + (b - m) * (b - m), 0) / (x.length - 1);
}

/** Pearson correlation, NaN when sqrt(Σx̃² Σỹ²) < 1e-12. */
export function pearsonRef(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let c = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < x.length; i++) {
    c += (x[i] - mx) * (y[i] - my);
    vx += (x[i] - mx) ** 2;
    vy += (y[i] - my) ** 2;
  }
  const den = Math.sqrt(vx * vy);
  return den < 1e-12 ? NaN : c / den;
}

/** `[SP, NP]` of a qualifying sub-block (R_v ≥ 2, T_v ≥ 2), else null. */
export function cellPowersRef(y: readonly number[][]): [number, number] | null {
  const rv = y.length;
  const tv = rv > 0 ? y[0].length : 0;
  if (rv < 2 || tv < 2) return null;
  const psth = Array.from({ length: tv }, (_, t) => mean(y.map((row) => row[t])));
  const tp = mean(y.map(varUnbiased));
  const sp = (rv * varUnbiased(psth) - tp) / (rv - 1);
  return [sp, tp - sp];
}

function binom(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** The size-k subset of {0..n−1} with lexicographic rank `rank` (Python `combinations` order). */
export function unrankCombinationRef(rank: number, n: number, k: number): number[] {
  const out: number[] = [];
  let c = 0;
  for (let pos = 0; pos < k; pos++) {
    for (; ; c++) {
      const count = binom(n - c - 1, k - pos - 1);
      if (rank < count) break;
      rank -= count;
    }
    out.push(c++);
  }
  return out;
}

/** ρ_half of a sub-block with R_v ≥ 2 (docs/metrics.md): subset i paired with subset (last − i). */
export function splitHalfRhoDirect(y: readonly number[][], maxIters = 126): number {
  const rc = y.length % 2 === 0 ? y.length : y.length - 1;
  const k = rc / 2;
  const count = binom(rc, k);
  const pairs = Math.min(Math.floor(count / 2), maxIters);
  const halfMean = (idx: number[]) => y[0].map((_, t) => mean(idx.map((r) => y[r][t])));
  let acc = 0;
  for (let i = 0; i < pairs; i++) {
    const a = unrankCombinationRef(i, rc, k);
    const b = unrankCombinationRef(count - 1 - i, rc, k);
    acc += pearsonRef(halfMean(a), halfMean(b));
  }
  return acc / pairs;
}

/** Legacy per-cell CCmax (`compute_CCmax` row rule) of an `(R, T)` cell. */
export function cellCCmaxRef(cell: ArrayLike<number>, R: number, T: number, maxIters = 126): number {
  const y = validSubBlockRef(cell, R, T);
  if (y.length === 1) return 1;
  if (y.length === 0 || y[0].length < 2) return NaN;
  const rho = splitHalfRhoDirect(y, maxIters);
  return rho <= 0 ? NaN : Math.sqrt((2 * rho) / (1 + rho));
}

/** Per-cell TTRC: mean Pearson over pairs i < j of valid repeats. */
export function cellTTRCRef(cell: ArrayLike<number>, R: number, T: number): number {
  const y = validSubBlockRef(cell, R, T);
  if (y.length === 1) return 1;
  if (y.length === 0 || y[0].length < 2) return NaN;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = i + 1; j < y.length; j++) {
      acc += pearsonRef(y[i], y[j]);
      n++;
    }
  }
  return acc / n;
}

/**
 * Reference of `computeNeuronQuality`: stimulus by stimulus, each stimulus's cells padded to
 * `(N, R_s, T_s)` with NaN exactly as the reference does, then per neuron the docs/metrics.md rules.
 */
export function neuronQualityRef(
  responses: readonly (readonly { shape: number[]; data: ArrayLike<number> }[])[],
  nNeurons: number,
  maxIters = 126,
): { snr: number[]; ccmax: number[] } {
  const wsp = new Array<number>(nNeurons).fill(0);
  const wnp = new Array<number>(nNeurons).fill(0);
  const wp = new Array<number>(nNeurons).fill(0);
  const wcc = new Array<number>(nNeurons).fill(0);
  const wc = new Array<number>(nNeurons).fill(0);
  const hasRepeats = new Array<boolean>(nNeurons).fill(false);
  for (const row of responses) {
    const Rs = Math.max(...row.map((c) => c.shape[0]));
    const Ts = Math.max(...row.map((c) => c.shape[1]));
    for (let n = 0; n < nNeurons; n++) {
      const padded = new Float64Array(Rs * Ts).fill(NaN);
      const [R, T] = row[n].shape;
      for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) padded[r * Ts + t] = row[n].data[r * T + t];
      const y = validSubBlockRef(padded, Rs, Ts);
      if (y.length >= 2) hasRepeats[n] = true;
      const pw = cellPowersRef(y);
      if (pw === null) continue;
      const tv = y[0].length;
      wsp[n] += tv * pw[0];
      wnp[n] += tv * pw[1];
      wp[n] += tv;
      const rho = splitHalfRhoDirect(y, maxIters);
      if (rho <= 0) continue;
      wcc[n] += tv * Math.sqrt((2 * rho) / (1 + rho));
      wc[n] += tv;
    }
  }
  const snr = wsp.map((s, n) => (wp[n] > 0 ? s / wp[n] / Math.max(wnp[n] / wp[n], 1e-12) : NaN));
  const ccmax = wcc.map((s, n) => (!hasRepeats[n] ? 1 : wc[n] > 0 ? s / wc[n] : NaN));
  return { snr, ccmax };
}

// --- wasm kernel references (assembly/metrics.ts): same signatures, byte addresses into `mem` ---

/** Reference of `gramF64`: entry (i, j) = laneDot(row i, row j), written in full. */
export function gramF64Ref(mem: ArrayBufferLike, y: number, rows: number, len: number, gram: number): void {
  const yv = new Float64Array(mem, y, rows * len);
  const g = new Float64Array(mem, gram, rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) g[i * rows + j] = laneDot(yv, i * len, j * len, len);
  }
}

/** Reference of `cellGram`: centre float32 rows into float64 at `y`, then `gramF64Ref`. */
export function cellGramRef(mem: ArrayBufferLike, src: number, rows: number, len: number, y: number, gram: number): number {
  const x = new Float32Array(mem, src, rows * len);
  const yv = new Float64Array(mem, y, rows * len);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let t = 0; t < len; t++) {
      yv[r * len + t] = x[r * len + t];
      sum += x[r * len + t];
    }
    if (Number.isNaN(sum)) return 0;
    const mean = sum / len;
    for (let t = 0; t < len; t++) yv[r * len + t] -= mean;
  }
  gramF64Ref(mem, y, rows, len, gram);
  return 1;
}

/** Reference of `splitHalfRho` (same layout; the operation order of assembly/metrics.ts). */
export function splitHalfRhoRef(
  mem: ArrayBufferLike, gram: number, rv: number, rc: number, pairs: number, subsets: number, changeFrom: number, work: number,
): number {
  const k = rc >> 1;
  const g = new Float64Array(mem, gram, rv * rv);
  const sub = new Int32Array(mem, subsets, pairs * k);
  const from = new Int32Array(mem, changeFrom, pairs);
  const w = new Float64Array(mem, work, rc + 2 * (k + 1) + k * rc);
  const rs = 0;
  const prefAA = rc;
  const prefAS = prefAA + k + 1;
  const cross = prefAS + k + 1;
  let ss = 0;
  for (let i = 0; i < rc; i++) {
    let s = 0;
    for (let j = 0; j < rc; j++) s += g[i * rv + j];
    w[rs + i] = s;
    ss += s;
  }
  w[prefAA] = 0;
  w[prefAS] = 0;
  w.fill(0, cross, cross + rc);
  const k2 = k * k;
  let acc = 0;
  for (let p = 0; p < pairs; p++) {
    for (let u = from[p]; u < k; u++) {
      const c = sub[p * k + u];
      const cu = cross + u * rc;
      w[prefAA + u + 1] = w[prefAA + u] + g[c * rv + c] + 2 * w[cu + c];
      w[prefAS + u + 1] = w[prefAS + u] + w[rs + c];
      if (u + 1 < k) for (let j = 0; j < rc; j++) w[cu + rc + j] = w[cu + j] + g[c * rv + j];
    }
    const aa = w[prefAA + k];
    const as = w[prefAS + k];
    const ab = as - aa;
    let bb = ss - 2 * as + aa;
    if (bb < 0) bb = 0;
    const den = Math.sqrt(aa * bb);
    acc += den / k2 < 1e-12 ? NaN : ab / den;
  }
  return acc / pairs;
}
