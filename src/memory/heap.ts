/**
 * The wasm heap: one `WebAssembly.Memory` per thread (or one shared by the main thread and the
 * loader's workers), the kernels bound to it, and an allocator whose state lives in the memory
 * itself, so that threads sharing the memory allocate and free without overlapping.
 *
 * Memory layout: [0, heapBase) kernel statics · [header, header + 256) allocator header ·
 * [header + 256, top) blocks · [top, end) never handed out or given back to the top.
 *
 * Header (u32 words): 0 lock (owner id holding it, 0 = free; taken with Atomics) · 1 top ·
 * 2 held bytes (blocks in use, headers included) · 3 limit in pages · 4 next owner id ·
 * 5 bitmap of non-empty bins · 6 clean mark (memory at and above it was never handed out, so
 * it is still zero) · 8..39 heads of the 32 free lists (bin k: block sizes in [2^k, 2^(k+1))).
 *
 * Block at address b (16-aligned, size a multiple of 16, at least 32): word 0 size | INUSE |
 * PREV_INUSE, word 1 owner id, word 2 MAGIC (in use) or next free block, word 3 previous free
 * block; payload from b + 16. A free block repeats its size in its last word (the footer), so
 * `free` merges a block with free neighbours on both sides; a free block never touches `top`
 * (it is given back to the top instead). Allocation: first fit in the block's bin, else the first
 * block of a larger bin, else carved from the top (the memory grows as needed). Every allocation
 * comes back zero-filled. See docs/memory.md.
 * @module
 */
import { platform } from '#platform';
import { HeapExhaustedError } from '../errors.js';
import { instantiateKernels, type KernelExports } from './instantiate.js';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 limit
const HEADER_BYTES = 256;
const BLOCK_HEADER = 16;
const MIN_BLOCK = 32;
const INUSE = 1;
const PREV_INUSE = 2;
const MAGIC = 0x48454150; // 'HEAP'
const LOCK_TIMEOUT_MS = 5000;
// Header word indices.
const H_LOCK = 0, H_TOP = 1, H_HELD = 2, H_LIMIT = 3, H_OWNERS = 4, H_BITMAP = 5, H_CLEAN = 6, H_BINS = 8;

/** Rounds `n` up to a multiple of `a` (a power of two). */
const alignUp = (n: number, a: number) => Math.ceil(n / a) * a; // not bitwise: addresses pass 2^31
const binOf = (size: number) => 31 - Math.clz32(size);
/** The size field of a block's first word (sizes may pass 2^31: read unsigned). */
const sizeOf = (word: number) => (word & ~15) >>> 0;

/**
 * Counters of a heap (see {@link WasmHeap.stats}).
 * @example
 * ```ts
 * const { held, capacity } = defaultHeap().stats();
 * ```
 */
export interface HeapStats {
  /** Bytes in blocks in use (block headers included). */
  held: number;
  /** End of the highest block: the memory above it is free for the taking. */
  top: number;
  /** The memory's current size in bytes (`memory.buffer.byteLength`; wasm memory never shrinks). */
  capacity: number;
  /** The most the memory may grow to, in bytes. */
  limit: number;
}

