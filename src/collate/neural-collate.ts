/**
 * `neuralCollate`: items in, one dict batch out (docs/contract.md), through the wasm kernels.
 * Cells already in the store are read in place by address; other tensors are staged into the
 * heap's scratch block first. The kernels write into scratch, and each output is copied out
 * once into its own buffer (transferable to another thread).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { isTensor, shapeSize, type Tensor } from '../tensor.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';
import { NaNState, inHeap } from '../memory/heap-tensor.js';
import type { DatasetItem, Meta } from '../contract/types.js';

/**
 * A batch (docs/contract.md): `stims` `(B, …, T_stim_max)` zero-padded, `responses`
 * `(B, N, R_max, T_resp_max)` NaN-padded, `validMask` = not-NaN of `responses` (bool, same
 * shape), `stimMeta` (length B), then every extra item key as a length-B array.
 * @example
 * ```ts
 * const batch: Batch = neuralCollate([ds.get(0), ds.get(1)]);
 * batch.responses.shape; // [2, N, R_max, T_max]
 * ```
 */
export interface Batch {
  stims: Tensor<'float32'>;
  responses: Tensor<'float32'>;
  validMask: Tensor<'bool'>;
  stimMeta: Meta[];
  [key: string]: unknown;
}

const CORE_KEYS = new Set(['stims', 'responses', 'validMask', 'stimMeta']);
const align16 = (n: number) => Math.ceil(n / 16) * 16;

/** Options of {@link neuralCollate}. */
export interface CollateOptions {
  /** The heap whose kernels run (default: this thread's). */
  heap?: WasmHeap;
  /**
   * A previous batch whose buffers may be overwritten: when its `stims`, `responses` and
   * `validMask` buffers are large enough, the new batch is written into them (views of the exact
   * size) instead of fresh memory. Fresh buffers cost a page fault per 4 KiB on first touch,
   * which dominates on some machines; a training loop that is done with a batch can recycle it.
   */
  reuse?: Batch;
}

/**
 * Collates dataset items into a batch with the wasm kernels. Stimuli may differ only in their
 * last axis; responses must be 2-D `(R, T)` and every item must hold the same number of neurons.
 * Everything is float32.
 * @example
 * ```ts
 * const items = [0, 1, 2].map((i) => ds.get(i));
 * const { stims, responses, validMask, stimMeta } = neuralCollate(items);
 * // recycle the previous batch's memory once it is no longer needed:
 * let batch = neuralCollate(items);
 * batch = neuralCollate(otherItems, { reuse: batch });
 * ```
 */
