/**
 * The collate out of a shared wasm heap into memory outside it (a batch's own buffers, a
 * worker's batch slot). Each response cell and stimulus is written, a run of rows at a time, by
 * the wasm kernels `collateCells` / `padRows` (assembly/collate.ts) into a small staging block
 * of the heap (this thread's `scratch`: at most {@link STAGE_BYTES} per run, so it stays in the
 * CPU cache), placed at the same address mod 8 as the run's destination (buffers start 8-byte
 * aligned, so the byte offset tells; were one not, the copy would be slower, never wrong), then
 * copied out with one `platform.copyBytes` per run (a plain `memcpy` in Node; elsewhere V8's
 * 8-byte relaxed copy, the source and target now being equally aligned). A cell's rows past its
 * own R are pure padding: written in place when the batch is in unshared memory (NaN copied from
 * a block of NaN, a memcpy where V8's `fill(NaN)` is an element loop; mask `fill(0)`, a memset),
 * staged too when it is shared (V8 fills shared memory element by element).
 *
 * Each output byte is still written once, by the copy-out or the fill. The stage is not a
 * second pass over the batch: no run is larger than the stage, the same block is rewritten for
 * every run, and the copy-out reads it from the cache right after the kernel wrote it.
 *
 * Why: V8 copies out of a `SharedArrayBuffer` (`TypedArray.prototype.set`) with relaxed atomic
 * loads, byte by byte when source and target differ mod 8 (rows of odd length make half of them
 * so); the stage makes every copy aligned, and one call per run replaces three to four per row.
 * Figures: docs/loader.md, "Batch memory".
 * @module
 */
import { platform } from '#platform';
import { HeapExhaustedError } from '../errors.js';
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import type { WasmHeap } from '../memory/heap.js';
import { CELL_CLEAN, CELL_DESC, STIM_DESC, writeCellDesc, writeStimDesc } from '../memory/layouts.generated.js';
import type { Tensor } from '../tensor.js';
import type { BatchDims } from './heap-collate.js';
import type { BatchArrays } from './neural-collate.js';

/**
 * Most bytes a staging run holds (responses and mask together; stimuli alone): small enough
 * to stay in a core's L2 cache. A run is at least one row, so rows longer than this (T above
 * ~50 000 bins) make a larger stage.
 * @example
 * ```ts
 * const rowsPerRun = Math.max(1, Math.floor(STAGE_BYTES / (5 * tMax)));
 * ```
 */
export const STAGE_BYTES = 256 * 1024;

/** Bytes before the stages: room for one CellDesc or StimDesc (a run's descriptor). */
const DESC_BYTES = 64;

/** True when `t` is a live HeapTensor of a shared heap: the tensors this module writes. */
const inSharedHeap = (t: unknown): t is HeapTensor => t instanceof HeapTensor && t.heap.shared && !t.freed;

/**
 * Writes the cells and stimuli of one batch that lie in a shared heap into `out` (see the
 * module comment); `cell` and `stim` return false, writing nothing, for any other tensor.
 * @example
 * ```ts
 * const staged = new StagedWriter({ rows, tStim, rMax, tMax }, { stims, responses, validMask });
 * if (!staged.cell(items[0].responses[0], 0)) writeInTypeScript(items[0].responses[0], 0);
 * if (!staged.stim(items[0].stims, 0)) writeStimInTypeScript(items[0].stims, 0);
 * ```
 */
export class StagedWriter {
  /** The heap the stage lies in (the last one used), its bytes and a view of the descriptor. */
  private heap: WasmHeap | null = null;
  /** A heap whose memory could not grow for the stage (its tensors are written in TypeScript). */
  private full: WasmHeap | null = null;
  private bytes: Uint8Array = new Uint8Array(0);
  private desc: DataView = new DataView(new ArrayBuffer(0));
  private descAt = 0;
  private respStage = 0;
  private maskStage = 0;
  /** Response rows per run, stimulus rows per run. */
  private readonly cellRun: number;
  private readonly stimRun: number;
  /** True when the batch's responses lie in shared memory (a worker's batch slot). */
  private readonly sharedOut: boolean;
  /** Byte views of the outputs (created on first use). */
  private outBytes: { responses: Uint8Array; validMask: Uint8Array; stims: Uint8Array } | null = null;

  constructor(
    private readonly d: BatchDims,
    private readonly out: BatchArrays,
  ) {
    this.cellRun = Math.min(d.rMax, Math.max(1, Math.floor(STAGE_BYTES / (5 * Math.max(d.tMax, 1)))));
    this.stimRun = Math.min(d.rows, Math.max(1, Math.floor(STAGE_BYTES / (4 * Math.max(d.tStim, 1)))));
    this.sharedOut = typeof SharedArrayBuffer === 'function' && out.responses.buffer instanceof SharedArrayBuffer;
  }

