/**
 * A fitted linear STRF population model and its JSON form (docs/fit.md).
 * @module
 */
import { FormatError } from '../errors.js';

/**
 * Linear STRFs of a population: `p_j(t) = bias[j] + Σ_f Σ_l weights[j, f, l] · x[f, t − l]`.
 * @example
 * ```ts
 * const w = model.weights.subarray(j * model.F * model.lags, (j + 1) * model.F * model.lags); // (F, lags)
 * ```
 */
export interface StrfModel {
  /** Spectrogram bands. */
  readonly F: number;
  /** Lags in bins (lag 0 = the current bin). */
  readonly lags: number;
  /** Bin width in ms. */
  readonly dtMs: number;
  /** Dataset neuron index of each modelled neuron. */
  readonly neurons: readonly number[];
  /** `cellId` (or the index as text) of each modelled neuron. */
  readonly cellIds: readonly string[];
  /** `(neurons, F, lags)` row-major. */
  readonly weights: Float64Array;
  /** Intercept per neuron (response units per bin). */
  readonly bias: Float64Array;
  /** The λ chosen per neuron. */
  readonly lambda: Float64Array;
}

/** The JSON layout written by {@link modelToJson} (`format: 'deepstrf-linear-strf'`, version 1). */
const FORMAT = 'deepstrf-linear-strf';

/**
 * Serialises a model (numbers as plain JSON arrays; NaN as null).
 * @example
 * ```ts
 * writeFileSync('model.json', modelToJson(fit.model));
 * ```
 */
export function modelToJson(m: StrfModel): string {
  const arr = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  return JSON.stringify({
    format: FORMAT, version: 1, F: m.F, lags: m.lags, dtMs: m.dtMs, neurons: m.neurons, cellIds: m.cellIds,
    weightsShape: [m.neurons.length, m.F, m.lags], weights: arr(m.weights), bias: arr(m.bias), lambda: arr(m.lambda),
  });
}

/**
 * Reads what {@link modelToJson} wrote.
 * @throws FormatError naming the field at fault.
 * @example
 * ```ts
 * const m = modelFromJson(readFileSync('out/model.json', 'utf8'));
 * ```
 */
export function modelFromJson(text: string): StrfModel {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new FormatError('model.json', `not JSON (${(e as Error).message})`);
  }
  if (o === null || typeof o !== 'object' || o.format !== FORMAT || o.version !== 1) throw new FormatError('model.json', `format must be "${FORMAT}" version 1`);
  const int = (k: string) => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new FormatError('model.json', `field "${k}" must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const F = int('F'), lags = int('lags');
  const dtMs = o.dtMs;
  if (typeof dtMs !== 'number' || !(dtMs > 0)) throw new FormatError('model.json', `field "dtMs" must be a positive number, got ${JSON.stringify(dtMs)}`);
  const neurons = o.neurons, cellIds = o.cellIds;
  if (!Array.isArray(neurons) || !neurons.every((n) => Number.isInteger(n) && n >= 0)) throw new FormatError('model.json', 'field "neurons" must be an array of neuron indices');
  if (!Array.isArray(cellIds) || cellIds.length !== neurons.length || !cellIds.every((c) => typeof c === 'string')) {
    throw new FormatError('model.json', `field "cellIds" must be ${neurons.length} strings`);
  }
  const nums = (k: string, len: number) => {
    const v = o[k];
    if (!Array.isArray(v) || v.length !== len || !v.every((x) => x === null || typeof x === 'number')) {
      throw new FormatError('model.json', `field "${k}" must be ${len} numbers (or null)`);
    }
    return Float64Array.from(v as (number | null)[], (x) => (x === null ? Number.NaN : x));
  };
  const N = neurons.length;
  return { F, lags, dtMs, neurons: neurons as number[], cellIds: cellIds as string[], weights: nums('weights', N * F * lags), bias: nums('bias', N), lambda: nums('lambda', N) };
}
