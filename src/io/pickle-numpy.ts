/**
 * NumPy objects of the pickle reader: `numpy.dtype` (rebuilt from its type string and BUILD
 * state), `ndarray` (`_reconstruct` + BUILD with shape, dtype, Fortran flag and raw bytes or an
 * object list; `_frombuffer` for protocol 5) and scalars (`scalar(dtype, bytes)` → the Python
 * value). Numeric, bool, fixed-width unicode / bytes and object dtypes; anything else (complex,
 * datetime, structured) is refused by name.
 * @module
 */
import { isPyTuple, PickleDataError, PyObject, type PyValue } from './pickle-types.js';

/**
 * A NumPy dtype: kind (`b` bool, `i`, `u`, `f`, `O` object, `U` unicode, `S` bytes), item size
 * in bytes and byte order.
 * @example
 * ```ts
 * const d = new NpDType([ 'f8', false, true ]); d.kind; // 'f'
 * ```
 */
export class NpDType extends PyObject {
  readonly pyClass = 'numpy.dtype';
  kind: string;
  itemsize: number;
  bigEndian = false;

  constructor(args: readonly PyValue[]) {
    super();
    const m = typeof args[0] === 'string' ? /^([<>|=]?)([biufOUS])(\d*)$/.exec(args[0]) : null;
    if (!m) throw new PickleDataError(`dtype '${String(args[0]).slice(0, 20)}' is not supported (numeric, bool, unicode, bytes and object only)`);
    this.kind = m[2];
    this.itemsize = m[3] ? Number(m[3]) : this.kind === 'b' ? 1 : 0;
    if (this.kind === 'U') this.itemsize *= 4;
    this.bigEndian = m[1] === '>';
    this.check();
  }

  /** BUILD state `(version, byteorder, subarray, names, fields, elsize, alignment, flags)`. */
  override setState(state: PyValue): void {
    if (!isPyTuple(state) || state.length < 6) throw new PickleDataError('dtype state is not an 8-tuple');
    const order = state[1];
    if (order !== '<' && order !== '>' && order !== '|' && order !== '=') throw new PickleDataError(`dtype byte order ${String(order)} is not one of < > | =`);
    if (state[2] !== null || state[3] !== null || state[4] !== null) throw new PickleDataError('structured / sub-array dtypes are not supported');
    this.bigEndian = order === '>';
    const elsize = state[5];
    if ((this.kind === 'U' || this.kind === 'S') && typeof elsize === 'bigint' && elsize >= 0n) this.itemsize = Number(elsize);
    this.check();
  }

  private check(): void {
    const ok = { b: [1], i: [1, 2, 4, 8], u: [1, 2, 4, 8], f: [4, 8], O: [8, 4], U: null, S: null }[this.kind as 'b'];
    if (ok ? !ok.includes(this.itemsize) : this.itemsize % (this.kind === 'U' ? 4 : 1) !== 0 || this.itemsize > 1 << 20) {
      throw new PickleDataError(`dtype ${this.kind}${this.itemsize} is not supported`);
    }
  }

  /** `'<f8'`-style name. */
  get str(): string {
    return `${this.kind === 'O' || this.itemsize === 1 ? '|' : this.bigEndian ? '>' : '<'}${this.kind}${this.itemsize}`;
  }
}

/** Element storage of an {@link NDArray}. @example `const d: NDData = array.data;` */
export type NDData =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array | PyValue[];

const CTOR: Record<string, { new (n: number): Exclude<NDData, PyValue[]> }> = {
  f4: Float32Array, f8: Float64Array, i1: Int8Array, i2: Int16Array, i4: Int32Array, i8: BigInt64Array,
  u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, u8: BigUint64Array, b1: Uint8Array,
};
/** Largest element count read (2 GiB of float64), and largest shape of an empty array (its nested-list form stays small). */
const MAX_SPAN = 2 ** 28;
const MAX_EMPTY_SPAN = 2 ** 20;
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function shapeOf(v: PyValue): number[] {
  if (!Array.isArray(v)) throw new PickleDataError('array shape is not a tuple');
  return (v as readonly PyValue[]).map((d) => {
    if (typeof d !== 'bigint' || d < 0n || d > 2n ** 40n) throw new PickleDataError('array shape holds something that is not a non-negative int');
    return Number(d);
  });
}

