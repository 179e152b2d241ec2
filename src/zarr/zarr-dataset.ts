/**
 * `ZarrDataset`: a `NeuralDataset` over a store written by `exportZarr` (docs/zarr-layout.md),
 * read lazily from a folder, an HTTP(S) base URL or OPFS. Metadata, shapes and masks load at
 * open, so the whole selection API works at once; cells are fetched on demand (docs/zarr.md).
 * @module
 */
import { platform } from '#platform';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import type { DatasetItem, DatasetItems, Meta, SliceIndex } from '../contract/types.js';
import { resolveSlice } from '../contract/slice.js';
import { ValueError } from '../errors.js';
import { HttpSource } from '../sources/http.js';
import type { FileSource } from '../sources/types.js';
import type { Tensor } from '../tensor.js';
import { CellCache } from './cell-cache.js';
import { NotLoadedError } from './errors.js';
import { SENTINEL_OFFSET, ZARR_ARRAYS, type ZarrProvenance } from './layout.js';
import { decodeMetaJson } from './meta-json.js';
import { openStore, type StoreIndex } from './open-store.js';
import { DataArrayReader, Limiter, limitedSource, type ReadStats } from './range-reader.js';
import { storeLocation, type ZarrStoreLocation } from './store-location.js';

/**
 * Options of {@link ZarrDataset.open}.
 * @example
 * ```ts
 * const o: ZarrOpenOptions = { cacheBytes: 256 * 2 ** 20, concurrency: 8 };
 * ```
 */
export interface ZarrOpenOptions {
  /** Most bytes of cells kept in memory (least recently used evicted first; default 256 MiB). */
  cacheBytes?: number;
  /** Most requests in flight at once (default 8). */
  concurrency?: number;
}

/**
 * What each loader worker opens (src/loader/lazy-cells.ts `LazyCells.workerShare`): the store's
 * location and its share of the cache.
 * @example
 * ```ts
 * const share: ZarrWorkerShare = ds.workerShare(2); // { location, cacheBytes: ds.cacheBytes / 2, concurrency: 8 }
 * ```
 */
export interface ZarrWorkerShare {
  location: ZarrStoreLocation;
  cacheBytes: number;
  concurrency: number;
}

/**
 * Counters of a lazy dataset (requests made, bytes fetched, what the cache holds).
 * @example
 * ```ts
 * await ds.prefetch([0, 1, 2]);
 * ds.stats; // { requests: 2, bytes: 81920, cachedBytes: 81920, cachedCells: 30 }
 * ```
 */
export interface ZarrDatasetStats extends ReadStats {
  cachedBytes: number;
  cachedCells: number;
}

const DEFAULT_CACHE_BYTES = 256 * 2 ** 20;
const DEFAULT_CONCURRENCY = 8;

const isHttpUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** A cell whose values live in the dataset's cache: `data` throws `NotLoadedError` when absent. */
class LazyCell implements Tensor<'float32'> {
  readonly dtype = 'float32' as const;
  constructor(
    private readonly owner: ZarrDataset,
    readonly key: number,
    readonly shape: number[],
    readonly what: string,
  ) {}

  get data(): Float32Array {
    const d = this.owner.cached(this.key);
    if (d === undefined) throw new NotLoadedError(this.what);
    return d;
  }
}

