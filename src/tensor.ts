/**
 * The tensor type of the data contract: a dtype, a row-major shape and a flat typed array.
 * Plain `{ dtype, shape, data }` objects are tensors; nothing here needs a class.
 * @module
 */
import { ShapeError } from './errors.js';

/** Element types a tensor can hold. `bool` is stored as a `Uint8Array` of 0/1. */
export type DType = 'float32' | 'float64' | 'int32' | 'uint8' | 'bool';

/** The typed array behind each dtype. */
export interface DTypeArrays {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

/** Any typed array a tensor may hold. */
export type TypedArray = DTypeArrays[DType];

/**
 * A row-major n-dimensional array: `data.length` equals the product of `shape`.
 * @example
 * ```ts
 * const t: Tensor<'float32'> = { dtype: 'float32', shape: [2, 3], data: new Float32Array(6) };
 * ```
 */
export interface Tensor<D extends DType = DType> {
  dtype: D;
  shape: number[];
  data: DTypeArrays[D];
}

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

/**
 * Number of elements of a shape (1 for a scalar shape `[]`).
 * @example
 * ```ts
 * shapeSize([2, 3, 4]); // 24
 * ```
 */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Builds a tensor, checking that the data length matches the shape.
 * @example
 * ```ts
 * const t = tensor('float32', [2, 2], [1, 2, 3, 4]);
 * ```
 */
export function tensor<D extends DType>(
  dtype: D,
  shape: readonly number[],
  data?: DTypeArrays[D] | ArrayLike<number>,
): Tensor<D> {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`invalid shape [${shape.join(', ')}]: axis sizes must be non-negative integers`);
  }
  const n = shapeSize(shape);
  const Ctor = CTORS[dtype];
  let arr: DTypeArrays[D];
  if (data === undefined) arr = new Ctor(n) as DTypeArrays[D];
  else if (data instanceof Ctor) arr = data as DTypeArrays[D];
  else arr = Ctor.from(data as ArrayLike<number>) as DTypeArrays[D];
  if (arr.length !== n) {
    throw new ShapeError(`data has ${arr.length} elements but shape [${shape.join(', ')}] needs ${n}`);
  }
  return { dtype, shape: [...shape], data: arr };
}

/**
 * A tensor filled with one value.
 * @example
 * ```ts
 * const sentinel = full('float32', [1, 1], NaN);
 * ```
 */
export function full<D extends DType>(dtype: D, shape: readonly number[], value: number): Tensor<D> {
  const t = tensor(dtype, shape);
  t.data.fill(value);
  return t;
}

/**
 * True when `x` looks like a tensor: a dtype string, a numeric shape array and a typed array
 * whose length matches the shape.
 * @example
 * ```ts
 * isTensor({ dtype: 'float32', shape: [1], data: new Float32Array(1) }); // true
 * ```
 */
export function isTensor(x: unknown): x is Tensor {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Partial<Tensor>;
  return (
    typeof t.dtype === 'string' &&
    t.dtype in CTORS &&
    Array.isArray(t.shape) &&
    ArrayBuffer.isView(t.data) &&
    (t.data as TypedArray).length === shapeSize(t.shape)
  );
}

/**
 * The data of a tensor as float32 (the same array when it already is float32).
 * @example
 * ```ts
 * const f = asFloat32(tensor('float64', [2], [1, 2])); // Float32Array [1, 2]
 * ```
 */
export function asFloat32(t: Tensor): Float32Array {
  return t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>);
}

/**
 * Index into a row-major shape: flat offset of a multi-index.
 * @example
 * ```ts
 * flatIndex([2, 3], [1, 2]); // 5
 * ```
 */
export function flatIndex(shape: readonly number[], index: readonly number[]): number {
  let off = 0;
  for (let i = 0; i < shape.length; i++) off = off * shape[i] + index[i];
  return off;
}
