/**
 * Tensors that live in the wasm heap: the packed store of a dataset (docs/performance.md).
 * `data` is a view re-taken whenever memory growth has replaced the buffer, so a `HeapTensor`
 * stays valid for the life of the heap. Kernels read it in place through `ptr`.
 * @module
 */
import type { Tensor } from '../tensor.js';
import { shapeSize } from '../tensor.js';
import { DisposedError } from '../errors.js';
import { defaultHeap, type WasmHeap } from '../memory/heap.js';

/**
 * What the packer knows about NaN inside a cell. `Clean`: no NaN inside, so masks are 1 over
 * the cell without reading it.
 * @example
 * ```ts
 * if (t.nanState === NaNState.Clean) { ... }
 * ```
 */
export const NaNState = { Unknown: 0, Clean: 1, HasNaN: 2 } as const;
/** One of the {@link NaNState} values. */
export type NaNState = (typeof NaNState)[keyof typeof NaNState];

/**
 * A float32 tensor stored in a {@link WasmHeap}. Structurally a `Tensor<'float32'>`.
 * @example
 * ```ts
 * const t = HeapTensor.allocate([2, 3]); // zero-filled, in this thread's heap
 * t.data[0] = 1;
 * ```
 */
export class HeapTensor implements Tensor<'float32'> {
  readonly dtype = 'float32' as const;
  readonly shape: number[];
  readonly heap: WasmHeap;
  /** Byte address of the first element. */
  readonly ptr: number;
  readonly size: number;
  /** NaN knowledge maintained by the packer and by nrnMasks recomputation. */
  nanState: NaNState;
  private view: Float32Array;
  private freedBy: string | null = null;

  constructor(heap: WasmHeap, ptr: number, shape: readonly number[], nanState: NaNState = NaNState.Unknown) {
    this.heap = heap;
    this.ptr = ptr;
    this.shape = [...shape];
    this.size = shapeSize(shape);
    this.nanState = nanState;
    this.view = heap.f32(ptr, this.size);
  }

  /** The elements, a view into the heap (never a copy). Throws `DisposedError` once its memory was given back. */
  get data(): Float32Array {
    if (this.freedBy !== null) throw new DisposedError(`this tensor's memory was given back to the wasm heap: ${this.freedBy}`);
    if (this.view.buffer !== this.heap.memory.buffer) this.view = this.heap.f32(this.ptr, this.size);
    return this.view;
  }

  /**
   * Marks the tensor unusable: its block was freed (`why` ends the `DisposedError` message).
   * @internal
   */
  markFreed(why: string): void {
    this.freedBy = why;
  }

  /** True once its memory was given back (see {@link HeapTensor.markFreed}). */
  get freed(): boolean {
    return this.freedBy !== null;
  }

  /** A zero-filled tensor of `shape` in `heap` (its own block: `heap.free(t.ptr)` gives it back). */
  static allocate(shape: readonly number[], heap: WasmHeap = defaultHeap()): HeapTensor {
    const size = shapeSize(shape);
    return new HeapTensor(heap, heap.alloc(4 * Math.max(size, 1)), shape);
  }
}

/**
 * True when `t` lives in `heap`, so kernels can read it by address.
 * @example
 * ```ts
 * if (inHeap(t, heap)) kernels.anyNaN(t.ptr, t.size);
 * ```
 */
export function inHeap(t: Tensor, heap: WasmHeap): t is HeapTensor {
  return t instanceof HeapTensor && t.heap === heap;
}

/**
 * Copies tensors into one contiguous block of `heap` (one allocation) and returns the heap
 * tensors in the same order, each flagged Clean or HasNaN by the anyNaN kernel. Tensors already
 * in the heap are returned as they are. The block's address is pushed onto `blocks` when given
 * (the caller owns it: `heap.free` gives it back).
 * @example
 * ```ts
 * const [a, b] = packTensors([{ dtype: 'float32', shape: [2], data: new Float32Array([1, NaN]) }, other]);
 * a.nanState; // NaNState.HasNaN
 * ```
 */
export function packTensors(tensors: readonly Tensor[], heap: WasmHeap = defaultHeap(), blocks?: number[]): HeapTensor[] {
  // A tensor object that appears several times is packed once and stays one object.
  const unique = new Map<Tensor, HeapTensor | null>();
  let total = 0;
  for (const t of tensors) {
    if (inHeap(t, heap) || unique.has(t)) continue;
    unique.set(t, null);
    total += 4 * ((shapeSize(t.shape) + 3) & ~3);
  }
  let off = total > 0 ? heap.alloc(total, 64) : 0;
  if (total > 0) blocks?.push(off);
  for (const t of unique.keys()) {
    const n = shapeSize(t.shape);
    const ht = new HeapTensor(heap, off, t.shape);
    ht.data.set(t.data as ArrayLike<number>);
    ht.nanState = heap.kernels.anyNaN(off, n) ? NaNState.HasNaN : NaNState.Clean;
    off += 4 * ((n + 3) & ~3); // keep every cell 16-byte aligned for the SIMD loops
    unique.set(t, ht);
  }
  return tensors.map((t) => (inHeap(t, heap) ? t : (unique.get(t) as HeapTensor)));
}
