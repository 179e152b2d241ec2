/**
 * Reading element ranges of an uncompressed Zarr data array by byte range: each range is cut at
 * chunk boundaries, the pieces that fall in one chunk file are coalesced into one request when
 * they are adjacent or close (gap ≤ `COALESCE_GAP_BYTES`), and requests run at most
 * `concurrency` at a time.
 * @module
 */
import { FormatError } from '../errors.js';
import type { FileSource } from '../sources/types.js';
import { chunkKey } from './layout.js';
import type { DataArrayMeta } from './read-metadata.js';
import { isNotFound } from './store.js';

/**
 * Two pieces of one chunk closer than this are fetched by one request (the gap is read and dropped).
 * @example
 * ```ts
 * const oneRequest = nextPiece.lo - previousPiece.hi <= COALESCE_GAP_BYTES;
 * ```
 */
export const COALESCE_GAP_BYTES = 64 * 1024;

/**
 * At most `limit` tasks at a time; the rest wait in order.
 * @example
 * ```ts
 * const lim = new Limiter(4); await Promise.all(urls.map((u) => lim.run(() => fetch(u))));
 * ```
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<R>(task: () => Promise<R>): Promise<R> {
    if (this.active >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * `source` with every request made through `limiter` (a store's index arrays, read at open, share
 * the bound of its cell reads).
 * @example
 * ```ts
 * const limited = limitedSource(source, new Limiter(8)); // at most 8 requests at a time
 * ```
 */
export function limitedSource(source: FileSource, limiter: Limiter): FileSource {
  return {
    root: source.root,
    stat: (path) => limiter.run(() => source.stat(path)),
    read: (path, start, end) => limiter.run(() => source.read(path, start, end)),
    list: (path) => limiter.run(() => source.list(path)),
  };
}

/**
 * Counters of a reader: requests made for cell and stimulus data and the bytes they fetched (the
 * metadata and index arrays read once when the store opens are not counted).
 * @example
 * ```ts
 * ds.stats.requests; // data requests since open
 * ```
 */
export interface ReadStats {
  /** Range requests for cell or stimulus data (after coalescing), since the store opened. */
  requests: number;
  /** Bytes those requests fetched. */
  bytes: number;
}

interface Piece {
  /** Which range, and where in it (elements). */
  range: number;
  at: number;
  /** Bytes [lo, hi) of the chunk file. */
  lo: number;
  hi: number;
}

/**
 * Reads element ranges of one data array.
 * @example
 * ```ts
 * const reader = new DataArrayReader(source, 'responses/data', meta, new Limiter(8), { requests: 0, bytes: 0 });
 * const [cell] = await reader.read([{ start: 4096, length: 20 * 999 }]);
 * ```
 */
export class DataArrayReader {
  constructor(
    private readonly source: FileSource,
    private readonly array: string,
    private readonly meta: DataArrayMeta,
    private readonly limiter: Limiter,
    private readonly stats: ReadStats,
  ) {}

  /** The values of each `[start, start + length)`, fetched with as few requests as coalescing allows. */
  async read(ranges: ReadonlyArray<{ start: number; length: number }>): Promise<Float32Array[]> {
    const C = this.meta.chunkElements;
    const out = ranges.map((r) => new Float32Array(r.length));
    const byChunk = new Map<number, Piece[]>();
    ranges.forEach((r, i) => {
      for (let e = r.start; e < r.start + r.length; ) {
        const k = Math.floor(e / C);
        const stop = Math.min(r.start + r.length, (k + 1) * C);
        const pieces = byChunk.get(k) ?? [];
        pieces.push({ range: i, at: e - r.start, lo: 4 * (e - k * C), hi: 4 * (stop - k * C) });
        byChunk.set(k, pieces);
        e = stop;
      }
    });
    const requests: Promise<void>[] = [];
    for (const [k, pieces] of byChunk) {
      pieces.sort((a, b) => a.lo - b.lo);
      let group: Piece[] = [];
      let lo = 0;
      let hi = 0;
      for (const p of pieces) {
        if (group.length > 0 && p.lo - hi > COALESCE_GAP_BYTES) {
          requests.push(this.fetch(k, group, lo, hi, out));
          group = [];
        }
        if (group.length === 0) [lo, hi] = [p.lo, p.hi];
        group.push(p);
        hi = Math.max(hi, p.hi);
      }
      requests.push(this.fetch(k, group, lo, hi, out));
    }
    await Promise.all(requests);
    return out;
  }

  /** One request: bytes [lo, hi) of chunk k, cut into `pieces`. */
  private async fetch(k: number, pieces: Piece[], lo: number, hi: number, out: Float32Array[]): Promise<void> {
    const path = chunkKey(this.array, k);
    let bytes: Uint8Array;
    try {
      bytes = await this.limiter.run(() => this.source.read(path, lo, hi));
    } catch (e) {
      if (isNotFound(e)) throw new FormatError(`${this.source.root.replace(/\/$/, '')}/${path}`, `chunk ${k} of ${this.array} is missing (the array holds ${this.meta.length} elements)`, undefined, { cause: e });
      throw e;
    }
    this.stats.requests++;
    this.stats.bytes += bytes.length;
    if (bytes.length !== hi - lo) {
      throw new FormatError(
        `${this.source.root.replace(/\/$/, '')}/${path}`,
        `chunk ${k} of ${this.array} is truncated: bytes ${lo}-${hi} asked, ${bytes.length} read (a chunk holds ${4 * this.meta.chunkElements} data bytes)`,
        lo + bytes.length,
      );
    }
    for (const p of pieces) {
      const dst = new Uint8Array(out[p.range].buffer, 4 * p.at, p.hi - p.lo);
      dst.set(bytes.subarray(p.lo - lo, p.hi - lo));
    }
  }
}
