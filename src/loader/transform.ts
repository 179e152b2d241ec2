/**
 * Per-item transforms: a module, named by URL (functions cannot cross threads), whose exported
 * function turns one item into another before collation. The same module runs in each worker,
 * or in the calling thread with `numWorkers: 0`.
 *
 * Module shape:
 * ```ts
 * // mel.ts (or .js / .mjs)
 * import type { ItemTransform } from 'deepstrf';
 * export const transform: ItemTransform = (item, ctx) => ({ ...item, stims: toMel(item.stims, ctx.dataset.audioFs) });
 * // or: export default function (item, ctx) { … }   (may be async)
 * ```
 * @module
 */
import { platform } from '#platform';
import type { Tensor } from '../tensor.js';
import { HeapTensor } from '../memory/heap-tensor.js';
import type { WasmHeap } from '../memory/heap.js';
import type { DatasetItem } from '../contract/types.js';
import type { DatasetInfo, TransformSpec } from './protocol.js';

/**
 * Context of one transform call.
 * @example
 * ```ts
 * const t: ItemTransform = (item, ctx: TransformContext) => ctx.stimIndex % 2 ? item : item;
 * ```
 */
export interface TransformContext {
  /** Absolute stimulus index in the root dataset (`ds.stims[stimIndex]`). */
  stimIndex: number;
  /** The selected neurons the responses belong to. */
  neurons: readonly number[];
  /** Facts about the dataset (dtMs, audioFs, F, hop, …). */
  dataset: DatasetInfo;
  /** The loader's `transform.options`, structured-cloned into each worker. */
  options: unknown;
  /**
   * A float32 tensor in this thread's wasm heap, valid until the batch is collated. Its memory
   * is reused batch after batch, so writing transform outputs here avoids fresh allocations
   * (page faults, garbage) and lets the collate read them in place. Contents are undefined:
   * write every element (e.g. `mel.forward(x, ctx.alloc([1, F, T]).data)`).
   */
  alloc(shape: readonly number[]): Tensor<'float32'>;
}

/**
 * Per-batch scratch for transform outputs in the wasm heap (`TransformContext.alloc`). Reset
 * before each batch; grows geometrically (an outgrown block is kept until the next reset, so
 * tensors handed out earlier in the same batch stay valid, then freed). `release()` gives every
 * block back (a loader closing).
 * @example
 * ```ts
 * const arena = new TransformArena(defaultHeap());
 * arena.reset(); const t = arena.alloc([1, 34, 999]);
 * arena.release();
 * ```
 */
export class TransformArena {
  private base = 0;
  private capacity = 0;
  private used = 0;
  private outgrown: number[] = [];
  constructor(private readonly heap: WasmHeap) {}

  /** Makes the whole block available again (call before each batch); frees outgrown blocks. */
  reset(): void {
    for (const p of this.outgrown) this.heap.free(p);
    this.outgrown = [];
    this.used = 0;
  }

  /** Frees every block (the arena can be used again: it reallocates on demand). */
  release(): void {
    this.reset();
    if (this.capacity > 0) this.heap.free(this.base);
    this.base = 0;
    this.capacity = 0;
  }

  /** A tensor of `shape` carved from the block. */
  alloc(shape: readonly number[]): HeapTensor {
    let size = 1;
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new RangeError(`context.alloc: invalid shape [${shape.join(', ')}]`);
      size *= d;
    }
    const bytes = Math.ceil((4 * size) / 64) * 64;
    if (this.used + bytes > this.capacity) {
      const capacity = Math.max(bytes, 2 * this.capacity, 1 << 20);
      const base = this.heap.allocStatic(capacity, 64); // the arena's own: no build scope takes it
      if (this.capacity > 0) this.outgrown.push(this.base);
      this.base = base;
      this.capacity = capacity;
      this.used = 0;
    }
    const t = new HeapTensor(this.heap, this.base + this.used, shape);
    this.used += bytes;
    return t;
  }
}

/**
 * The function a transform module exports (as `transform` or as its default export). It gets
 * the item exactly as `ds.get` would give it (a {@link DatasetItem}: the stimulus, one response
 * per selected neuron, `validMask`, `stimMeta`, the dataset's extra keys). Its tensors are views
 * of the dataset's store: treat them as read-only and return new tensors (writing into them would
 * change the dataset, and with shared memory every worker's view of it). It may return a
 * promise. Its result is collated: `stims` may change shape (all items of a batch must
 * agree except on the last axis), `responses` must stay 2-D, extra keys become batch keys.
 * @example
 * ```ts
 * export const transform: ItemTransform = (item) => ({ ...item, stims: item.stims });
 * ```
 */
export type ItemTransform = (item: DatasetItem, context: TransformContext) => DatasetItem | Promise<DatasetItem>;

/**
 * The loader option naming a transform module: its absolute URL (`new URL('./mel.js',
 * import.meta.url)` in the caller) and options passed to each call as `context.options`
 * (anything structured-cloneable).
 * @example
 * ```ts
 * new DataLoader(ds, { numWorkers: 2, transform: { url: new URL('./mel.js', import.meta.url), options: { nMels: 34 } } });
 * ```
 */
export interface TransformOption {
  url: string | URL;
  options?: unknown;
}

/** Normalises the option; a relative URL is a `TypeError` (it would resolve differently per thread). */
export function transformSpec(t: TransformOption | undefined): TransformSpec | null {
  if (t === undefined) return null;
  let url: URL;
  try {
    url = new URL(String(t.url));
  } catch {
    throw new TypeError(`transform.url must be an absolute URL (e.g. new URL('./t.js', import.meta.url)), got ${String(t.url)}`);
  }
  return { url: url.href, options: t.options ?? null };
}

/** Loads a transform module and returns its function; errors name the URL. */
export async function loadTransform(spec: TransformSpec): Promise<ItemTransform> {
  const url = await platform.importableModuleUrl(spec.url);
  const mod = (await platform.importModule(url)) as { transform?: unknown; default?: unknown };
  const fn = typeof mod.transform === 'function' ? mod.transform : mod.default;
  if (typeof fn !== 'function') {
    throw new TypeError(`transform module ${spec.url} exports no function: export 'transform' or a default function (item, context) => item`);
  }
  return fn as ItemTransform;
}
