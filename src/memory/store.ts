/**
 * Ownership of datasets' packed stores. A {@link StoreBlocks} is a set of heap blocks holding
 * tensors, counted by the holders that use them: the dataset that packed or adopted them, the
 * concatenations built over it, the loader pools reading them. The blocks go back to the heap
 * when the last holder releases them, and the tensors over them are marked freed (their `data`
 * then throws `DisposedError`). See docs/memory.md.
 * @module
 */
import type { WasmHeap } from './heap.js';
import type { HeapTensor } from './heap-tensor.js';

/** Block address → the store that owns it, per heap. */
const owners = new WeakMap<WasmHeap, Map<number, StoreBlocks>>();

function ownerMap(heap: WasmHeap): Map<number, StoreBlocks> {
  let m = owners.get(heap);
  if (!m) owners.set(heap, (m = new Map()));
  return m;
}

/**
 * Heap blocks shared by reference count.
 * @example
 * ```ts
 * const store = new StoreBlocks(heap, [heap.alloc(64)], []);
 * store.retain(); // first holder
 * store.release(); // last holder gone: the block is freed
 * ```
 */
export class StoreBlocks {
  readonly heap: WasmHeap;
  readonly blocks: readonly number[];
  private readonly tensors: HeapTensor[];
  private refs = 0;

  constructor(heap: WasmHeap, blocks: readonly number[], tensors: HeapTensor[]) {
    this.heap = heap;
    this.blocks = blocks;
    this.tensors = tensors;
    const map = ownerMap(heap);
    for (const b of blocks) map.set(b, this);
  }

  /** One more holder. */
  retain(): void {
    if (this.refs < 0) throw new Error('StoreBlocks.retain(): the blocks were freed already');
    this.refs++;
  }

  /** One holder fewer; the last one frees the blocks (`why` is told to later readers of the tensors). */
  release(why = 'its dataset was disposed'): void {
    if (this.refs <= 0) return;
    if (--this.refs > 0) return;
    this.refs = -1;
    for (const t of this.tensors) t.markFreed(why);
    const map = ownerMap(this.heap);
    for (const b of this.blocks) {
      map.delete(b);
      this.heap.free(b);
    }
  }
}

/**
 * The stores holding `tensors` (heap tensors of one heap): blocks another store owns resolve to
 * it; blocks nobody owns yet (a build's outputs, a fresh pack) are put in one new store, which
 * is returned too. Static blocks (the sentinel, caches) belong to no store.
 * @example
 * ```ts
 * for (const s of adoptBlocks(heap, cells)) s.retain();
 * ```
 */
export function adoptBlocks(heap: WasmHeap, tensors: readonly HeapTensor[]): StoreBlocks[] {
  const map = ownerMap(heap);
  const found = new Set<StoreBlocks>();
  const fresh = new Map<number, HeapTensor[]>();
  const blocks = heap.blocksOf(tensors.map((t) => t.ptr));
  tensors.forEach((t, i) => {
    const b = blocks[i];
    if (b === 0) return;
    const owner = map.get(b);
    if (owner) found.add(owner);
    else {
      const list = fresh.get(b);
      if (list) list.push(t);
      else fresh.set(b, [t]);
    }
  });
  if (fresh.size > 0) {
    found.add(new StoreBlocks(heap, [...fresh.keys()], [...fresh.values()].flat()));
  }
  return [...found];
}

/**
 * Frees the blocks under `tensors` that no store owns (what a failed build or validation took)
 * and marks those tensors freed.
 * @example
 * ```ts
 * try { ds.validate(); } catch (e) { freeUnowned(heap, cells, 'its build failed'); throw e; }
 * ```
 */
export function freeUnowned(heap: WasmHeap, tensors: readonly HeapTensor[], why: string): void {
  const map = ownerMap(heap);
  const blocks = heap.blocksOf(tensors.map((t) => t.ptr));
  const doomed = new Set<number>();
  tensors.forEach((t, i) => {
    const b = blocks[i];
    if (b !== 0 && !map.has(b)) {
      doomed.add(b);
      t.markFreed(why);
    }
  });
  for (const b of doomed) heap.free(b);
}
