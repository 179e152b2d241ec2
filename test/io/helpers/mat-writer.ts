/**
 * A minimal MATLAB Level-5 MAT writer for tests: builds files of every class, either byte
 * order, compressed or not, with the storage type of each numeric payload chosen freely (MATLAB
 * stores e.g. a double [1 2 3] as uint8). Written from the MAT-file format document,
 * independently of the reader; a hand-assembled file in `mat5.test.ts` checks both against it.
 */
import { zlibSync } from 'fflate';

export const mi = {
  INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9,
  INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18,
} as const;

export const mx: Record<string, number> = {
  cell: 1, struct: 2, object: 3, char: 4, sparse: 5, double: 6, single: 7, int8: 8, uint8: 9,
  int16: 10, uint16: 11, int32: 12, uint32: 13, int64: 14, uint64: 15, function: 16, opaque: 17,
};

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4 };

/** Natural storage type of each numeric class. */
export const NATURAL: Record<string, number> = {
  double: mi.DOUBLE, single: mi.SINGLE, int8: mi.INT8, uint8: mi.UINT8, int16: mi.INT16, uint16: mi.UINT16,
  int32: mi.INT32, uint32: mi.UINT32, int64: mi.INT64, uint64: mi.UINT64,
};

export type Spec =
  | { t: 'numeric'; cls: string; shape: number[]; data: (number | bigint)[]; stored?: number; imag?: (number | bigint)[]; logical?: boolean }
  | { t: 'char'; shape: number[]; chars: string; enc?: 'uint16' | 'utf16' | 'utf8' | 'uint8' }
  | { t: 'cell'; shape: number[]; cells: Spec[] }
  | { t: 'struct'; shape: number[]; fields: string[]; elements: Record<string, Spec>[]; fieldNameLength?: number }
  | { t: 'sparse'; m: number; n: number; ir: number[]; jc: number[]; pr?: number[]; pi?: number[]; logical?: boolean }
  | { t: 'object'; className: string; shape: number[]; fields: string[]; elements: Record<string, Spec>[] }
  | { t: 'empty' };

class Bytes {
  parts: Uint8Array[] = [];
  len = 0;
  push(b: Uint8Array): void {
    this.parts.push(b);
    this.len += b.length;
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.len);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** Encodes values as `type` in the given byte order. */
export function encode(type: number, values: readonly (number | bigint)[], le: boolean): Uint8Array {
  const size = SIZE[type];
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    const o = i * size;
    switch (type) {
      case mi.INT8: v.setInt8(o, Number(x)); break;
      case mi.UINT8: case mi.UTF8: v.setUint8(o, Number(x)); break;
      case mi.INT16: v.setInt16(o, Number(x), le); break;
      case mi.UINT16: case mi.UTF16: v.setUint16(o, Number(x), le); break;
      case mi.INT32: v.setInt32(o, Number(x), le); break;
      case mi.UINT32: case mi.UTF32: v.setUint32(o, Number(x), le); break;
      case mi.SINGLE: v.setFloat32(o, Number(x), le); break;
      case mi.DOUBLE: v.setFloat64(o, Number(x), le); break;
      case mi.INT64: v.setBigInt64(o, BigInt(x), le); break;
      case mi.UINT64: v.setBigUint64(o, BigInt(x), le); break;
      default: throw new Error(`encode: type ${type}`);
    }
  });
  return out;
}

