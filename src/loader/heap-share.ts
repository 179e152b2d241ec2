/**
 * Describing a dataset's packed store to a worker, and rebuilding it there.
 *
 * Shared memory (Node always; browsers when `crossOriginIsolated`): the worker attaches to the
 * parent's `WebAssembly.Memory` and reads the cells in place — no copy at all. Otherwise the
 * worker gets one structured copy of the byte range `[lo, hi)` that holds every stimulus and
 * cell, placed at the same addresses in a fresh heap (its allocator is moved past `hi` first),
 * so the pointers in the tables stay valid. Either way the tables (pointer and shape of every
 * stimulus and (stimulus, neuron) cell) are sent once; batches then travel as index lists.
 * @module
 */
import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { WasmHeap } from '../memory/heap.js';
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import type { NeuralDataset } from '../contract/neural-dataset.js';
import type { Meta } from '../contract/types.js';
import type { CellSource } from '../contract/item.js';
import { CELL_COLS, STIM_COLS, type DatasetInfo, type StoreDescription } from './protocol.js';
import { sameValues } from '../util/same-values.js';

/**
 * How the store reaches workers: `'auto'` = shared memory when the heap is shared, else a copy.
 * @example
 * ```ts
 * const transport: StoreTransport = 'copy'; // e.g. to test the fallback in Node
 * new DataLoader(ds, { numWorkers: 2, transport });
 * ```
 */
export type StoreTransport = 'auto' | 'shared' | 'copy';

/** Facts about a dataset a transform may need. */
export function datasetInfo(ds: NeuralDataset): DatasetInfo {
  const a = ds as NeuralDataset & { audioFs?: number | null; F?: number; hop?: number | null };
  return {
    className: ds.constructor.name,
    path: ds.path,
    dtMs: ds.dtMs,
    audioFs: typeof a.audioFs === 'number' ? a.audioFs : null,
    F: typeof a.F === 'number' && a.F > 0 ? a.F : null,
    hop: typeof a.hop === 'number' ? a.hop : null,
  };
}

const heapOf = (t: Tensor): WasmHeap | null => (t instanceof HeapTensor ? t.heap : null);

/** Where every cell of a dataset lives: the tables a worker rebuilds the store from. */
export interface StoreTables {
  heap: WasmHeap;
  /** Per stimulus: ptr, rank, dims. */
  stimTable: Uint32Array;
  /** Per (s, n): ptr, R, T, NaN state. */
  cellTable: Uint32Array;
  /** The byte range holding every stimulus and cell (16-aligned). */
  lo: number;
  hi: number;
}

/**
 * The tables of `ds`'s store (one pass over the S × N cells, no data read). Throws `ValueError`
 * when a tensor is not in the store (assigned after `validate()`).
 */
export function storeTables(ds: NeuralDataset): StoreTables {
  const S = ds.stims.length;
  const N = ds.nNeurons;
  void ds.nrnMasks; // settles every cell's NaN state, which the kernels' fast path reads
  const heap = heapOf(ds.stims[0]);
  if (heap === null) throw new ValueError(`${ds.constructor.name}: stims[0] is not in the packed store; call validate() after assigning tensors`);
  const stimTable = new Uint32Array(S * STIM_COLS);
  const cellTable = new Uint32Array(S * N * CELL_COLS);
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  const place = (t: Tensor, what: string): HeapTensor => {
    if (!(t instanceof HeapTensor) || t.heap !== heap) {
      throw new ValueError(`${ds.constructor.name}: ${what} is not in the dataset's packed store; call validate() after assigning tensors`);
    }
    lo = Math.min(lo, t.ptr);
    hi = Math.max(hi, t.ptr + 4 * t.size);
    return t;
  };
  for (let s = 0; s < S; s++) {
    const st = place(ds.stims[s], `stims[${s}]`);
    if (st.shape.length > STIM_COLS - 2) throw new ValueError(`stims[${s}] has ${st.shape.length} axes; the loader supports up to ${STIM_COLS - 2}`);
    stimTable[s * STIM_COLS] = st.ptr;
    stimTable[s * STIM_COLS + 1] = st.shape.length;
    st.shape.forEach((d, a) => (stimTable[s * STIM_COLS + 2 + a] = d));
    const row = ds.responses[s];
    for (let n = 0; n < N; n++) {
      const c = place(row[n], `responses[${s}][${n}]`);
      const k = (s * N + n) * CELL_COLS;
      cellTable[k] = c.ptr;
      cellTable[k + 1] = c.shape[0];
      cellTable[k + 2] = c.shape[1];
      cellTable[k + 3] = c.nanState;
    }
  }
  return { heap, stimTable, cellTable, lo: Math.floor(lo / 16) * 16, hi: Math.ceil(hi / 16) * 16 };
}