/**
 * A dataset read lazily from a Zarr v3 store written by `exportZarr`.
 *
 * **What loads when.** `open` reads the header (metadata, `dtMs`, `F`, `audioFs`, provenance), the
 * shapes and offsets of every cell and the masks: `length`, `nrnMasks`, `stimMeta`, `nrnMeta`,
 * every `select*` method and the shapes (`ds.stims[s].shape`) work at once. Cell values are
 * fetched on demand, at most `concurrency` requests at a time, adjacent ranges of one chunk in
 * one request, and kept in an LRU cache of `cacheBytes`.
 *
 * **`get(i)`** is synchronous, as on every dataset: it returns the item when its cells are in
 * memory and throws `NotLoadedError` (naming the item index and the cell) otherwise. Load first
 * with `await ds.prefetch(indices)`, or use `await ds.getAsync(i)`, which does both. The
 * `DataLoader` prefetches by itself (ahead of the batch it builds, up to `prefetchBytes`, at
 * least `prefetchFactor` batches; docs/zarr.md): its batches are byte-identical to those of the same data in memory, for the same seed
 * and epoch. With `numWorkers > 0` each worker opens the store at `location` and fetches its
 * batches' cells (`workerShare`): the calling thread fetches none.
 *
 * Read-only: the in-place transforms (`standardizeStims`, `normalizeResponses`,
 * `smoothResponses`) throw `TypeError`; transform a dataset in memory, then export it. `F` is −1
 * when the exported dataset was not an `AudioNeuralDataset` (`sourceClassName` names its class).
 *
 * @example
 * ```ts
 * const ds = await ZarrDataset.open('https://data.example.org/ns1.zarr/', { cacheBytes: 512 * 2 ** 20 });
 * ds.selectStimsByAttr('subset', 'val');            // metadata is there at once
 * const loader = new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 1 });
 * for await (const batch of loader) step(batch);    // cells fetched ahead, batch by batch
 * const item = await ds.getAsync(0);                // or: await ds.prefetch([0]); ds.get(0)
 * ```
 */
export class ZarrDataset extends AudioNeuralDataset {
  /** Where the store is read from. */
  readonly source: FileSource;
  /** Where another thread opens the same store (null: the source cannot be posted to a worker). */
  readonly location: ZarrStoreLocation | null;
  /** Most requests in flight at once (`ZarrOpenOptions.concurrency`). */
  readonly concurrency: number;
  /** Where the data came from: the exported dataset's registry name, options and selection, and the deepstrf version. */
  readonly provenance: ZarrProvenance;
  /** The class of the exported dataset. */
  readonly sourceClassName: string;
  private readonly index: StoreIndex;
  private readonly cache: CellCache;
  private readonly readStats: ReadStats = { requests: 0, bytes: 0 };
  private readonly stimReader: DataArrayReader;
  private readonly responseReader: DataArrayReader;
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly masks: Tensor<'bool'>;

  /** Most bytes of cells kept in memory (`ZarrOpenOptions.cacheBytes`). */
  get cacheBytes(): number {
    return this.cache.budgetBytes;
  }

  private constructor(source: FileSource, index: StoreIndex, options: Required<ZarrOpenOptions>, limiter: Limiter) {
    const h = index.header;
    super(h.path, h.dtMs);
    this.source = source;
    this.location = storeLocation(source);
    this.concurrency = options.concurrency;
    this.index = index;
    this.provenance = h.provenance;
    this.sourceClassName = h.className;
    this.cache = new CellCache(options.cacheBytes);
    this.stimReader = new DataArrayReader(source, ZARR_ARRAYS.stimData, index.stimData, limiter, this.readStats);
    this.responseReader = new DataArrayReader(source, ZARR_ARRAYS.responseData, index.responseData, limiter, this.readStats);
    const { S, N, stimNdim } = h;
    const file = `${source.root.replace(/\/$/, '')}/zarr.json`;
    this.F = h.F ?? -1;
    this.audioFs = h.audioFs;
    this.hearingRangeHz = h.hearingRangeHz;
    this.returnWaveform = h.returnWaveform;
    this.stimMeta = h.stimMeta.map((m, s) => decodeMetaJson(m, file, `stimMeta[${s}]`) as Meta);
    this.nrnMeta = h.nrnMeta.map((m, n) => decodeMetaJson(m, file, `nrnMeta[${n}]`) as Meta);
    this.nNeurons = N;
    this.stims = Array.from({ length: S }, (_, s) => new LazyCell(this, s, Array.from(index.stimShapes.subarray(s * stimNdim, (s + 1) * stimNdim)), `stims[${s}]`));
    const sentinel = AudioNeuralDataset.sentinel;
    this.responses = Array.from({ length: S }, (_, s) =>
      Array.from({ length: N }, (_, n): Tensor => {
        const k = s * N + n;
        if (index.responseOffsets[k] === SENTINEL_OFFSET) return sentinel;
        return new LazyCell(this, S + k, [index.responseShapes[2 * k], index.responseShapes[2 * k + 1]], `responses[${s}][${n}]`);
      }),
    );
    this.masks = { dtype: 'bool', shape: [S, N], data: index.masks };
    this.validate();
  }