export function neuralCollate(items: readonly DatasetItem[], options: CollateOptions = {}): Batch {
  const heap = options.heap ?? defaultHeap();
  if (!items || items.length === 0) throw new ValueError('neuralCollate needs a non-empty array of items');
  const B = items.length;
  const first = items[0];
  if (!first || !Array.isArray(first.responses)) throw new TypeError('neuralCollate: items must have a responses array');
  const N = first.responses.length;

  // ---- shapes
  const stimShape = checkStims(items);
  const rows = shapeSize(stimShape.slice(0, -1));
  let tStim = 0;
  for (const it of items) tStim = Math.max(tStim, it.stims.shape[it.stims.shape.length - 1]);
  let rMax = 0;
  let tMax = 0;
  items.forEach((it, b) => {
    const resp: readonly Tensor[] = it.responses;
    if (!Array.isArray(resp) || resp.length !== N) {
      throw new ShapeError(`neuralCollate: item ${b} has ${resp?.length} responses, item 0 has ${N}: every item needs the same neurons`);
    }
    resp.forEach((r: Tensor, n: number) => {
      if (!isTensor(r) || r.shape.length !== 2) {
        throw new ShapeError(`neuralCollate: item ${b} response ${n} must be a 2-D (R, T) tensor${isTensor(r) ? `, got shape [${r.shape.join(', ')}]` : ''}`);
      }
      rMax = Math.max(rMax, r.shape[0]);
      tMax = Math.max(tMax, r.shape[1]);
    });
  });

  // ---- scratch layout: [cell descriptors][stim descriptors][staging][responses out][mask][stims out]
  const cells = B * N;
  let staging = 0;
  for (const it of items) {
    if (!inHeap(it.stims, heap)) staging += align16(4 * shapeSize(it.stims.shape));
    for (const r of it.responses) if (!inHeap(r, heap)) staging += align16(4 * shapeSize(r.shape));
  }
  const respCount = cells * rMax * tMax;
  const stimCount = B * rows * tStim;
  const descOff = 0;
  const stimDescOff = align16(descOff + 16 * cells);
  const stagingOff = align16(stimDescOff + 8 * B);
  const respOff = align16(stagingOff + staging);
  const maskOff = align16(respOff + 4 * respCount);
  const stimOff = align16(maskOff + respCount);
  const base = heap.scratch(stimOff + 4 * stimCount + 16);

  // ---- descriptors (views taken after scratch: it may have grown the memory)
  const desc = heap.u32(base + descOff, 4 * cells);
  const stimDesc = heap.u32(base + stimDescOff, 2 * B);
  let stage = base + stagingOff;
  const place = (t: Tensor): number => {
    if (inHeap(t, heap)) return t.ptr;
    const p = stage;
    heap.f32(p, t.data.length).set(t.data as ArrayLike<number>);
    stage += align16(4 * t.data.length);
    return p;
  };
  let k = 0;
  items.forEach((it, b) => {
    stimDesc[2 * b] = place(it.stims);
    stimDesc[2 * b + 1] = it.stims.shape[it.stims.shape.length - 1];
    for (const r of it.responses) {
      const clean = inHeap(r, heap) && r.nanState === NaNState.Clean ? 1 : 0;
      desc[4 * k] = place(r);
      desc[4 * k + 1] = r.shape[0];
      desc[4 * k + 2] = r.shape[1];
      desc[4 * k + 3] = clean;
      k++;
    }
  });

  // ---- kernels
  heap.kernels.collateCells(base + descOff, cells, rMax, tMax, base + respOff, base + maskOff);
  heap.kernels.padRows(base + stimDescOff, B, rows, tStim, base + stimOff);

  // ---- one copy out each (into recycled buffers when offered and large enough)
  const r = options.reuse;
  const batch: Batch = {
    stims: { dtype: 'float32', shape: [B, ...stimShape.slice(0, -1), tStim], data: copyOut(heap.f32(base + stimOff, stimCount), r?.stims.data) },
    responses: { dtype: 'float32', shape: [B, N, rMax, tMax], data: copyOut(heap.f32(base + respOff, respCount), r?.responses.data) },
    validMask: { dtype: 'bool', shape: [B, N, rMax, tMax], data: copyOut(heap.u8(base + maskOff, respCount), r?.validMask.data) },
    stimMeta: items.map((it) => it.stimMeta),
  };
  for (const key of Object.keys(first)) {
    if (!CORE_KEYS.has(key)) batch[key] = items.map((it) => it[key]);
  }
  return batch;
}

/** Copies a wasm view into `into`'s buffer when it fits, else into a fresh buffer. */
function copyOut<A extends Float32Array | Uint8Array>(src: A, into: A | undefined): A {
  if (into && into.buffer.byteLength >= src.byteLength) {
    const view = new (src.constructor as new (b: ArrayBufferLike, o: number, n: number) => A)(into.buffer, 0, src.length);
    view.set(src);
    return view;
  }
  return src.slice() as A;
}

/** Checks that every stimulus is a tensor of the same rank and the same non-last axes. */
function checkStims(items: readonly DatasetItem[]): number[] {
  const ref = items[0].stims;
  if (!isTensor(ref) || ref.shape.length < 1) throw new ShapeError('neuralCollate: item 0 stims must be a tensor with at least one axis');
  items.forEach((it, b) => {
    const s = it.stims;
    if (!isTensor(s)) throw new ShapeError(`neuralCollate: item ${b} stims is not a tensor`);
    if (s.shape.length !== ref.shape.length) {
      throw new ShapeError(`neuralCollate: item ${b} stims has ${s.shape.length} axes, item 0 has ${ref.shape.length}`);
    }
    for (let a = 0; a < s.shape.length - 1; a++) {
      if (s.shape[a] !== ref.shape[a]) {
        throw new ShapeError(`neuralCollate: item ${b} stims axis ${a} has size ${s.shape[a]}, item 0 has ${ref.shape[a]}; only the last (time) axis may differ`);
      }
    }
  });
  return ref.shape;
}