/** C-order positions of a Fortran-order array: out[c] = in[f]. */
function fortranToC<T>(src: ArrayLike<T>, shape: readonly number[], set: (c: number, f: number) => void): void {
  const n = src.length;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  for (let f = 0; f < n; f++) {
    let c = 0;
    for (let d = 0; d < nd; d++) c = c * shape[d] + idx[d];
    set(c, f);
    for (let d = 0; d < nd; d++) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

/** Decodes raw element bytes of `dtype` into storage (C order as given). */
function decodeRaw(raw: Uint8Array, dtype: NpDType, count: number): NDData {
  const size = dtype.itemsize;
  if (raw.length !== count * size) throw new PickleDataError(`${count} element(s) of ${dtype.str} need ${count * size} bytes, got ${raw.length}`);
  if (dtype.kind === 'O') throw new PickleDataError('object arrays carry a list, not raw bytes');
  if (dtype.kind === 'U' || dtype.kind === 'S') {
    const out: PyValue[] = [];
    for (let i = 0; i < count; i++) {
      const item = raw.subarray(i * size, (i + 1) * size);
      if (dtype.kind === 'S') {
        let e = item.length;
        while (e > 0 && item[e - 1] === 0) e--;
        out.push(item.slice(0, e));
        continue;
      }
      const dv = new DataView(item.buffer, item.byteOffset, item.length);
      let s = '';
      for (let k = 0; k < size; k += 4) {
        const cp = dv.getUint32(k, !dtype.bigEndian);
        if (cp > 0x10ffff) throw new PickleDataError(`unicode element ${i} holds code point ${cp}`);
        s += String.fromCodePoint(cp);
      }
      out.push(s.replace(/\0+$/, ''));
    }
    return out;
  }
  const Ctor = CTOR[`${dtype.kind}${size}`];
  const data = new Ctor(count);
  const bytes = new Uint8Array(data.buffer);
  bytes.set(raw);
  if (size > 1 && dtype.bigEndian === HOST_LE) {
    for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  }
  return data;
}

/**
 * A NumPy array: `shape`, `dtype` and the elements in C order (`data`: a typed array, or a list
 * of Python values for object / unicode / bytes dtypes).
 * @example
 * ```ts
 * const a = value as NDArray; a.shape; // [3]
 * a.item(0); // 0.5 (float), 3n (int), true (bool) or the object
 * ```
 */
export class NDArray extends PyObject {
  readonly pyClass = 'numpy.ndarray';
  shape: number[] = [0];
  dtype: NpDType | null = null;
  data: NDData = [];

  /** Sets shape, dtype and elements (raw bytes in `fortran` or C order, or an object list). */
  fill(shape: number[], dtype: PyValue, raw: PyValue, fortran: boolean): this {
    if (!(dtype instanceof NpDType)) throw new PickleDataError('array dtype is not a numpy.dtype');
    const count = product(shape);
    const span = shape.reduce((a, d) => a * Math.max(d, 1), 1);
    if (span > (count === 0 ? MAX_EMPTY_SPAN : MAX_SPAN)) throw new PickleDataError(`array shape (${shape.join(', ')}) is beyond this reader's limits`);
    let data: NDData;
    if (dtype.kind === 'O') {
      if (!Array.isArray(raw) || raw.length !== count) throw new PickleDataError(`object array of shape (${shape.join(', ')}) needs a list of ${count} item(s)`);
      data = [...raw];
    } else {
      if (!(raw instanceof Uint8Array)) throw new PickleDataError(`${dtype.str} array data are not bytes`);
      data = decodeRaw(raw, dtype, count);
    }
    if (fortran && shape.length > 1) {
      const src = data;
      const out: NDData = Array.isArray(src) ? new Array<PyValue>(count) : new (src.constructor as { new (n: number): Exclude<NDData, PyValue[]> })(count);
      fortranToC(src, shape, (c, f) => ((out as unknown as unknown[])[c] = (src as unknown as unknown[])[f]));
      data = out;
    }
    this.shape = shape;
    this.dtype = dtype;
    this.data = data;
    return this;
  }

  /** BUILD state `(version, shape, dtype, is_fortran, rawdata)` (or the 4-tuple without version). */
  override setState(state: PyValue): void {
    if (!isPyTuple(state) || (state.length !== 5 && state.length !== 4)) throw new PickleDataError('ndarray state is not a 4- or 5-tuple');
    const s = state.length === 5 ? state.slice(1) : state;
    if (typeof s[2] !== 'boolean') throw new PickleDataError('ndarray state: is_fortran is not a bool');
    this.fill(shapeOf(s[0]), s[1], s[3], s[2]);
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Element `i` (C order) as its Python value (`ndarray.item(i)`): float → number, int → bigint, bool → boolean. */
  item(i: number): PyValue {
    const v = this.data[i];
    if (this.dtype?.kind === 'b') return v !== 0;
    if (typeof v === 'number' && (this.dtype?.kind === 'i' || this.dtype?.kind === 'u')) return BigInt(v);
    return v as PyValue;
  }

  /** Every element as a float64 (`np.asarray(a, float)`). @throws PickleDataError for elements that are not numbers */
  toFloat64(): Float64Array {
    const out = new Float64Array(this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = pyFloat(this.item(i), 'array element');
    return out;
  }
}

/**
 * Python's `float(x)` on a number-like value (bool, int, float, 1-element array).
 * @throws PickleDataError naming `what` for anything else
 * @example
 * ```ts
 * pyFloat(3n, 'duration'); // 3
 * ```
 */
export function pyFloat(v: PyValue, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof NDArray && v.size === 1) return pyFloat(v.item(0), what);
  throw new PickleDataError(`${what} is not a number`);
}

/** `numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')`: an empty array awaiting BUILD. @example `reconstructArray([ndarrayClass, [0n], b]).setState(state)` */
export function reconstructArray(args: readonly PyValue[]): NDArray {
  if (args.length !== 3) throw new PickleDataError(`_reconstruct takes 3 arguments, got ${args.length}`);
  return new NDArray();
}

/** `numpy.core.numeric._frombuffer(buffer, dtype, shape, order)` (protocol 5). @example `arrayFromBuffer([bytes, new NpDType(['f8', false, true]), Object.freeze([2n]), 'C']).size // 2` */
export function arrayFromBuffer(args: readonly PyValue[]): NDArray {
  if (args.length !== 4) throw new PickleDataError(`_frombuffer takes 4 arguments, got ${args.length}`);
  const order = args[3];
  if (order !== 'C' && order !== 'F') throw new PickleDataError(`_frombuffer order ${String(order)} is not 'C' or 'F'`);
  return new NDArray().fill(shapeOf(args[2]), args[1], args[0], order === 'F');
}

/** `numpy.core.multiarray.scalar(dtype, bytes)`: the scalar's Python value (`np.generic.item()`). @example `arrayScalar([new NpDType(['i8', false, true]), eightBytes]) // 3n` */
export function arrayScalar(args: readonly PyValue[]): PyValue {
  if (args.length < 1 || args.length > 2) throw new PickleDataError(`scalar takes 1 or 2 arguments, got ${args.length}`);
  const [dtype, raw] = args;
  if (!(dtype instanceof NpDType)) throw new PickleDataError('scalar dtype is not a numpy.dtype');
  if (dtype.kind === 'O') return raw ?? null;
  return new NDArray().fill([], dtype, raw ?? null, false).item(0);
}