/** One data element: small format when the payload fits in 4 bytes (as MATLAB writes). */
export function element(type: number, payload: Uint8Array, le: boolean, allowSmall = true): Uint8Array {
  const n = payload.length;
  if (allowSmall && n <= 4 && n > 0) {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint32(0, ((n << 16) | type) >>> 0, le);
    out.set(payload, 4);
    return out;
  }
  const padded = (n + 7) & ~7;
  const out = new Uint8Array(8 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, le);
  v.setUint32(4, n, le);
  out.set(payload, 8);
  return out;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function header(cls: number, flags: number, nzmax: number, dims: number[], name: string, le: boolean, b: Bytes): void {
  b.push(element(mi.UINT32, encode(mi.UINT32, [cls | flags, nzmax], le), le));
  b.push(element(mi.INT32, encode(mi.INT32, dims, le), le));
  b.push(element(mi.INT8, ascii(name), le));
}

/** The full miMATRIX element (tag included) for `spec` named `name`. */
export function matrix(spec: Spec, name: string, le: boolean): Uint8Array {
  const b = new Bytes();
  switch (spec.t) {
    case 'empty':
      break;
    case 'numeric': {
      const cls = mx[spec.cls];
      const stored = spec.stored ?? (spec.logical ? mi.UINT8 : NATURAL[spec.cls]);
      header(cls, (spec.imag ? 0x0800 : 0) | (spec.logical ? 0x0200 : 0), 0, spec.shape, name, le, b);
      b.push(element(stored, encode(stored, spec.data, le), le));
      if (spec.imag) b.push(element(stored, encode(stored, spec.imag, le), le));
      break;
    }
    case 'char': {
      header(mx.char, 0, 0, spec.shape, name, le, b);
      const enc = spec.enc ?? 'uint16';
      if (enc === 'utf8') b.push(element(mi.UTF8, new TextEncoder().encode(spec.chars), le));
      else if (enc === 'uint8') b.push(element(mi.UINT8, ascii(spec.chars), le));
      else {
        const type = enc === 'utf16' ? mi.UTF16 : mi.UINT16;
        b.push(element(type, encode(type, Array.from({ length: spec.chars.length }, (_, i) => spec.chars.charCodeAt(i)), le), le));
      }
      break;
    }
    case 'cell':
      header(mx.cell, 0, 0, spec.shape, name, le, b);
      for (const c of spec.cells) b.push(matrix(c, '', le));
      break;
    case 'struct':
    case 'object': {
      const isObj = spec.t === 'object';
      header(isObj ? mx.object : mx.struct, 0, 0, spec.shape, name, le, b);
      if (spec.t === 'object') b.push(element(mi.INT8, ascii(spec.className), le));
      const L = spec.t === 'struct' && spec.fieldNameLength ? spec.fieldNameLength : 32;
      b.push(element(mi.INT32, encode(mi.INT32, [L], le), le));
      const names = new Uint8Array(L * spec.fields.length);
      spec.fields.forEach((f, k) => names.set(ascii(f), k * L));
      b.push(element(mi.INT8, names, le, false));
      for (const el of spec.elements) for (const f of spec.fields) b.push(matrix(el[f], '', le));
      break;
    }
    case 'sparse': {
      header(mx.sparse, (spec.pi ? 0x0800 : 0) | (spec.logical ? 0x0200 : 0), Math.max(1, spec.ir.length), [spec.m, spec.n], name, le, b);
      b.push(element(mi.INT32, encode(mi.INT32, spec.ir, le), le));
      b.push(element(mi.INT32, encode(mi.INT32, spec.jc, le), le));
      if (spec.pr) b.push(element(mi.DOUBLE, encode(mi.DOUBLE, spec.pr, le), le));
      if (spec.pi) b.push(element(mi.DOUBLE, encode(mi.DOUBLE, spec.pi, le), le));
      break;
    }
  }
  return element(mi.MATRIX, b.concat(), le, false);
}

export interface WriteOptions {
  le?: boolean;
  compress?: boolean;
  headerText?: string;
}

/** A whole MAT v5 file with the given variables in order. */
export function writeMat(vars: [string, Spec][], opts: WriteOptions = {}): Uint8Array {
  const le = opts.le ?? true;
  const b = new Bytes();
  const head = new Uint8Array(128).fill(0x20);
  head.set(ascii((opts.headerText ?? 'MATLAB 5.0 MAT-file, written by the deepstrf test writer').slice(0, 116)));
  head.fill(0, 116, 124);
  const hv = new DataView(head.buffer);
  hv.setUint16(124, 0x0100, le);
  head.set(ascii(le ? 'IM' : 'MI'), 126);
  b.push(head);
  for (const [name, spec] of vars) {
    const m = matrix(spec, name, le);
    if (opts.compress) {
      const z = zlibSync(m);
      const tag = new Uint8Array(8);
      const tv = new DataView(tag.buffer);
      tv.setUint32(0, mi.COMPRESSED, le);
      tv.setUint32(4, z.length, le);
      b.push(tag);
      b.push(z);
    } else b.push(m);
  }
  return b.concat();
}

// Shorthands.
export const num = (cls: string, shape: number[], data: (number | bigint)[], extra: Partial<Extract<Spec, { t: 'numeric' }>> = {}): Spec => ({ t: 'numeric', cls, shape, data, ...extra });
export const str = (s: string, enc?: 'uint16' | 'utf16' | 'utf8' | 'uint8'): Spec => ({ t: 'char', shape: [s.length === 0 ? 0 : 1, s.length], chars: s, enc });
export const struct1 = (fields: Record<string, Spec>): Spec => ({ t: 'struct', shape: [1, 1], fields: Object.keys(fields), elements: [fields] });
export const structArr = (shape: number[], fields: string[], elements: Record<string, Spec>[]): Spec => ({ t: 'struct', shape, fields, elements });
