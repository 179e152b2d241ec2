// ZarrDataset's lazy behaviour: what get(i) does before and after prefetch, getAsync, eviction
// under cacheBytes, bounded concurrency, range coalescing, the selection API at open, read-only
// transforms, and a loader with workers accepting a lazy dataset.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DataLoader, DisposedError, FormatError, NotLoadedError, SyntheticDataset, ZarrDataset, exportZarr, isSentinel, randomSplit,
  type EntryInfo, type FileSource, type WritableSource,
} from '../../src/index.js';
import { scratchDir } from '../helpers/zarr.js';

/** A FileSource that records every read and how many were in flight at once (each takes `ms`). */
class CountingSource implements FileSource {
  readonly reads: Array<{ path: string; start?: number; end?: number }> = [];
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly inner: FileSource, private readonly ms = 0) {}
  get root() {
    return this.inner.root;
  }
  stat(p: string): Promise<EntryInfo | null> {
    return this.inner.stat(p);
  }
  list(p: string) {
    return this.inner.list(p);
  }
  async read(path: string, start?: number, end?: number): Promise<Uint8Array> {
    this.reads.push({ path, start, end });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.ms > 0) await new Promise((r) => setTimeout(r, this.ms));
      return await this.inner.read(path, start, end);
    } finally {
      this.inFlight--;
    }
  }
}

let dir: WritableSource;
let remove: () => Promise<void>;
const ref = new SyntheticDataset({ seed: 7, nNeurons: 5, nStims: 8 });
const C = 2000; // elements per chunk

beforeAll(async () => {
  ({ dir, remove } = await scratchDir('lazy'));
  await exportZarr(ref, dir, { chunkElements: C });
});
afterAll(() => remove());

const cellBytes = (d: ZarrDataset, i: number) => {
  const s = d.iterableStims()[i];
  return 4 * (d.stims[s].shape.reduce((a, b) => a * b, 1) + d.responses[s].filter((r) => !isSentinel(r)).reduce((a, r) => a + r.shape[0] * r.shape[1], 0));
};