/**
 * A wasm memory with the kernels instantiated over it and an allocator that reuses freed blocks.
 * @example
 * ```ts
 * const heap = defaultHeap();
 * const p = heap.alloc(4 * 10);
 * heap.f32(p, 10).fill(1);
 * heap.free(p);
 * ```
 */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  readonly kernels: KernelExports;
  /** Byte address of the allocator header. */
  readonly header: number;
  /**
   * This thread's owner id: every block records who allocated it, so that the blocks of a
   * thread that ended can be freed by another (`freeOwners`).
   */
  readonly owner: number;
  private scratchPtr = 0;
  private scratchBytes = 0;
  /** Set by `seal()`: this thread is about to end and must not take the allocator's lock again. */
  private sealed = false;
  /** Open scopes, innermost last: each records the blocks allocated while it is innermost. */
  private readonly scopes: Array<Set<number>> = [];

  private constructor(memory: WebAssembly.Memory, shared: boolean, header: number | undefined, limitPages: number) {
    this.memory = memory;
    this.shared = shared;
    this.kernels = instantiateKernels(memory, shared);
    if (header === undefined) {
      this.header = alignUp(this.kernels.heapBase(), 64);
      const first = this.header + HEADER_BYTES;
      if (memory.buffer.byteLength < first) memory.grow(Math.ceil((first - memory.buffer.byteLength) / PAGE));
      const h = this.words();
      h.fill(0, this.header >>> 2, first >>> 2);
      h[(this.header >>> 2) + H_TOP] = first;
      h[(this.header >>> 2) + H_CLEAN] = first;
      h[(this.header >>> 2) + H_LIMIT] = limitPages;
      h[(this.header >>> 2) + H_OWNERS] = 2;
      this.owner = 1;
    } else {
      this.header = header;
      this.owner = Atomics.add(new Int32Array(memory.buffer, header, HEADER_BYTES / 4), H_OWNERS, 1);
    }
  }

  /**
   * A new heap with a fresh memory, shared when the platform allows and `shared` is not false.
   * `maxBytes` caps its growth (default and most: 4 GiB, the wasm32 limit).
   */
  static create(options: { shared?: boolean; maxBytes?: number } = {}): WasmHeap {
    const shared = options.shared ?? platform.sharedMemoryAvailable();
    const maxBytes = options.maxBytes ?? MAX_PAGES * PAGE;
    if (!(maxBytes >= 16 * PAGE && maxBytes <= MAX_PAGES * PAGE)) {
      throw new RangeError(`maxBytes must be in [${16 * PAGE}, ${MAX_PAGES * PAGE}] (1 MiB to 4 GiB), got ${maxBytes}`);
    }
    const maximum = Math.floor(maxBytes / PAGE);
    const memory = shared
      ? new WebAssembly.Memory({ initial: 16, maximum, shared: true })
      : new WebAssembly.Memory({ initial: 16, ...(options.maxBytes === undefined ? {} : { maximum }) });
    return new WasmHeap(memory, shared, undefined, maximum);
  }

  /** Binds to a memory another thread created (its header address travels with it); takes a new owner id. */
  static attach(memory: WebAssembly.Memory, shared: boolean, header: number): WasmHeap {
    return new WasmHeap(memory, shared, header, 0);
  }

  /** The memory's current buffer (re-read after every allocation: growth replaces it). */
  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }

  /**
   * Allocates `bytes` bytes, zero-filled, whose address is a multiple of `align` (a power of
   * two; at least 16). Give it back with {@link WasmHeap.free}. When the memory cannot grow
   * enough, throws {@link HeapExhaustedError} (nothing is taken).
   */
  alloc(bytes: number, align = 16): number {
    const ptr = this.take(bytes, align, false);
    this.scopes.at(-1)?.add(ptr);
    return ptr;
  }

  /**
   * As `alloc`, for memory that lives as long as the heap (caches: FFT plans, windows,
   * filterbanks): never recorded by a {@link WasmHeap.scope}, so a failed build keeps it.
   */
  allocStatic(bytes: number, align = 16): number {
    return this.take(bytes, align, true);
  }

  /**
   * Gives back a block `alloc` returned. Freeing anything else (an address inside a block, a
   * block freed already) throws `RangeError` and changes nothing.
   */
  free(ptr: number): void {
    if (this.sealed) return; // the thread is ending: its owner's blocks are freed wholesale (freeOwners)
    this.withLock((m) => this.release(m, ptr));
    for (const s of this.scopes) s.delete(ptr);
  }

  /**
   * Runs `fn`; if it throws, every block this thread allocated during it (with `alloc`, and
   * not freed since) is freed before the error propagates. Scopes nest: a block allocated in an
   * inner scope that succeeded belongs to the outer one too.
   * @example
   * ```ts
   * const cells = heap.scope(() => parseEveryUnit(files)); // a parse error frees the cells parsed so far
   * ```
   */
  scope<T>(fn: () => T): T {
    const s = this.openScope();
    let ok = false;
    try {
      const out = fn();
      ok = true;
      return out;
    } finally {
      this.closeScope(s, ok ? 'commit' : 'rollback');
    }
  }

  /**
   * Makes `record` the innermost scope (see {@link WasmHeap.scope}) until the matching
   * {@link WasmHeap.closeScope}, in the same synchronous stretch, innermost first. A record may
   * be opened again after a `'suspend'` (the build driver does so for each step of a build).
   * @internal
   */
  openScope(record: Set<number> = new Set()): Set<number> {
    this.scopes.push(record);
    return record;
  }

  /**
   * Closes the innermost scope: `'commit'` hands its blocks to the enclosing scope (if any),
   * `'rollback'` frees them, `'suspend'` keeps the record for a later `openScope`.
   * @internal
   */
  closeScope(record: Set<number>, how: 'commit' | 'rollback' | 'suspend'): void {
    if (this.scopes.at(-1) !== record) throw new Error('WasmHeap scopes must close innermost first');
    this.scopes.pop();
    if (how === 'commit') {
      const outer = this.scopes.at(-1);
      if (outer) for (const p of record) outer.add(p);
    } else if (how === 'rollback') {
      for (const p of record) this.free(p);
      record.clear();
    }
  }

  /**
   * A reusable scratch block of at least `bytes` bytes for this thread's kernels. The previous
   * block is freed when a larger one is needed (grows by 1.5×, so reallocations stay rare).
   */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      const size = Math.max(bytes, Math.ceil(this.scratchBytes * 1.5), 1 << 16);
      const ptr = this.take(size, 64, true);
      if (this.scratchBytes > 0) this.free(this.scratchPtr);
      this.scratchPtr = ptr;
      this.scratchBytes = size;
    }
    return this.scratchPtr;
  }

  /** Frees this thread's scratch block (the next `scratch` call allocates a new one). */
  releaseScratch(): void {
    if (this.scratchBytes > 0) this.free(this.scratchPtr);
    this.scratchPtr = 0;
    this.scratchBytes = 0;
  }

  /**
   * Stops this thread from allocating or freeing (both throw or do nothing afterwards): a worker
   * seals its heap before it is terminated, so that it can never die holding the allocator's
   * lock. Its blocks are then freed by the parent with {@link WasmHeap.freeOwners}.
   */
  seal(): void {
    this.sealed = true;
  }

  /**
   * Frees every block owned by the given owners (worker threads that have ended: their
   * scratch, their transform outputs, their caches) and returns the bytes given back. If one of
   * them died holding the allocator's lock (terminated without `seal()`), the lock is released
   * first.
   */
  freeOwners(owners: readonly number[]): number {
    if (owners.includes(this.owner)) throw new RangeError(`freeOwners: a thread cannot free its own blocks wholesale (owner ${this.owner})`);
    const gone = new Set(owners);
    const lock = this.lockWord();
    for (const o of gone) Atomics.compareExchange(lock, H_LOCK, o, 0);
    const mine: number[] = [];
    let bytes = 0;
    this.withLock((m) => {
      const top = m[(this.header >>> 2) + H_TOP];
      for (let b = this.header + HEADER_BYTES; b < top; ) {
        const w = m[b >>> 2];
        const size = sizeOf(w);
        if (w & INUSE && gone.has(m[(b >>> 2) + 1])) {
          mine.push(b + BLOCK_HEADER);
          bytes += size;
        }
        b += size;
      }
      for (const p of mine) this.release(m, p);
    });
    return bytes;
  }

  /**
   * Reserves everything below `end` (a 16-aligned address) in a fresh heap: the loader's copy
   * transport places a store copy there, at the parent's addresses. Throws `RangeError` when
   * the heap already holds blocks at or above `end - 16`.
   * @internal
   */
  reserveBelow(end: number): void {
    this.withLock((m) => {
      const h = this.header >>> 2;
      const top = m[h + H_TOP];
      if (end % 16 !== 0 || end - top < MIN_BLOCK) throw new RangeError(`cannot reserve up to ${end}: the heap's top is at ${top}`);
      this.ensure(end, end - top);
      m = this.words();
      m[top >>> 2] = (end - top) | INUSE | PREV_INUSE;
      m[(top >>> 2) + 1] = this.owner;
      m[(top >>> 2) + 2] = MAGIC;
      m[(top >>> 2) + 3] = 1; // static: never adopted by a dataset's store
      m[h + H_TOP] = end;
      m[h + H_CLEAN] = Math.max(m[h + H_CLEAN], end);
      m[h + H_HELD] += end - top;
    });
  }

  /**
   * For each address, the block containing it (the address `alloc` returned), or 0 when the
   * address is in no block in use or in a static one (`allocStatic`, scratch). One pass over
   * the blocks.
   * @internal
   */
  blocksOf(ptrs: readonly number[]): number[] {
    const order = ptrs.map((_, i) => i).sort((i, j) => ptrs[i] - ptrs[j]);
    const out = new Array<number>(ptrs.length).fill(0);
    this.withLock((m) => {
      const top = m[(this.header >>> 2) + H_TOP];
      let b = this.header + HEADER_BYTES;
      let size = b < top ? sizeOf(m[b >>> 2]) : 0;
      for (const i of order) {
        const p = ptrs[i];
        while (b < top && p >= b + size) {
          b += size;
          size = b < top ? sizeOf(m[b >>> 2]) : 0;
        }
        if (b >= top || p < b + BLOCK_HEADER) continue;
        const w = b >>> 2;
        if (m[w] & INUSE && m[w + 2] === MAGIC && m[w + 3] === 0) out[i] = b + BLOCK_HEADER;
      }
    });
    return out;
  }

  /**
   * Checks the allocator's invariants and throws `Error` naming the first broken one: the blocks
   * tile [first, top) exactly, in-use blocks carry the check word, no two free blocks touch,
   * every free block is in the list of its size (and nothing else is), the flags that say
   * whether the previous block is in use are right, and `held` is the sum of the blocks in use.
   * For tests and debugging: one pass over every block.
   * @internal
   */
  verify(): void {
    this.withLock((m) => {
      const h = this.header >>> 2;
      const top = m[h + H_TOP];
      const fail = (msg: string): never => {
        throw new Error(`wasm heap corrupt: ${msg}`);
      };
      const free = new Set<number>();
      let held = 0;
      let prevInUse = true;
      let b = this.header + HEADER_BYTES;
      while (b < top) {
        const w = m[b >>> 2];
        const size = sizeOf(w);
        if (size < MIN_BLOCK || b + size > top) fail(`block at ${b} has size ${size} (top ${top})`);
        if (Boolean(w & PREV_INUSE) !== prevInUse) fail(`block at ${b}: PREV_INUSE says ${Boolean(w & PREV_INUSE)}, the previous block is ${prevInUse ? 'in use' : 'free'}`);
        if (w & INUSE) {
          if (m[(b >>> 2) + 2] !== MAGIC) fail(`block at ${b} is in use without its check word`);
          held += size;
        } else {
          if (!prevInUse) fail(`free blocks touch at ${b}`);
          if (m[(b + size - 4) >>> 2] !== size) fail(`free block at ${b}: footer ${m[(b + size - 4) >>> 2]} ≠ size ${size}`);
          free.add(b);
        }
        prevInUse = Boolean(w & INUSE);
        b += size;
      }
      if (b !== top) fail(`blocks end at ${b}, top is ${top}`);
      if (!prevInUse) fail('a free block touches the top');
      if (m[h + H_HELD] !== held) fail(`held says ${m[h + H_HELD]}, blocks in use hold ${held}`);
      let listed = 0;
      for (let k = 0; k < 32; k++) {
        const head = m[h + H_BINS + k];
        if (Boolean(m[h + H_BITMAP] & (1 << k)) !== (head !== 0)) fail(`bitmap bit ${k} disagrees with its list`);
        for (let f = head, prev = 0; f !== 0; prev = f, f = m[(f >>> 2) + 2]) {
          if (!free.has(f)) fail(`list ${k} holds ${f}, which is not a free block`);
          if (binOf(sizeOf(m[f >>> 2])) !== k) fail(`free block at ${f} is in list ${k}, its size belongs in ${binOf(sizeOf(m[f >>> 2]))}`);
          if (m[(f >>> 2) + 3] !== prev) fail(`free block at ${f}: back link ${m[(f >>> 2) + 3]} ≠ ${prev}`);
          if (++listed > free.size) fail(`list ${k} loops`);
        }
      }
      if (listed !== free.size) fail(`${free.size} free blocks, ${listed} in the lists`);
    });
  }

  /** Bytes held, top, capacity and limit (see {@link HeapStats}). */
  stats(): HeapStats {
    const m = this.words();
    const h = this.header >>> 2;
    return { held: Atomics.load(m, h + H_HELD), top: Atomics.load(m, h + H_TOP), capacity: this.memory.buffer.byteLength, limit: m[h + H_LIMIT] * PAGE };
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

  // ------------------------------------------------------------------ the allocator

  private words(): Uint32Array {
    return new Uint32Array(this.memory.buffer);
  }

  private lockWord(): Int32Array {
    return new Int32Array(this.memory.buffer, this.header, HEADER_BYTES / 4);
  }

  /** Runs `fn` holding the allocator lock (a spin lock: critical sections are a few list operations). */
  private withLock<T>(fn: (m: Uint32Array) => T): T {
    const lock = this.lockWord();
    if (Atomics.compareExchange(lock, H_LOCK, 0, this.owner) !== 0) {
      const start = Date.now();
      for (let spins = 1; Atomics.compareExchange(lock, H_LOCK, 0, this.owner) !== 0; spins++) {
        if ((spins & 0xffff) === 0 && Date.now() - start > LOCK_TIMEOUT_MS) {
          throw new Error(`wasm heap: the allocator lock has been held by thread owner ${Atomics.load(lock, H_LOCK)} for over ${LOCK_TIMEOUT_MS / 1000} s (a worker ended while allocating?)`);
        }
      }
    }
    try {
      return fn(this.words());
    } finally {
      Atomics.store(this.lockWord(), H_LOCK, 0); // a fresh view: growth detaches a plain memory's buffer
    }
  }

  private take(bytes: number, align: number, isStatic: boolean): number {
    if (this.sealed) throw new Error('wasm heap: this worker is shutting down and can no longer allocate');
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${bytes} bytes`);
    if (!(align > 0) || (align & (align - 1)) !== 0) throw new RangeError(`alignment must be a power of two, got ${align}`);
    const a = Math.max(align, 16);
    const need = Math.max(MIN_BLOCK, alignUp(bytes, 16) + BLOCK_HEADER);
    const [ptr, clean] = this.withLock((view) => {
      let m = view;
      const cleanBefore = m[(this.header >>> 2) + H_CLEAN];
      const ptr = this.fromBins(m, need, a) || this.fromTop(m, need, a);
      m = this.words();
      m[((ptr - BLOCK_HEADER) >>> 2) + 3] = isStatic ? 1 : 0;
      return [ptr, cleanBefore];
    });
    // Zero what was handed out before (memory above the clean mark was never written).
    if (ptr < clean) new Uint8Array(this.memory.buffer, ptr, Math.min(ptr + alignUp(bytes, 16), clean) - ptr).fill(0);
    return ptr;
  }

  /** Gap before block `b`'s payload reaches alignment `a`: 0, or a free block of at least MIN_BLOCK. */
  private gapFor(b: number, a: number): number {
    let g = alignUp(b + BLOCK_HEADER, a) - (b + BLOCK_HEADER);
    while (g !== 0 && g < MIN_BLOCK) g += a;
    return g;
  }

  private fromBins(m: Uint32Array, need: number, a: number): number {
    const h = this.header >>> 2;
    const bitmap = m[h + H_BITMAP];
    for (let k = binOf(need); k < 32; k++) {
      if (!(bitmap & (1 << k))) continue;
      for (let b = m[h + H_BINS + k]; b !== 0; b = m[(b >>> 2) + 2]) {
        const size = sizeOf(m[b >>> 2]);
        const g = a > 16 ? this.gapFor(b, a) : 0;
        if (size >= g + need) return this.useFree(m, b, g, need);
      }
    }
    return 0;
  }

  /** Takes free block `b`: a leading gap `g` and a large enough tail stay free. */
  private useFree(m: Uint32Array, b: number, g: number, need: number): number {
    this.unlink(m, b);
    let size = sizeOf(m[b >>> 2]);
    let prevInUse = m[b >>> 2] & PREV_INUSE;
    if (g > 0) {
      this.makeFree(m, b, g, prevInUse);
      b += g;
      size -= g;
      prevInUse = 0;
    }
    if (size - need >= MIN_BLOCK) {
      this.makeFree(m, b + need, size - need, PREV_INUSE);
      size = need;
    } else {
      this.setPrevInUse(m, b + size, true);
    }
    return this.markUsed(m, b, size, prevInUse);
  }

  private fromTop(m: Uint32Array, need: number, a: number): number {
    const h = this.header >>> 2;
    const top = m[h + H_TOP];
    const g = this.gapFor(top, a);
    const end = top + g + need;
    this.ensure(end, need);
    const w = this.words(); // growth replaced the buffer
    if (g > 0) this.makeFree(w, top, g, PREV_INUSE);
    w[h + H_TOP] = end;
    w[h + H_CLEAN] = Math.max(w[h + H_CLEAN], end);
    return this.markUsed(w, top + g, need, g > 0 ? 0 : PREV_INUSE);
  }

  private markUsed(m: Uint32Array, b: number, size: number, prevInUse: number): number {
    const h = this.header >>> 2;
    m[b >>> 2] = size | INUSE | prevInUse;
    m[(b >>> 2) + 1] = this.owner;
    m[(b >>> 2) + 2] = MAGIC;
    m[(b >>> 2) + 3] = 0;
    m[h + H_HELD] += size;
    return b + BLOCK_HEADER;
  }

  /** Writes a free block [b, b + size) and links it into its bin (neighbours are in use). */
  private makeFree(m: Uint32Array, b: number, size: number, prevInUse: number): void {
    const h = this.header >>> 2;
    const k = binOf(size);
    const head = m[h + H_BINS + k];
    m[b >>> 2] = size | prevInUse;
    m[(b >>> 2) + 1] = 0;
    m[(b >>> 2) + 2] = head;
    m[(b >>> 2) + 3] = 0;
    if (head !== 0) m[(head >>> 2) + 3] = b;
    m[h + H_BINS + k] = b;
    m[h + H_BITMAP] |= 1 << k;
    m[(b + size - 4) >>> 2] = size;
    this.setPrevInUse(m, b + size, false);
  }

  private unlink(m: Uint32Array, b: number): void {
    const h = this.header >>> 2;
    const k = binOf(sizeOf(m[b >>> 2]));
    const next = m[(b >>> 2) + 2];
    const prev = m[(b >>> 2) + 3];
    if (prev !== 0) m[(prev >>> 2) + 2] = next;
    else m[h + H_BINS + k] = next;
    if (next !== 0) m[(next >>> 2) + 3] = prev;
    if (m[h + H_BINS + k] === 0) m[h + H_BITMAP] &= ~(1 << k);
  }

  private setPrevInUse(m: Uint32Array, b: number, inUse: boolean): void {
    if (b >= m[(this.header >>> 2) + H_TOP]) return;
    if (inUse) m[b >>> 2] |= PREV_INUSE;
    else m[b >>> 2] &= ~PREV_INUSE;
  }

  private release(m: Uint32Array, ptr: number): void {
    const h = this.header >>> 2;
    let b = ptr - BLOCK_HEADER;
    const top = m[h + H_TOP];
    if (!Number.isInteger(ptr) || ptr % 16 !== 0 || b < this.header + HEADER_BYTES || b >= top || !(m[b >>> 2] & INUSE) || m[(b >>> 2) + 2] !== MAGIC) {
      throw new RangeError(`free(${ptr}): not the address of a block in use (freed twice, or not returned by alloc)`);
    }
    let size = sizeOf(m[b >>> 2]);
    const prevInUse = m[b >>> 2] & PREV_INUSE;
    m[h + H_HELD] -= size;
    m[(b >>> 2) + 2] = 0;
    const next = b + size;
    if (next < top && !(m[next >>> 2] & INUSE)) {
      this.unlink(m, next);
      size += sizeOf(m[next >>> 2]);
    }
    if (!prevInUse) {
      const prevSize = m[(b - 4) >>> 2];
      b -= prevSize;
      this.unlink(m, b);
      size += prevSize;
    }
    if (b + size === top) {
      m[h + H_TOP] = b; // the block before is in use: free blocks never touch each other
    } else {
      this.makeFree(m, b, size, PREV_INUSE);
    }
  }

  /** Grows the memory to hold `end` bytes; `asked` is for the error message. */
  private ensure(end: number, asked: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const h = this.header >>> 2;
    const limitPages = this.words()[h + H_LIMIT];
    const exhausted = () => new HeapExhaustedError(asked, this.words()[h + H_HELD], limitPages * PAGE);
    if (end > limitPages * PAGE) throw exhausted();
    // Grow by at least an eighth of the current size: fewer grow calls (each replaces the buffer).
    const need = Math.ceil((end - have) / PAGE);
    const pages = Math.min(Math.max(need, Math.ceil(have / PAGE / 8)), limitPages - have / PAGE);
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(need); // the engine may refuse the extra eighth but not the minimum
      } catch {
        throw exhausted();
      }
    }
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

/**
 * Replaces this thread's heap (a worker attaching to its parent's shared memory).
 * @example
 * ```ts
 * setDefaultHeap(WasmHeap.attach(memory, true, header));
 * ```
 */
export function setDefaultHeap(heap: WasmHeap): void {
  current = heap;
}
