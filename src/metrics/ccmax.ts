/**
 * CCmax by split-half correlation and the Spearman–Brown correction (docs/metrics.md).
 * The enumeration and the per-pair algebra live in `cell.ts`.
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';
import { CellWorkspace, spearmanBrown } from './cell.js';
import { fmtShape } from './masking.js';

/** Options of {@link computeCCmax}. */
export interface CCmaxOptions {
  /** Cap on the number of (subset, complement) pairs per cell. Default 126 (all pairs up to R = 10). */
  maxIters?: number;
}

/** Checks a pair cap (a positive integer); `name` is the option's name in messages. */
export function checkMaxIters(value: unknown, name: string): number {
  if (value === undefined) return 126;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Streaming accumulator of the per-neuron CCmax: Σ_b T_v · CCmax_bn / Σ_b T_v over contributing
 * cells (R_v ≥ 2, T_v ≥ 2, ρ_half not ≤ 0). Also records whether a neuron had any cell with R_v ≥ 2
 * (for the fallback of `computeNeuronQuality`).
 */
export class CCmaxAccumulator {
  private readonly wsum: Float64Array;
  private readonly w: Float64Array;
  /** 1 where the neuron had at least one cell with R_v ≥ 2. */
  readonly hasRepeats: Uint8Array;
  constructor(readonly nNeurons: number, readonly maxIters: number) {
    this.wsum = new Float64Array(nNeurons);
    this.w = new Float64Array(nNeurons);
    this.hasRepeats = new Uint8Array(nNeurons);
  }
  /** Adds the cell loaded in `ws` for neuron `n`. */
  add(n: number, ws: CellWorkspace): void {
    if (ws.rv >= 2) this.hasRepeats[n] = 1;
    if (ws.rv < 2 || ws.tv < 2) return;
    const { value, weight } = spearmanBrown(ws.splitHalfRho(this.maxIters), ws.tv);
    if (weight === 0) return;
    this.wsum[n] += weight * value;
    this.w[n] += weight;
  }
  /** CCmax per neuron; NaN where no cell contributed, or `fallback` for neurons with no R_v ≥ 2 cell. */
  result(fallback?: number): Float64Array {
    const out = new Float64Array(this.nNeurons);
    for (let n = 0; n < this.nNeurons; n++) {
      if (fallback !== undefined && !this.hasRepeats[n]) out[n] = fallback;
      else out[n] = this.w[n] > 0 ? this.wsum[n] / this.w[n] : NaN;
    }
    return out;
  }
}

/** CCmax per neuron of a `(B, N, R, T)` responses tensor, NaN-aware (used by `'hsu'`). */
export function ccmaxPerNeuron(responses: Tensor, maxIters: number): Float64Array {
  const [B, N, R, T] = responses.shape;
  const ws = new CellWorkspace();
  const acc = new CCmaxAccumulator(N, maxIters);
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) {
      ws.load(responses.data, (b * N + n) * R * T, R, T);
      acc.add(n, ws);
    }
  }
  return acc.result();
}

/** Throws unless `t` is a 3-D `(B, R, T)` tensor; returns its dims. */
export function check3D(t: unknown, fn: string): [number, number, number] {
  if (!isTensor(t)) throw new TypeError(`${fn}: responses must be a Tensor ({ dtype, shape, data })`);
  if (t.shape.length !== 3) {
    throw new ShapeError(`${fn}: responses must be (B, R, T), got shape ${fmtShape(t.shape)}`);
  }
  return [t.shape[0], t.shape[1], t.shape[2]];
}

/**
 * Legacy per-row CCmax of `(B, R, T)` responses (docs/metrics.md), NaN-aware per row:
 * R_v = 1 → 1.0; R_v = 0, or R_v ≥ 2 with T_v < 2 → NaN; split-half ρ ≤ 0 → NaN;
 * else sqrt(2ρ / (1 + ρ)). An odd R_v drops its last valid repeat; subsets are paired with
 * their complements in lexicographic order, the first min(C(R, R/2) / 2, maxIters) pairs.
 * @param responses `(B, R, T)`: B cells (e.g. stimuli of one neuron).
 * @returns `(B)` float64 tensor.
 * @example
 * ```ts
 * const cc = computeCCmax(tensor('float32', [1, 2, 3], [1, 2, 4, 1, 3, 4])).data[0]; // ≈ 0.9813
 * ```
 */
export function computeCCmax(responses: Tensor, options?: CCmaxOptions): Tensor<'float64'> {
  const maxIters = checkMaxIters(options?.maxIters, 'maxIters');
  return perRow(responses, 'computeCCmax', (ws) => spearmanBrown(ws.splitHalfRho(maxIters), ws.tv).value);
}

/**
 * The legacy per-row helpers' shared rule over `(B, R, T)` rows: R_v = 1 → 1.0; R_v = 0, or
 * R_v ≥ 2 with T_v < 2 → NaN; otherwise `value(workspace)` on the row's valid sub-block.
 * @example
 * ```ts
 * perRow(responses, 'computeTTRC', (ws) => ws.meanPairCorrelation());
 * ```
 */
export function perRow(responses: Tensor, fn: string, value: (ws: CellWorkspace) => number): Tensor<'float64'> {
  const [B, R, T] = check3D(responses, fn);
  const out = new Float64Array(B);
  const ws = new CellWorkspace();
  for (let b = 0; b < B; b++) {
    ws.load(responses.data, b * R * T, R, T);
    if (ws.rv === 1) out[b] = 1;
    else if (ws.rv === 0 || ws.tv < 2) out[b] = NaN;
    else out[b] = value(ws);
  }
  return { dtype: 'float64', shape: [B], data: out };
}