  /** Writes response cell `k` (its R × T at the top-left of its rMax × tMax block, NaN elsewhere) and its mask block; false if `cell` is not in a shared heap. */
  cell(cell: Tensor, k: number): boolean {
    if (!inSharedHeap(cell)) return false;
    const { rMax, tMax } = this.d;
    if (rMax === 0 || tMax === 0) return true; // an empty block
    if (!this.bind(cell.heap)) return false;
    const [R, T] = cell.shape;
    const flags = cell.nanState === NaNState.Clean ? CELL_CLEAN : 0;
    const out = this.outputs();
    const { responses, validMask } = this.out;
    // Rows past the cell's own are all padding: filled in place, unless the target is shared
    // (V8 fills shared memory element by element; staged, they are copied 8 bytes at a time).
    const staged = this.sharedOut ? rMax : Math.min(R, rMax);
    for (let r0 = 0; r0 < staged; r0 += this.cellRun) {
      const n = Math.min(this.cellRun, staged - r0);
      const e = (k * rMax + r0) * tMax; // first element of the run's rows in the batch
      writeCellDesc(this.desc, 0, { src: cell.ptr + 4 * r0 * T, rows: Math.max(0, Math.min(R - r0, n)), cols: T, flags });
      const sr = this.respStage + ((responses.byteOffset + 4 * e) % 8);
      const sm = this.maskStage + ((validMask.byteOffset + e) % 8);
      cell.heap.kernels.collateCells(this.descAt, 1, n, tMax, sr, sm);
      platform.copyBytes(out.responses, 4 * e, this.bytes.subarray(sr, sr + 4 * n * tMax));
      platform.copyBytes(out.validMask, e, this.bytes.subarray(sm, sm + n * tMax));
    }
    if (staged < rMax) {
      fillNaN(responses, (k * rMax + staged) * tMax, (k + 1) * rMax * tMax);
      validMask.fill(0, (k * rMax + staged) * tMax, (k + 1) * rMax * tMax);
    }
    return true;
  }

  /** Writes item `b`'s stimulus (its rows zero-padded to tStim); false if `stim` is not in a shared heap. */
  stim(stim: Tensor, b: number): boolean {
    if (!inSharedHeap(stim)) return false;
    const { rows, tStim } = this.d;
    if (rows === 0 || tStim === 0) return true;
    if (!this.bind(stim.heap)) return false;
    const T = stim.shape[stim.shape.length - 1];
    const out = this.outputs();
    for (let r0 = 0; r0 < rows; r0 += this.stimRun) {
      const n = Math.min(this.stimRun, rows - r0);
      const e = (b * rows + r0) * tStim;
      writeStimDesc(this.desc, 0, { src: stim.ptr + 4 * r0 * T, cols: T });
      const st = this.respStage + ((this.out.stims.byteOffset + 4 * e) % 8);
      stim.heap.kernels.padRows(this.descAt, 1, n, tStim, st);
      platform.copyBytes(out.stims, 4 * e, this.bytes.subarray(st, st + 4 * n * tStim));
    }
    return true;
  }

  /**
   * Places the descriptor and the stages in `heap`'s scratch block (each stage 8 bytes longer:
   * the mod-8 shift). False when the heap cannot grow enough for it: the caller writes in
   * TypeScript instead.
   */
  private bind(heap: WasmHeap): boolean {
    if (heap === this.heap) return true;
    if (heap === this.full) return false;
    const respBytes = align8(Math.max(4 * this.cellRun * this.d.tMax, 4 * this.stimRun * this.d.tStim) + 8);
    const maskBytes = align8(this.cellRun * this.d.tMax + 8);
    try {
      this.descAt = heap.scratch(DESC_BYTES + respBytes + maskBytes); // 64-aligned; may grow the memory
    } catch (e) {
      if (!(e instanceof HeapExhaustedError)) throw e;
      this.full = heap;
      return false;
    }
    this.respStage = this.descAt + DESC_BYTES;
    this.maskStage = this.respStage + respBytes;
    this.bytes = new Uint8Array(heap.buffer);
    this.desc = new DataView(heap.buffer, this.descAt, Math.max(CELL_DESC.size, STIM_DESC.size));
    this.heap = heap;
    return true;
  }

  // No closure made per call: the bundles keep function names, which defines a property on every
  // closure made (docs/loader.md, "What receiving a batch costs").
  private outputs(): { responses: Uint8Array; validMask: Uint8Array; stims: Uint8Array } {
    return (this.outBytes ??= { responses: bytesOf(this.out.responses), validMask: bytesOf(this.out.validMask), stims: bytesOf(this.out.stims) });
  }
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const bytesOf = (a: Float32Array | Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** 16 384 float32 NaN (64 KB, made on first use), the source of {@link fillNaN}. */
let nanBlock: Float32Array | null = null;

/** Writes the float32 NaN into `a[from, to)` by copies of {@link nanBlock} (`a` unshared). */
function fillNaN(a: Float32Array, from: number, to: number): void {
  const block = (nanBlock ??= new Float32Array(16384).fill(NaN));
  for (let o = from; o < to; o += block.length) a.set(to - o >= block.length ? block : block.subarray(0, to - o), o);
}