/** True when two table sets describe the same cells (so running workers are still valid). */
export function sameTables(a: StoreTables, b: StoreTables): boolean {
  return a.heap === b.heap && sameValues(a.stimTable, b.stimTable) && sameValues(a.cellTable, b.cellTable);
}

/**
 * The description of `ds`'s store for one worker (call once per worker: copy mode transfers
 * a fresh copy of the bytes).
 */
export function describeStore(ds: NeuralDataset, tables: StoreTables, transport: StoreTransport): { description: StoreDescription; transfer: Transferable[] } {
  const { heap, lo, hi } = tables;
  if (transport === 'shared' && !heap.shared) {
    throw new ValueError("transport 'shared' needs shared wasm memory: this page is not cross-origin isolated (use 'auto' or 'copy')");
  }
  const mode = transport === 'copy' || !heap.shared ? 'copy' : 'shared';
  const bytes = mode === 'copy' ? (heap.u8(lo, hi - lo).slice().buffer as ArrayBuffer) : null;
  let stimMeta: Meta[] | null = null;
  try {
    stimMeta = structuredClone(ds.stimMeta);
  } catch {
    stimMeta = null; // metadata holding functions or class instances stays on the main thread
  }
  return {
    description: {
      mode, memory: mode === 'shared' ? heap.memory : null, header: heap.header, bytes, lo, hi,
      nStims: ds.stims.length, nNeurons: ds.nNeurons, stimTable: tables.stimTable.slice(), cellTable: tables.cellTable.slice(),
      stimMeta, info: datasetInfo(ds),
    },
    transfer: bytes ? [bytes] : [],
  };
}

/** The store rebuilt in a worker: heap tensors over the same cells, created on demand. */
export class AttachedStore implements CellSource {
  readonly heap: WasmHeap;
  readonly description: StoreDescription;
  private readonly views = new Map<number, HeapTensor>();

  constructor(d: StoreDescription) {
    this.description = d;
    if (d.mode === 'shared') {
      if (!d.memory) throw new ValueError('shared store description without a memory');
      this.heap = WasmHeap.attach(d.memory, true, d.header);
    } else {
      const heap = WasmHeap.create({ shared: false });
      const top = heap.stats().top;
      if (heap.header !== d.header || top + 16 > d.lo) {
        throw new ValueError(`cannot place the store copy: worker heap header ${heap.header} / top ${top}, parent header ${d.header}, cells from ${d.lo}`);
      }
      heap.reserveBelow(d.hi); // one block up to hi (16-aligned): the copy goes in at the parent's addresses
      if (!d.bytes) throw new ValueError('copy store description without bytes');
      heap.u8(d.lo, d.hi - d.lo).set(new Uint8Array(d.bytes));
      this.heap = heap;
    }
  }

  private view(ptr: number, shape: number[], nan: number): HeapTensor {
    let t = this.views.get(ptr);
    if (!t || t.shape.length !== shape.length || t.shape.some((v, i) => v !== shape[i])) {
      t = new HeapTensor(this.heap, ptr, shape, nan as NaNState);
      this.views.set(ptr, t);
    }
    return t;
  }

  /** Stimulus `s` (absolute index). */
  stim(s: number): HeapTensor {
    const d = this.description;
    if (!(s >= 0 && s < d.nStims)) throw new RangeError(`stimulus index ${s} out of range for ${d.nStims} stimuli`);
    const k = s * STIM_COLS;
    const rank = d.stimTable[k + 1];
    return this.view(d.stimTable[k], Array.from(d.stimTable.subarray(k + 2, k + 2 + rank)), NaNState.Clean);
  }

  /** Cell (s, n) (absolute indices). Cells sharing memory (the sentinel) share one view. */
  cell(s: number, n: number): HeapTensor {
    const d = this.description;
    if (!(n >= 0 && n < d.nNeurons)) throw new RangeError(`neuron index ${n} out of range for ${d.nNeurons} neurons`);
    const k = (s * d.nNeurons + n) * CELL_COLS;
    const t = d.cellTable;
    return this.view(t[k], [t[k + 1], t[k + 2]], t[k + 3]);
  }

  /** 1 where cell (s, n) is real data: its NaN state, settled by `storeTables` from `nrnMasks`. */
  valid(s: number, n: number): number {
    return this.description.cellTable[(s * this.description.nNeurons + n) * CELL_COLS + 3] === NaNState.Clean ? 1 : 0;
  }

  /** The structured copy of stimulus `s`'s metadata (`{}` when it could not be cloned; the loader delivers the dataset's own). */
  stimMeta(s: number): Meta {
    return this.description.stimMeta?.[s] ?? {};
  }
}