  /**
   * Opens a store written by `exportZarr`: a `FileSource`, an `http(s)://` base URL, or a path
   * (a Node folder; in a page, an OPFS path).
   * @throws FormatError naming the file and field of a damaged or incomplete store
   * @example
   * ```ts
   * const ds = await ZarrDataset.open('/data/ns1.zarr', { cacheBytes: 128 * 2 ** 20, concurrency: 4 });
   * ```
   */
  static async open(source: FileSource | string, options: ZarrOpenOptions = {}): Promise<ZarrDataset> {
    const cacheBytes = options.cacheBytes ?? DEFAULT_CACHE_BYTES;
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (typeof cacheBytes !== 'number' || !(cacheBytes >= 0)) throw new ValueError(`ZarrDataset: cacheBytes must be a number ≥ 0, got ${String(options.cacheBytes)}`);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new ValueError(`ZarrDataset: concurrency must be an integer ≥ 1, got ${String(options.concurrency)}`);
    const src = typeof source !== 'string' ? source : isHttpUrl(source) ? new HttpSource(source) : await platform.openWritableSource(source);
    const limiter = new Limiter(concurrency); // the index arrays read at open share the cells' bound
    return new ZarrDataset(src, await openStore(limitedSource(src, limiter)), { cacheBytes, concurrency }, limiter);
  }

  /**
   * What each of `workers` loader workers opens: this store's location, `cacheBytes / workers`
   * (rounded down) of cache each, and the same `concurrency` each (docs/zarr.md, "The DataLoader").
   * @throws TypeError when the source cannot be opened from another thread (a custom `FileSource`,
   * a `MemorySource`, an `HttpSource` with its own `fetch`)
   * @example
   * ```ts
   * (await ZarrDataset.open('/data/ns1.zarr', { cacheBytes: 2 ** 28 })).workerShare(2).cacheBytes; // 2 ** 27
   * ```
   */
  workerShare(workers: number): ZarrWorkerShare {
    if (this.location === null) {
      throw new TypeError(
        `DataLoader: numWorkers > 0 needs a ZarrDataset that each worker can open again: this one reads ${this.source.constructor.name} ${this.source.root}, ` +
          'which cannot be posted to a worker. Open it with ZarrDataset.open(path or http(s) URL) (a Node folder, an OPFS path, an HttpSource without a custom fetch), or use numWorkers: 0',
      );
    }
    return { location: this.location, cacheBytes: Math.floor(this.cacheBytes / workers), concurrency: this.concurrency };
  }

  /** The header and index were checked at open (src/zarr/open-store.ts); cells are checked as they arrive. */
  protected override checkContract(): void {}

  /** Nothing to pack: cells live in the cache. */
  protected override packStore(): void {}

  /** The masks stored with the data (never recomputed: the cells are not in memory). */
  override get nrnMasks(): Tensor<'bool'> {
    this.assertLive();
    return this.masks;
  }

  /** Requests made, bytes fetched, and what the cache holds. */
  get stats(): ZarrDatasetStats {
    return { ...this.readStats, cachedBytes: this.cache.bytes, cachedCells: this.cache.size };
  }

  /** @internal The cached values of a cell key (stimulus s → s; cell (s, n) → S + s·N + n). */
  cached(key: number): Float32Array | undefined {
    this.assertLive();
    return this.cache.get(key);
  }

