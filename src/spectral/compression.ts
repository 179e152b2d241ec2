/**
 * Amplitude compressions applied after a filterbank, in place on float32 data.
 * @module
 */
import { ValueError } from '../errors.js';

/** Compression kinds: natural log, log(1 + x), cube root, decibels, or none. */
export type Compression = 'log' | 'log1p' | 'cubic' | 'db' | 'none';

/** Options of {@link compress}. */
export interface CompressionOptions {
  /** `'log'`: ln(max(x, logFloor)) (default floor 1e-4) unless `logOffset` is set. */
  logFloor?: number;
  /** `'log'`: ln(x + logOffset) instead of the floor. */
  logOffset?: number | null;
  /** `'db'`: multiplier·log10(max(x, amin) / ref); 10 for power (default), 20 for amplitude. */
  dbMultiplier?: number;
  /** `'db'`: floor before the log (default 1e-10, as torchaudio's AmplitudeToDB). */
  amin?: number;
  /** `'db'`: reference value (default 1). */
  ref?: number;
  /** `'db'`: clip values below (max − topDb) when set. */
  topDb?: number | null;
}

/**
 * Compresses `data` in place and returns it. `'cubic'` is x^(1/3) (real cube root), `'log1p'`
 * ln(1 + x), `'log'` ln(max(x, floor)) or ln(x + offset), `'db'` torchaudio's AmplitudeToDB.
 * @example
 * ```ts
 * compress(new Float32Array([0, 1e-6, 1]), 'log', { logFloor: 1e-4 }); // [ln 1e-4, ln 1e-4, 0]
 * ```
 */
export function compress(data: Float32Array, kind: Compression, opts: CompressionOptions = {}): Float32Array {
  const n = data.length;
  switch (kind) {
    case 'none':
      return data;
    case 'log': {
      const offset = opts.logOffset ?? null;
      if (offset !== null) {
        if (!(offset > 0)) throw new ValueError(`logOffset must be positive, got ${offset}`);
        for (let i = 0; i < n; i++) data[i] = Math.log(data[i] + offset);
      } else {
        const floor = opts.logFloor ?? 1e-4;
        if (!(floor > 0)) throw new ValueError(`logFloor must be positive, got ${floor}`);
        for (let i = 0; i < n; i++) data[i] = Math.log(Math.max(data[i], floor));
      }
      return data;
    }
    case 'log1p':
      for (let i = 0; i < n; i++) data[i] = Math.log1p(data[i]);
      return data;
    case 'cubic':
      for (let i = 0; i < n; i++) data[i] = Math.cbrt(data[i]);
      return data;
    case 'db': {
      const mult = opts.dbMultiplier ?? 10, amin = opts.amin ?? 1e-10, ref = opts.ref ?? 1;
      if (!(amin > 0) || !(ref > 0)) throw new ValueError(`amin and ref must be positive, got amin ${amin}, ref ${ref}`);
      const offset = mult * Math.log10(Math.max(amin, ref));
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = mult * Math.log10(Math.max(data[i], amin)) - offset;
        data[i] = v;
        if (v > max) max = v;
      }
      const topDb = opts.topDb ?? null;
      if (topDb !== null) {
        if (!(topDb >= 0)) throw new ValueError(`topDb must be non-negative, got ${topDb}`);
        const lo = Math.fround(max - topDb);
        for (let i = 0; i < n; i++) if (data[i] < lo) data[i] = lo;
      }
      return data;
    }
    default:
      throw new ValueError(`unknown compression '${String(kind)}' (expected 'log', 'log1p', 'cubic', 'db' or 'none')`);
  }
}
