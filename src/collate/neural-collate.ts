/**
 * `neuralCollate`: items in, one dict batch out (CONTRACT §4), through the wasm kernels.
 * Cells already in the store are read in place by address; other tensors are staged into the
 * heap's scratch block first. The kernels write into scratch, and each output is copied out
 * once into its own buffer (transferable to another thread).
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { isTensor, shapeSize, type Tensor } from '../tensor.js';
import { defaultHeap, type WasmHeap } from '../wasm/heap.js';
import { NaNState, inHeap } from '../store/heap-tensor.js';
import type { Meta } from '../dataset/types.js';

/** An item as `neuralCollate` reads it: the contract's keys plus any extra keys. */
export interface CollateItem {
  stims: Tensor;
  responses: readonly Tensor[];
  stimMeta: Meta;
  [key: string]: unknown;
}

/**
 * A batch (CONTRACT §4.2): `stims` `(B, …, T_stim_max)` zero-padded, `responses`
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
const align16 = (n: number) => (n + 15) & ~15;

/**
 * Collates dataset items into a batch with the wasm kernels. Stimuli may differ only in their
 * last axis; responses must be 2-D `(R, T)` and every item must hold the same number of neurons.
 * Everything is float32.
 * @example
 * ```ts
 * const batch = neuralCollate(ds.get([0, 1, 2]) as never); // or items from ds.get(i)
 * const items = [0, 1, 2].map((i) => ds.get(i));
 * const { stims, responses, validMask, stimMeta } = neuralCollate(items);
 * ```
 */
export function neuralCollate(items: readonly CollateItem[], heap: WasmHeap = defaultHeap()): Batch {
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

  // ---- one copy out each
  const batch: Batch = {
    stims: { dtype: 'float32', shape: [B, ...stimShape.slice(0, -1), tStim], data: heap.f32(base + stimOff, stimCount).slice() },
    responses: { dtype: 'float32', shape: [B, N, rMax, tMax], data: heap.f32(base + respOff, respCount).slice() },
    validMask: { dtype: 'bool', shape: [B, N, rMax, tMax], data: heap.u8(base + maskOff, respCount).slice() },
    stimMeta: items.map((it) => it.stimMeta),
  };
  for (const key of Object.keys(first)) {
    if (!CORE_KEYS.has(key)) batch[key] = items.map((it) => it[key]);
  }
  return batch;
}

/** Checks that every stimulus is a tensor of the same rank and the same non-last axes. */
function checkStims(items: readonly CollateItem[]): number[] {
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