  /**
   * Fetches the cells of the items at `indices` (under the current selection: the stimulus and
   * the selected neurons' responses), so that `get` can return them. They stay in the cache
   * until it evicts them (least recently used first).
   * @throws RangeError for an index out of range
   * @example
   * ```ts
   * await ds.prefetch([0, 1, 2, 3]);
   * const items = [0, 1, 2, 3].map((i) => ds.get(i));
   * ```
   */
  async prefetch(indices: readonly number[]): Promise<void> {
    const release = await this.acquireCells(this.stimsAt(indices), this.selectedNeurons());
    release();
  }

  /**
   * The item at `index`, fetching what is missing first.
   * @example
   * ```ts
   * const item = await ds.getAsync(-1); // the last item
   * ```
   */
  async getAsync(index: number): Promise<DatasetItem> {
    const release = await this.acquireCells(this.stimsAt([index]), this.selectedNeurons());
    try {
      return this.get(index);
    } finally {
      release();
    }
  }

  /**
   * Fetches the stimuli `stims` (absolute indices) and their cells for `neurons` and pins them in
   * the cache until the returned function is called (`{ stims: false }`: the cells only). The
   * `DataLoader` calls it before it builds a batch (src/loader/lazy-cells.ts), `exportZarr` before
   * it writes a chunk.
   * @example
   * ```ts
   * const release = await ds.acquireCells([0, 4], ds.selectedNeurons());
   * try { build(); } finally { release(); }
   * ```
   */
  async acquireCells(stims: readonly number[], neurons: readonly number[], options: { stims?: boolean } = {}): Promise<() => void> {
    this.assertLive();
    const keys = this.keysOf(stims, neurons, options.stims !== false);
    this.cache.pin(keys);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.cache.unpin(keys);
    };
    try {
      await this.load(keys);
    } catch (e) {
      release();
      throw e;
    }
    return release;
  }

  /**
   * Bytes of the stimuli `stims` and their cells for `neurons` (what `acquireCells` pins); the
   * `DataLoader` prefetches ahead by bytes (src/loader/lazy-cells.ts).
   * @example
   * ```ts
   * ds.cellBytes([0, 4], ds.selectedNeurons()); // 4 × the elements of those cells
   * ```
   */
  cellBytes(stims: readonly number[], neurons: readonly number[]): number {
    let bytes = 0;
    for (const k of this.keysOf(stims, neurons, true)) bytes += 4 * this.rangeOf(k).length;
    return bytes;
  }

  /**
   * Most bytes a `DataLoader` keeps pinned in batches fetched ahead and not taken yet: half of
   * `cacheBytes` (the other half keeps what was read recently).
   * @example
   * ```ts
   * (await ZarrDataset.open(dir, { cacheBytes: 2 ** 28 })).prefetchBytes; // 2 ** 27
   * ```
   */
  get prefetchBytes(): number {
    return this.cache.budgetBytes / 2;
  }

  /** Cache keys of stimuli `stims` (when `withStims`) and their cells for `neurons` (missing pairs left out). */
  private keysOf(stims: readonly number[], neurons: readonly number[], withStims: boolean): number[] {
    const { S, N } = this.index.header;
    const keys: number[] = [];
    for (const s of stims) {
      if (withStims) keys.push(s);
      for (const n of neurons) if (this.index.responseOffsets[s * N + n] !== SENTINEL_OFFSET) keys.push(S + s * N + n);
    }
    return keys;
  }

  /** Fetches the keys not cached (sharing fetches already in flight). */
  private async load(keys: readonly number[]): Promise<void> {
    const waits: Promise<void>[] = [];
    const stimKeys: number[] = [];
    const cellKeys: number[] = [];
    const S = this.index.header.S;
    for (const k of new Set(keys)) {
      const busy = this.inflight.get(k);
      if (busy) waits.push(busy);
      else if (!this.cache.has(k)) (k < S ? stimKeys : cellKeys).push(k);
    }
    const fetch = (reader: DataArrayReader, ks: number[]) => {
      if (ks.length === 0) return;
      const p = reader.read(ks.map((k) => this.rangeOf(k))).then((values) => ks.forEach((k, i) => this.cache.put(k, values[i])));
      const done = p.finally(() => ks.forEach((k) => this.inflight.delete(k)));
      done.catch(() => undefined); // observed through `waits`
      ks.forEach((k) => this.inflight.set(k, done));
      waits.push(done);
    };
    fetch(this.stimReader, stimKeys);
    fetch(this.responseReader, cellKeys);
    await Promise.all(waits);
  }

  /** Element range of a key in its data array. */
  private rangeOf(key: number): { start: number; length: number } {
    const { S, stimNdim } = this.index.header;
    if (key < S) {
      let size = 1;
      for (let a = 0; a < stimNdim; a++) size *= this.index.stimShapes[key * stimNdim + a];
      return { start: this.index.stimOffsets[key], length: size };
    }
    const k = key - S;
    return { start: this.index.responseOffsets[k], length: this.index.responseShapes[2 * k] * this.index.responseShapes[2 * k + 1] };
  }

  /** Absolute stimulus indices of item indices (negative wraps; out of range → RangeError). */
  private stimsAt(indices: readonly number[]): number[] {
    const it = this.iterableStims();
    return indices.map((i) => {
      const j = Number.isInteger(i) && i < 0 ? i + it.length : i;
      if (!Number.isInteger(j) || j < 0 || j >= it.length) throw new RangeError(`index ${i} is out of range for length ${it.length}`);
      return it[j];
    });
  }

  /**
   * The item(s) at `index`, as on every dataset, when their cells are in memory; otherwise
   * `NotLoadedError` naming the index. The tensors returned hold their values (they stay valid
   * after the cache evicts the cells).
   */
  override get(index: readonly number[] | SliceIndex): DatasetItems;
  override get(index: number): DatasetItem;
  override get(index: number | readonly number[] | SliceIndex): DatasetItem | DatasetItems {
    const out = super.get(index as number) as DatasetItem | DatasetItems;
    const positions = typeof index === 'number' ? null : Array.isArray(index) ? (index as readonly number[]) : resolveSlice(index as SliceIndex, this.length);
    const at = (j: number) => (positions === null ? (index as number) : positions[j]);
    const own = (t: unknown, j: number): unknown => {
      if (!(t instanceof LazyCell)) return t;
      const data = this.cache.get(t.key);
      if (data === undefined) throw new NotLoadedError(t.what, at(j));
      return { dtype: 'float32', shape: [...t.shape], data };
    };
    if (typeof index === 'number') {
      const item = out as DatasetItem;
      return { ...item, stims: own(item.stims, 0) as Tensor, responses: item.responses.map((r) => own(r, 0) as Tensor) };
    }
    const items = out as DatasetItems;
    return {
      ...items,
      stims: items.stims.map((t, j) => own(t, j) as Tensor),
      responses: items.responses.map((row, j) => row.map((r) => own(r, j) as Tensor)),
    };
  }

  /** Drops the cached cells as well (later reads throw `DisposedError`). */
  override dispose(): void {
    super.dispose();
    this.cache.clear();
  }

  /** @throws TypeError: a lazy dataset is read-only. */
  override standardizeStims(): never {
    throw readOnly('standardizeStims');
  }

  /** @throws TypeError: a lazy dataset is read-only. */
  override normalizeResponses(): never {
    throw readOnly('normalizeResponses');
  }

  /** @throws TypeError: a lazy dataset is read-only. */
  override smoothResponses(): never {
    throw readOnly('smoothResponses');
  }
}

function readOnly(method: string): TypeError {
  return new TypeError(`ZarrDataset.${method}: a lazy dataset is read-only (its cells live in the store); transform the dataset in memory, then export it`);
}
