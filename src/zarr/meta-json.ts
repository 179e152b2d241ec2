/**
 * NaN-safe JSON for dataset metadata (`stimMeta`, `nrnMeta`, provenance options) in a Zarr
 * store's attributes (docs/zarr-layout.md). JSON has no NaN or ±Infinity, so those numbers are
 * written as the one-key object `{ "$float": "NaN" | "Infinity" | "-Infinity" }`; every other
 * value is plain JSON. Values JSON cannot hold (functions, bigints, symbols, typed arrays,
 * class instances, `undefined` inside an array, cycles) are refused with a `TypeError` naming
 * their path, so a store never silently loses metadata.
 * @module
 */
import { FormatError } from '../errors.js';
import type { JsonValue } from '../io/json.js';

/** The key of the tagged non-finite number. */
const FLOAT_TAG = '$float';
const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Encodes a metadata value for a JSON attribute: non-finite numbers tagged, the rest as is.
 * Object keys whose value is `undefined` are left out, as `JSON.stringify` does.
 * @param where the value's path, for messages (e.g. `stimMeta[3]`)
 * @throws TypeError naming the path of a value JSON cannot hold
 * @example
 * ```ts
 * encodeMetaJson({ snr: NaN, name: 'a' }, 'nrnMeta[0]'); // { snr: { $float: 'NaN' }, name: 'a' }
 * ```
 */
export function encodeMetaJson(value: unknown, where: string): JsonValue {
  const seen = new Set<object>();
  const enc = (v: unknown, path: string): JsonValue => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { [FLOAT_TAG]: String(v) };
    if (typeof v !== 'object') throw new TypeError(`${path}: a ${typeof v} cannot be stored as JSON metadata`);
    if (seen.has(v)) throw new TypeError(`${path}: a cycle cannot be stored as JSON metadata`);
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        return v.map((x, i) => {
          if (x === undefined) throw new TypeError(`${path}[${i}]: undefined inside an array cannot be stored as JSON metadata`);
          return enc(x, `${path}[${i}]`);
        });
      }
      if (!isPlainObject(v)) {
        throw new TypeError(`${path}: a ${v.constructor?.name ?? 'non-plain object'} cannot be stored as JSON metadata (use numbers, strings, booleans, null, arrays and plain objects)`);
      }
      const out: { [key: string]: JsonValue } = {};
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        if (k === FLOAT_TAG && Object.keys(v).length === 1) throw new TypeError(`${path}: the key "${FLOAT_TAG}" alone is reserved for non-finite numbers`);
        out[k] = enc(x, `${path}.${k}`);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return enc(value, where);
}

/**
 * Decodes what {@link encodeMetaJson} wrote (tagged numbers back to NaN / ±Infinity).
 * @param file the store path the value came from, for messages
 * @param where the value's path inside it
 * @throws FormatError naming the file and path of a malformed tag
 * @example
 * ```ts
 * decodeMetaJson({ snr: { $float: 'NaN' } }, 'zarr.json', 'nrnMeta[0]'); // { snr: NaN }
 * ```
 */
export function decodeMetaJson(value: unknown, file: string, where: string): unknown {
  const dec = (v: unknown, path: string): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x, i) => dec(x, `${path}[${i}]`));
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === FLOAT_TAG) {
      const tag = (v as Record<string, unknown>)[FLOAT_TAG];
      if (typeof tag !== 'string' || !(tag in NON_FINITE)) {
        throw new FormatError(file, `${path}: "${FLOAT_TAG}" must be "NaN", "Infinity" or "-Infinity", got ${JSON.stringify(tag)}`);
      }
      return NON_FINITE[tag];
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = dec((v as Record<string, unknown>)[k], `${path}.${k}`);
    return out;
  };
  return dec(value, where);
}