describe('ZarrDataset: get(i) and data not loaded', () => {
  it('metadata, masks, shapes and the selection API work at open, before any cell is fetched', async () => {
    const src = new CountingSource(dir);
    const ds = await ZarrDataset.open(src);
    const opened = src.reads.length;
    expect(ds.selectStimsByAttr('subset', 'val')).toEqual(ref.selectStimsByAttr('subset', 'val'));
    expect(ds.selectPopByNrnPredicate((m) => m.area === 'PEG')).toEqual(ref.selectPopByNrnPredicate((m) => m.area === 'PEG'));
    expect(ds.length).toBe(ref.length);
    expect(ds.iterableStims()).toEqual(ref.iterableStims());
    expect(ds.getNrnMeta()).toEqual(ref.getNrnMeta());
    expect(ds.stims.map((t) => t.shape)).toEqual(ref.stims.map((t) => t.shape));
    expect(src.reads.length).toBe(opened); // nothing fetched
    expect(ds.stats.requests).toBe(0);
    expect(src.reads.some((r) => r.path.includes('/data/c/'))).toBe(false);
    ref.resetStimSelection();
    ref.resetPopSelection();
  });

  it('get(i) throws NotLoadedError naming the index and the cell; prefetch then get returns the item; getAsync does both', async () => {
    const ds = await ZarrDataset.open(dir);
    const s0 = ds.iterableStims()[2];
    expect(() => ds.get(2)).toThrow(NotLoadedError);
    expect(() => ds.get(2)).toThrow(`item 2: stims[${s0}] is not loaded; \`await ds.prefetch([2])\` (or \`await ds.getAsync(2)\`) before reading it synchronously`);
    expect(() => ds.get([0, 2])).toThrow(/^item 0: stims\[\d+\] is not loaded/);
    expect(() => ds.stims[s0].data).toThrow(`stims[${s0}] is not loaded`);
    await ds.prefetch([2]);
    expect(Array.from(ds.get(2).stims.data)).toEqual(Array.from(ref.get(2).stims.data));
    expect(() => ds.get(3)).toThrow(NotLoadedError);
    const item = await ds.getAsync(-1);
    expect(item.responses.map((r) => Array.from(r.data))).toEqual(ref.get(-1).responses.map((r) => Array.from(r.data)));
    await expect(ds.prefetch([ds.length])).rejects.toThrow(`index ${ds.length} is out of range for length ${ds.length}`);
  });

  it('the cache keeps at most cacheBytes (least recently used out first); items returned earlier keep their values', async () => {
    const sizes = Array.from({ length: ref.length }, (_, i) => i);
    const probe = await ZarrDataset.open(dir);
    const bytes = sizes.map((i) => cellBytes(probe, i));
    const budget = bytes[0] + bytes[1]; // room for items 0 and 1 only
    const ds = await ZarrDataset.open(dir, { cacheBytes: budget });
    await ds.prefetch([0]);
    const kept = ds.get(0);
    await ds.prefetch([1]);
    expect(ds.stats.cachedBytes).toBe(budget);
    ds.get(0); // 0 becomes the most recently used
    await ds.prefetch([2]);
    expect(ds.stats.cachedBytes).toBeLessThanOrEqual(budget);
    expect(() => ds.get(1)).toThrow(NotLoadedError); // evicted: least recently used
    expect(Array.from(kept.stims.data)).toEqual(Array.from(ref.get(0).stims.data));
  });

  it('at most `concurrency` reads in flight; the cells of one chunk come in one coalesced range request', async () => {
    const slow = new CountingSource(dir, 15);
    const ds = await ZarrDataset.open(slow, { concurrency: 2 });
    slow.reads.length = 0;
    slow.maxInFlight = 0; // count the cell reads only (open is checked below)
    await ds.prefetch(Array.from({ length: ds.length }, (_, i) => i));
    expect(slow.maxInFlight).toBe(2);
    // One request per data chunk file touched: every cell of a chunk was wanted, so each chunk
    // is read once, as one range (the 4-byte CRC excluded).
    const perPath = new Map<string, number>();
    for (const r of slow.reads) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
    expect([...perPath.values()].every((n) => n === 1)).toBe(true);
    expect(slow.reads.every((r) => r.start !== undefined && r.end !== undefined && r.end - r.start <= 4 * C)).toBe(true);
    const totalElements = ds.stims.reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
    expect(slow.reads.filter((r) => r.path.startsWith('stims/data/c/'))).toHaveLength(Math.ceil(totalElements / C));
    expect(ds.stats.requests).toBe(slow.reads.length);
  });

  it('open reads the index arrays under the same bound: at most `concurrency` reads in flight', async () => {
    for (const concurrency of [1, 3]) {
      const slow = new CountingSource(dir, 10);
      const ds = await ZarrDataset.open(slow, { concurrency });
      // zarr.json, two data-array headers, five index arrays (each a header and a chunk): more reads than the bound
      expect(slow.reads.length).toBeGreaterThan(3);
      expect(slow.maxInFlight).toBe(concurrency);
      ds.dispose();
    }
  });

  it('concurrent prefetches of the same item share one fetch', async () => {
    const src = new CountingSource(dir, 5);
    const ds = await ZarrDataset.open(src);
    src.reads.length = 0;
    await Promise.all([ds.prefetch([1]), ds.prefetch([1]), ds.getAsync(1)]);
    const once = src.reads.length;
    src.reads.length = 0;
    const fresh = await ZarrDataset.open(src);
    src.reads.length = 0;
    await fresh.prefetch([1]);
    expect(once).toBe(src.reads.length);
  });

  it('transforms in place throw TypeError; a loader with workers accepts a lazy dataset read from a folder', async () => {
    const ds = await ZarrDataset.open(dir);
    expect(() => ds.smoothResponses()).toThrow(TypeError);
    expect(() => ds.normalizeResponses()).toThrow('ZarrDataset.normalizeResponses: a lazy dataset is read-only');
    expect(() => ds.standardizeStims()).toThrow(TypeError);
    const loader = new DataLoader(ds, { numWorkers: 2 }); // workers open the store themselves (test/zarr/lazy-workers.test.ts)
    expect(loader.numWorkers).toBe(2);
    await loader.close();
  });

  it('dispose drops the cached cells; reads afterwards throw DisposedError', async () => {
    const ds = await ZarrDataset.open(dir);
    await ds.prefetch([0]);
    expect(ds.stats.cachedCells).toBeGreaterThan(0);
    const s = ds.iterableStims()[0];
    ds.dispose();
    expect(ds.stats.cachedCells).toBe(0);
    expect(() => ds.stims[s].data).toThrow(DisposedError);
    await expect(ds.prefetch([0])).rejects.toThrow(DisposedError);
  });

  it('a loader over randomSplit of the lazy dataset gives the batches of the same split in memory', async () => {
    const lazy = await ZarrDataset.open(dir, { cacheBytes: 16 * 1024 });
    const epoch = async (d: ZarrDataset | SyntheticDataset) => {
      const [train] = randomSplit(d, [0.75, 0.25], 5);
      const loader = new DataLoader(train, { batchSize: 2, shuffle: true, seed: 2 });
      const out: number[][] = [];
      for await (const b of loader) out.push(Array.from(new Uint32Array(b.responses.data.buffer, b.responses.data.byteOffset, b.responses.data.length)));
      return out;
    };
    expect(await epoch(lazy)).toEqual(await epoch(ref));
  });

  it('cells pinned for batches in flight are released when the loop breaks early (the cache returns under its budget)', async () => {
    const lazy = await ZarrDataset.open(dir, { cacheBytes: 0 }); // only pinned cells stay
    const loader = new DataLoader(lazy, { batchSize: 2, prefetchFactor: 3 });
    for await (const b of loader) {
      expect(b.responses.shape[0]).toBe(2);
      await vi.waitFor(() => expect(lazy.stats.cachedBytes).toBeGreaterThan(0), { timeout: 10_000 }); // batches 1…3 arrive, pinned
      break;
    }
    await vi.waitFor(() => expect(lazy.stats.cachedBytes).toBe(0), { timeout: 10_000 });
  });

  it('a failing read rejects the epoch with its error (pins released); the next epoch works once the source recovers', async () => {
    let broken = true;
    const flaky: FileSource = {
      root: dir.root,
      stat: (p) => dir.stat(p),
      list: (p) => dir.list(p),
      read: async (p, a, b) => {
        if (broken && p === 'responses/data/c/1') throw new FormatError(`${dir.root}/${p}`, 'injected failure');
        return dir.read(p, a, b);
      },
    };
    const lazy = await ZarrDataset.open(flaky, { cacheBytes: 0 });
    const loader = new DataLoader(lazy, { batchSize: 2 });
    const epoch = async () => {
      let n = 0;
      for await (const _ of loader) n++;
      return n;
    };
    await expect(epoch()).rejects.toThrow(`${dir.root}/responses/data/c/1: injected failure`);
    await vi.waitFor(() => expect(lazy.stats.cachedBytes).toBe(0), { timeout: 10_000 });
    broken = false;
    expect(await epoch()).toBe(Math.ceil(lazy.length / 2));
  });

  it('open options are checked', async () => {
    await expect(ZarrDataset.open(dir, { concurrency: 0 })).rejects.toThrow('ZarrDataset: concurrency must be an integer ≥ 1, got 0');
    await expect(ZarrDataset.open(dir, { cacheBytes: -1 })).rejects.toThrow('ZarrDataset: cacheBytes must be a number ≥ 0, got -1');
  });
});
