/**
 * `fillMissingData` (docs/contract.md): pad tensors to their element-wise maximum along chosen axes
 * and stack them on a new leading axis. Any dtype; the general tool behind the stimulus half of
 * the collate (which runs the same operation in TypeScript, or through the wasm `padRows` kernel
 * into a heap slot: src/collate/heap-collate.ts).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { isTensor, shapeSize, type DType, type Tensor, type TypedArray } from '../tensor.js';

/**
 * Pads `tensors` to the element-wise maximum along `dims` (an axis or a list; negatives count
 * from the end of the first tensor), fills with `value`, and stacks: output `(S, D0', …)`.
 * Errors: empty input → `ValueError`; a non-tensor → `TypeError`; an axis out of range →
 * `RangeError`; differing rank, dtype or non-padded axis sizes → `ShapeError`/`ValueError`.
 * @example
 * ```ts
 * const a = tensor('float32', [1, 3], [1, 2, 3]);
 * const b = tensor('float32', [1, 1], [4]);
 * fillMissingData([a, b], -1, 0).data; // [1, 2, 3, 4, 0, 0], shape [2, 1, 3]
 * ```
 */
export function fillMissingData<D extends DType>(tensors: readonly Tensor<D>[], dims: number | readonly number[], value = 0): Tensor<D> {
  if (!tensors || tensors.length === 0) throw new ValueError('fillMissingData: needs at least one tensor');
  tensors.forEach((t, i) => {
    if (!isTensor(t)) throw new TypeError(`fillMissingData: entry ${i} is not a tensor`);
  });
  const first = tensors[0];
  const nd = first.shape.length;
  const axes = [...new Set((typeof dims === 'number' ? [dims] : [...dims]).map((d) => {
    if (!Number.isInteger(d) || d < -nd || d >= nd) throw new RangeError(`fillMissingData: axis ${d} is out of range for ${nd}-D tensors`);
    return d < 0 ? d + nd : d;
  }))].sort((a, b) => a - b);
  tensors.forEach((t, i) => {
    if (t.shape.length !== nd) throw new ShapeError(`fillMissingData: tensor ${i} has ${t.shape.length} axes, tensor 0 has ${nd}`);
    if (t.dtype !== first.dtype) throw new ValueError(`fillMissingData: tensor ${i} has dtype ${t.dtype}, tensor 0 has ${first.dtype}`);
    for (let a = 0; a < nd; a++) {
      if (!axes.includes(a) && t.shape[a] !== first.shape[a]) {
        throw new ShapeError(`fillMissingData: tensor ${i} axis ${a} has size ${t.shape[a]}, tensor 0 has ${first.shape[a]} (axis ${a} is not padded)`);
      }
    }
  });
  const padded = first.shape.map((n, a) => (axes.includes(a) ? Math.max(...tensors.map((t) => t.shape[a])) : n));
  const per = shapeSize(padded);
  const Ctor = first.data.constructor as new (n: number) => TypedArray;
  const out = new Ctor(tensors.length * per);
  out.fill(value);
  tensors.forEach((t, i) => copyCorner(t.data, t.shape, out, i * per, padded));
  return { dtype: first.dtype, shape: [tensors.length, ...padded], data: out as Tensor<D>['data'] };
}

/** Copies `src` (shape `shape`) into the low corner of a `padded` block at `dst[base…]`, a row at a time. */
function copyCorner(src: TypedArray, shape: readonly number[], dst: TypedArray, base: number, padded: readonly number[]): void {
  const nd = shape.length;
  if (shapeSize(shape) === 0) return;
  if (nd === 0) {
    dst[base] = src[0];
    return;
  }
  const T = shape[nd - 1];
  const idx = new Array(nd - 1).fill(0);
  const rows = shapeSize(shape.slice(0, -1));
  for (let r = 0; r < rows; r++) {
    let off = 0;
    for (let a = 0; a < nd - 1; a++) off = off * padded[a] + idx[a];
    (dst as Float32Array).set((src as Float32Array).subarray(r * T, r * T + T), base + off * padded[nd - 1]);
    for (let a = nd - 2; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
}
