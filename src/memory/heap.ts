/**
 * The wasm heap: one `WebAssembly.Memory` per thread (or one shared by the main thread and the
 * loader's workers), the kernels bound to it, and a bump allocator whose pointer lives in the
 * memory itself so that threads sharing the memory allocate without overlapping.
 *
 * Memory layout: [0, heapBase) kernel statics · [header, header + 64) allocator header
 * (+0: u32 bump pointer, updated with Atomics) · [header + 64, …) allocations, 16-byte aligned.
 * Nothing is ever freed; scratch space for batches is reused (see `scratch`).
 * @module
 */
import { platform } from '#platform';
import { instantiateKernels, type KernelExports } from './instantiate.js';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit
const HEADER_BYTES = 64;

/** Rounds `n` up to a multiple of `a` (a power of two). */
const alignUp = (n: number, a: number) => Math.ceil(n / a) * a; // not bitwise: addresses pass 2^31

/**
 * A wasm memory with the kernels instantiated over it and an allocator.
 * @example
 * ```ts
 * const heap = defaultHeap();
 * const p = heap.alloc(4 * 10);
 * heap.f32(p, 10).fill(1);
 * ```
 */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly kernels: KernelExports;
  /** Byte address of the allocator header. */
  readonly header: number;
  private scratchPtr = 0;
  private scratchBytes = 0;

  private constructor(memory: WebAssembly.Memory, shared: boolean, header: number | undefined) {
    this.memory = memory;
    this.shared = shared;
    this.kernels = instantiateKernels(memory, shared);
    if (header === undefined) {
      this.header = alignUp(this.kernels.heapBase(), HEADER_BYTES);
      this.ensure(this.header + HEADER_BYTES);
      Atomics.store(this.i32(this.header, 1), 0, this.header + HEADER_BYTES);
    } else {
      this.header = header;
    }
  }

  /** A new heap with a fresh memory, shared when the platform allows and `shared` is not false. */
  static create(options: { shared?: boolean } = {}): WasmHeap {
    const shared = options.shared ?? platform.sharedMemoryAvailable();
    const memory = shared
      ? new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true })
      : new WebAssembly.Memory({ initial: 16 });
    return new WasmHeap(memory, shared, undefined);
  }

  /** Binds to a memory another thread created (its header address travels with it). */
  static attach(memory: WebAssembly.Memory, shared: boolean, header: number): WasmHeap {
    return new WasmHeap(memory, shared, header);
  }

  /** The memory's current buffer (re-read after every allocation: growth replaces it). */
  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }

  /** Allocates `bytes` bytes aligned to `align` (a power of two ≥ 16 is typical). */
  alloc(bytes: number, align = 16): number {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${bytes} bytes`);
    const top = this.i32(this.header, 1);
    for (;;) {
      const cur = Atomics.load(top, 0) >>> 0;
      const start = alignUp(cur, align);
      const end = start + alignUp(bytes, 16);
      if (end > MAX_PAGES * PAGE) {
        throw new RangeError(`deepstrf wasm heap exhausted: ${end} bytes needed, the wasm32 limit is 4 GiB`);
      }
      if ((Atomics.compareExchange(top, 0, cur | 0, end | 0) >>> 0) === cur) {
        this.ensure(end);
        return start;
      }
    }
  }

  /**
   * A reusable scratch block of at least `bytes` bytes for this thread's kernels. The previous
   * block is abandoned when a larger one is needed (grows by 1.5×, so waste stays bounded).
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      const size = Math.max(bytes, Math.ceil(this.scratchBytes * 1.5), 1 << 16);
      this.scratchPtr = this.alloc(size, 64);
      this.scratchBytes = size;
    }
    return this.scratchPtr;
  }

  /** Bytes currently allocated (the bump pointer). */
  get used(): number {
    return Atomics.load(this.i32(this.header, 1), 0) >>> 0;
  }

  /** Float32 view of `length` elements at byte address `ptr`. */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }
  /** Uint8 view. */
  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }
  /** Uint32 view. */
  u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, ptr, length);
  }
  /** Int32 view. */
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // Grow by at least an eighth of the current size: fewer grow calls (each replaces the buffer).
    const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 8));
    this.memory.grow(Math.min(pages, MAX_PAGES - have / PAGE));
  }
}

let current: WasmHeap | undefined;

/**
 * This thread's heap, created on first use (shared memory where the platform allows).
 * @example
 * ```ts
 * const heap = defaultHeap(); heap.kernels.anyNaN(ptr, n);
 * ```
 */
export function defaultHeap(): WasmHeap {
  current ??= WasmHeap.create();
  return current;
}

/** Replaces this thread's heap (a worker attaching to its parent's shared memory). */
export function setDefaultHeap(heap: WasmHeap): void {
  current = heap;
}
