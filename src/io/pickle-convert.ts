/**
 * Python's conversions on values read from a pickle (src/io/pickle.ts): `int(x)`, `float(x)`,
 * `np.asarray(x, float).ravel()` and `json.dumps`'s view of an object (NumPy values through
 * `.item()` / `.tolist()`). Each throws `PickleDataError` (or returns null where the caller
 * catches Python's TypeError / ValueError).
 * @module
 */
import { isPyTuple, PickleDataError, type PyValue } from './pickle-types.js';
import { NDArray, pyFloat } from './pickle-numpy.js';
import { pyFloatRepr, type PyJson } from './py-json.js';

/**
 * Python's `int(x)` for a number-like value, or null where Python raises TypeError / ValueError /
 * OverflowError (None, NaN, ±inf, text that is not an integer, arrays of more than one element).
 * @example
 * ```ts
 * pyIntOrNull(3.9); // 3n
 * pyIntOrNull(' 12 '); // 12n
 * pyIntOrNull(null); // null
 * ```
 */
export function pyIntOrNull(v: PyValue): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
  if (typeof v === 'string') return /^\s*[+-]?\d+\s*$/.test(v) ? BigInt(v.trim()) : null;
  if (v instanceof NDArray && v.size === 1) return pyIntOrNull(v.item(0));
  return null;
}

/**
 * Python's `float(x)`, or null where Python raises TypeError / ValueError.
 * @example
 * ```ts
 * pyFloatOrNull(2n); // 2
 * pyFloatOrNull('nan'); // NaN
 * pyFloatOrNull([1]); // null
 * ```
 */
export function pyFloatOrNull(v: PyValue): number | null {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase().replace(/_/g, '');
    if (/^[+-]?(nan|inf|infinity)$/.test(s)) return s.includes('nan') ? NaN : s.startsWith('-') ? -Infinity : Infinity;
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s) ? Number(s) : null;
  }
  try {
    return pyFloat(v, 'value');
  } catch {
    return null;
  }
}

/**
 * `np.asarray(x, np.float64).ravel()`: an array, a (nested) list / tuple of numbers or one number,
 * flattened in C order.
 * @throws PickleDataError naming `what` when an element is not a number
 * @example
 * ```ts
 * pyFloatArray([0.5, 1n], 'spikeTimes'); // Float64Array [0.5, 1]
 * ```
 */
export function pyFloatArray(v: PyValue, what: string): Float64Array {
  if (v instanceof NDArray) return v.toFloat64();
  const out: number[] = [];
  const walk = (x: PyValue, depth: number) => {
    if (Array.isArray(x)) {
      if (depth > 32) throw new PickleDataError(`${what} is nested too deeply`);
      for (const e of x as readonly PyValue[]) walk(e, depth + 1);
    } else if (x instanceof NDArray) {
      for (const e of x.toFloat64()) out.push(e);
    } else {
      out.push(pyFloat(x, what));
    }
  };
  walk(v, 0);
  return Float64Array.from(out);
}

/**
 * `np.asarray(x, float).round(decimals).tolist()`: NumPy's rounding (multiply by 10^decimals,
 * round half to even, divide), keeping the shape (a scalar stays a scalar).
 * @throws PickleDataError naming `what` when an element is not a number
 * @example
 * ```ts
 * pyRoundedList([0.123449, 2.00005], 4, 'SpikeStd'); // [0.1234, 2.0]
 * ```
 */
export function pyRoundedList(v: PyValue, decimals: number, what: string): PyJson {
  const f = 10 ** decimals;
  const round = (x: number) => {
    const y = x * f;
    if (!Number.isFinite(y)) return y / f;
    const r = Math.floor(y);
    const d = y - r;
    return (d < 0.5 || (d === 0.5 && r % 2 === 0) ? r : r + 1) / f;
  };
  if (v instanceof NDArray) {
    const flat = v.toFloat64();
    const nest = (dim: number, at: number): PyJson => {
      if (dim === v.shape.length) return round(flat[at]);
      const stride = v.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
      return Array.from({ length: v.shape[dim] }, (_, i) => nest(dim + 1, at + i * stride));
    };
    return nest(0, 0);
  }
  if (Array.isArray(v)) return (v as readonly PyValue[]).map((e) => pyRoundedList(e, decimals, what));
  return round(pyFloat(v, what));
}

/**
 * What Python's `json.dump(x, default=…)` writes for a pickled value, NumPy values through
 * `.item()` / `.tolist()`: tuples become lists, dict keys are converted as the json module does.
 * @throws PickleDataError for values json cannot write (bytes, sets, DataFrames, cycles)
 * @example
 * ```ts
 * pickleToPyJson(Object.freeze([1n, 'a']), 'call_type'); // [1n, 'a']
 * ```
 */
export function pickleToPyJson(v: PyValue, what: string): PyJson {
  return toJson(v, what, new Set(), { left: MAX_JSON_NODES });
}

/** Values written at most by one {@link pickleToPyJson} (shared references could otherwise expand exponentially). */
const MAX_JSON_NODES = 1 << 22;

function toJson(v: PyValue, what: string, seen: Set<object>, budget: { left: number }): PyJson {
  if (--budget.left < 0) throw new PickleDataError(`${what} expands to more than ${MAX_JSON_NODES} values`);
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
  if (seen.has(v)) throw new PickleDataError(`${what} contains itself`);
  seen.add(v);
  try {
    if (v instanceof NDArray) {
      const nest = (dim: number, at: number): PyJson => {
        if (dim === v.shape.length) return toJson(v.item(at), what, seen, budget);
        const stride = v.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
        return Array.from({ length: v.shape[dim] }, (_, i) => nest(dim + 1, at + i * stride));
      };
      return nest(0, 0);
    }
    if (Array.isArray(v) || isPyTuple(v)) return (v as readonly PyValue[]).map((e) => toJson(e, what, seen, budget));
    if (v instanceof Map) {
      const out: { [k: string]: PyJson } = {};
      for (const [k, x] of v) {
        const key = typeof k === 'string' ? k : typeof k === 'number' ? pyFloatRepr(k) : k === null ? 'null' : typeof k === 'boolean' ? String(k) : k.toString();
        out[key] = toJson(x, what, seen, budget);
      }
      return out;
    }
  } finally {
    seen.delete(v);
  }
  throw new PickleDataError(`${what} holds a value JSON cannot represent (${v instanceof Uint8Array ? 'bytes' : v instanceof Set ? 'set' : 'object'})`);
}
