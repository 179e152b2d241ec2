/**
 * `neuralCollate`: items in, one dict batch out (docs/contract.md). The batch's three arrays are
 * new `ArrayBuffer`s (transferable, owned by the garbage collector like any array) allocated
 * without zeroing, and every output byte is written exactly once: each source row is copied to its
 * place, then its padding filled (NaN / 0 for responses and the mask, 0 for stimuli). No second
 * pass. Cells and stimuli in a shared wasm heap go through a small cache-resident stage of
 * that heap, a few rows at a time (src/collate/staged-collate.ts); arrays given by `into` that lie
 * in the cells' shared heap are written by the wasm kernels directly (src/collate/heap-collate.ts).
 * Why this design and what it costs: docs/loader.md, "Batch memory".
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import { platform } from '#platform';
import { isTensor, shapeSize, type Tensor } from '../tensor.js';
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import type { DatasetItem, Meta } from '../contract/types.js';
import { collateInHeap } from './heap-collate.js';
import { StagedWriter } from './staged-collate.js';

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

/** Options of {@link neuralCollate}. */
export interface CollateOptions {
  /**
   * A previous batch whose buffers may be overwritten: when its `stims`, `responses` and
   * `validMask` buffers are large enough, the new batch is written into them (views of the exact
   * size) instead of new memory. The caller must be done with that batch.
   */
  reuse?: Batch;
  /**
   * Called once the batch's sizes are known (responses/mask elements, stimulus elements):
   * arrays of exactly those lengths to write the batch into (e.g. a loader's shared batch slot),
   * or null for new memory. Takes precedence over `reuse`.
   */
  into?: (respCount: number, stimCount: number) => BatchArrays | null;
}

/**
 * The three arrays of a batch (see {@link CollateOptions.into}).
 * @example
 * ```ts
 * const into = (n: number, m: number): BatchArrays => ({ stims: new Float32Array(m), responses: new Float32Array(n), validMask: new Uint8Array(n) });
 * ```
 */
export interface BatchArrays {
  stims: Float32Array;
  responses: Float32Array;
  validMask: Uint8Array;
}

/**
 * Collates dataset items into a batch, each output byte written once. Stimuli may differ only in their
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

  // ---- outputs: written once each (into the recycled batch's buffers when offered and large enough)
  const respCount = B * N * rMax * tMax;
  const reuse = options.reuse;
  const given = options.into?.(respCount, B * rows * tStim);
  const responses = given?.responses ?? output(Float32Array, respCount, reuse?.responses.data);
  const validMask = given?.validMask ?? output(Uint8Array, respCount, reuse?.validMask.data);
  const stims = given?.stims ?? output(Float32Array, B * rows * tStim, reuse?.stims.data);
  const dims = { rows, tStim, rMax, tMax };
  if (!given || !collateInHeap(items, dims, given)) {
    const staged = new StagedWriter(dims, { stims, responses, validMask });
    let k = 0;
    for (const it of items) {
      for (const r of it.responses) {
        if (!staged.cell(r, k)) writeCell(r, k, rMax, tMax, responses, validMask);
        k++;
      }
    }
    items.forEach((it, b) => {
      if (!staged.stim(it.stims, b)) writeRows(it.stims.data, rows, it.stims.shape[it.stims.shape.length - 1], tStim, stims, b * rows * tStim);
    });
  }

  const batch: Batch = {
    stims: { dtype: 'float32', shape: [B, ...stimShape.slice(0, -1), tStim], data: stims },
    responses: { dtype: 'float32', shape: [B, N, rMax, tMax], data: responses },
    validMask: { dtype: 'bool', shape: [B, N, rMax, tMax], data: validMask },
    stimMeta: items.map((it) => it.stimMeta),
  };
  for (const key of Object.keys(first)) {
    if (!CORE_KEYS.has(key)) batch[key] = items.map((it) => it[key]);
  }
  return batch;
}

type ArrayCtor<A> = { new (buffer: ArrayBuffer, offset: number, length: number): A; BYTES_PER_ELEMENT: number };

/** `length` elements over `into`'s buffer when it is large enough, else over a new uninitialised buffer. */
function output<A extends Float32Array | Uint8Array>(Ctor: ArrayCtor<A>, length: number, into: A | undefined): A {
  const bytes = length * Ctor.BYTES_PER_ELEMENT;
  const buffer = into && into.buffer instanceof ArrayBuffer && into.buffer.byteLength >= bytes ? into.buffer : platform.allocUninitialized(bytes);
  return new Ctor(buffer, 0, length);
}

/**
 * Writes response cell `k` (R × T) at the top-left of its (rMax × tMax) block of `out`, NaN
 * elsewhere, and its mask block (1 where the output is not NaN). A cell the packer proved clean
 * (no NaN inside) gets mask rows of 1 without being read.
 */
function writeCell(cell: Tensor, k: number, rMax: number, tMax: number, out: Float32Array, mask: Uint8Array): void {
  const [R, T] = cell.shape;
  const base = k * rMax * tMax;
  const src = cell.data as Float32Array;
  writeRows(src, R, T, tMax, out, base, NaN);
  const clean = cell instanceof HeapTensor && cell.nanState === NaNState.Clean;
  if (clean && T === tMax) {
    mask.fill(1, base, base + R * T);
  } else {
    for (let r = 0; r < R; r++) {
      const o = base + r * tMax;
      if (clean) mask.fill(1, o, o + T);
      else for (let t = 0, s = r * T; t < T; t++, s++) mask[o + t] = src[s] === src[s] ? 1 : 0;
      mask.fill(0, o + T, o + tMax);
    }
  }
  out.fill(NaN, base + R * tMax, base + rMax * tMax);
  mask.fill(0, base + R * tMax, base + rMax * tMax);
}

/** Copies `rows` rows of `cols` values from `src` into rows of `width` at `base`, padding each with `pad`. */
function writeRows(src: Tensor['data'], rows: number, cols: number, width: number, out: Float32Array, base: number, pad = 0): void {
  if (cols === width) {
    out.set(src.subarray(0, rows * cols), base);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const o = base + r * width;
    out.set(src.subarray(r * cols, (r + 1) * cols), o);
    out.fill(pad, o + cols, o + width);
  }
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
