// The DataLoader with workers over a lazy dataset (src/zarr/worker-store.ts): each worker opens
// the store itself (a folder in Node, OPFS in Chromium, and over HTTP from the scratch server),
// and the batches are byte-identical to those of the dataset in memory and of the lazy dataset
// with numWorkers: 0, for 2 seeds × 2 epochs, with 0, 1 and 2 workers, a selection and a Subset
// included, a selection changed between epochs, a loop broken and resumed, a per-item transform.
// The calling thread's dataset makes no request once open (its source and fetch are spied on; the
// server's log shows the workers' chunk requests); a source a worker cannot open again is refused
// with a TypeError.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DataLoader, HttpSource, MemorySource, Subset, SyntheticDataset, ZarrDataset, type Batch, type MapDataset, type TransformOption, type WritableSource } from '../../src/index.js';
import { storeLocation } from '../../src/zarr/store-location.js';
import { listFiles, servedStore } from '../helpers/zarr.js';

let dir: WritableSource;
let url: string;
let prefix: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  // Small chunks: cells span chunk boundaries; a seed whose dataset has missing pairs (sentinels).
  ({ dir, url, prefix, remove } = await servedStore('lazy-workers', new SyntheticDataset({ seed: 11, nNeurons: 7, nStims: 13 }), 900));
});
afterAll(async () => {
  await remove();
});

/** One epoch's batches as bytes (stims, responses, validMask), shapes, metadata and the transform's `tag` key. */
async function epochOf(d: MapDataset<unknown>, o: { numWorkers: number; seed: number; epoch: number; transform?: TransformOption }) {
  const loader = new DataLoader(d, { batchSize: 3, shuffle: true, seed: o.seed, numWorkers: o.numWorkers, prefetchFactor: 2, transform: o.transform });
  loader.setEpoch(o.epoch);
  const out: unknown[] = [];
  const bytes = (t: Batch['stims'] | Batch['validMask']) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  for await (const b of loader) out.push({ shapes: [b.stims.shape, b.responses.shape], stims: bytes(b.stims), responses: bytes(b.responses), mask: bytes(b.validMask), meta: b.stimMeta, tag: b.tag });
  const transport = loader.stats.transport;
  await loader.close();
  return { out, transport };
}

/** The same selection on the dataset in memory and on the lazy one. */
function select(d: SyntheticDataset | ZarrDataset): void {
  d.selectStimsByAttr('subset', 'est');
  d.selectPopulation([6, 2, 3, 0]);
}

describe('DataLoader workers over a lazy dataset', () => {
  for (const where of ['folder', 'http'] as const) {
    it(`${where}: 0, 1 and 2 workers give the batches of the dataset in memory (2 seeds × 2 epochs); the calling thread fetches nothing`, async () => {
      const ref = new SyntheticDataset({ seed: 11, nNeurons: 7, nStims: 13 });
      // A cache smaller than the data (about 30 KiB of cells): workers evict as they go.
      const lazy = await ZarrDataset.open(where === 'folder' ? dir : url, { cacheBytes: 8 * 1024, concurrency: 2 });
      const opened = lazy.stats.requests;
      const reads = vi.spyOn(lazy.source, 'read');
      const fetches = vi.spyOn(globalThis, 'fetch');
      try {
        for (const seed of [3, 8]) {
          for (const epoch of [0, 1]) {
            const want = (await epochOf(ref, { numWorkers: 0, seed, epoch })).out;
            for (const numWorkers of [1, 2]) {
              const got = await epochOf(lazy, { numWorkers, seed, epoch });
              expect(got.transport).toBe('lazy');
              expect(got.out, `seed ${seed}, epoch ${epoch}, ${numWorkers} workers`).toEqual(want);
            }
          }
        }
        // Everything above came from the workers: no read, no request in this thread.
        expect(lazy.stats.requests).toBe(opened);
        expect(reads).not.toHaveBeenCalled();
        expect(fetches).not.toHaveBeenCalled();
        if (where === 'http') {
          // …while the server did answer chunk requests (the workers').
          fetches.mockRestore();
          const log = (await (await fetch(`${inject('scratchBaseUrl')}__log/${prefix}/`)).json()) as Array<{ path: string; range: string | null }>;
          expect(log.filter((r) => r.path.startsWith(`${prefix}/responses/data/c/`) && r.range !== null).length).toBeGreaterThan(0);
        }
        // The 0-worker lazy path (in this thread) gives the same batches too.
        expect((await epochOf(lazy, { numWorkers: 0, seed: 8, epoch: 1 })).out).toEqual((await epochOf(ref, { numWorkers: 0, seed: 8, epoch: 1 })).out);
        expect(lazy.stats.requests).toBeGreaterThan(opened);
      } finally {
        reads.mockRestore();
        fetches.mockRestore();
      }
    });
  }

  it('a selection and a Subset of it: the workers read the same cells as the dataset in memory', async () => {
    const ref = new SyntheticDataset({ seed: 11, nNeurons: 7, nStims: 13 });
    const lazy = await ZarrDataset.open(dir, { cacheBytes: 16 * 1024 });
    select(ref);
    select(lazy);
    const pick = [4, 0, 2, 5, 1];
    for (const seed of [1, 2]) {
      for (const epoch of [0, 1]) {
        const want = (await epochOf(new Subset(ref, pick), { numWorkers: 0, seed, epoch })).out;
        expect(want.length).toBe(2); // 5 items in batches of 3
        expect((await epochOf(new Subset(lazy, pick), { numWorkers: 2, seed, epoch })).out).toEqual(want);
        expect((await epochOf(new Subset(lazy, pick), { numWorkers: 0, seed, epoch })).out).toEqual(want);
      }
    }
  });

  it('a selection changed between epochs of one loader, and a loop broken after one batch: the next epochs follow', async () => {
    const ref = new SyntheticDataset({ seed: 11, nNeurons: 7, nStims: 13 });
    const lazy = await ZarrDataset.open(dir, { cacheBytes: 8 * 1024 });
    const loaders = [ref, lazy].map((d, i) => new DataLoader(d, { batchSize: 4, shuffle: true, seed: 6, numWorkers: i === 0 ? 0 : 2, workerIdleTimeout: Infinity }));
    const epoch = async (l: DataLoader, take = Infinity) => {
      const out: Array<{ shape: number[]; stims: number[]; responses: number[] }> = [];
      for await (const b of l) {
        out.push({ shape: b.responses.shape, stims: Array.from(b.stims.data), responses: Array.from(b.responses.data) });
        if (out.length >= take) break;
      }
      return out;
    };
    try {
      const run = async (take = Infinity) => Promise.all(loaders.map((l) => epoch(l, take)));
      const [a0, b0] = await run();
      expect(b0).toEqual(a0);
      for (const d of [ref, lazy]) d.selectPopulation([5, 1]);
      const [a1, b1] = await run();
      expect(b1).toEqual(a1);
      expect(a1[0].shape[1]).toBe(2); // responses (B, N = 2, R, T): the new selection
      const [a2, b2] = await run(1); // broken after one batch: the workers are stopped
      expect(b2).toEqual(a2);
      expect(loaders[1].stats.liveWorkers).toBe(0);
      const [a3, b3] = await run();
      expect(b3).toEqual(a3);
      expect(loaders[1].stats.poolStarts).toBe(2);
    } finally {
      await Promise.all(loaders.map((l) => l.close()));
    }
  });

  it('a per-item transform (writing into its per-batch arena) runs in the lazy workers as in the calling thread', async () => {
    const ref = new SyntheticDataset({ seed: 11, nNeurons: 7, nStims: 13 });
    const lazy = await ZarrDataset.open(dir, { cacheBytes: 8 * 1024 });
    const transform = { url: new URL('../loader/fixtures/scale-transform.ts', import.meta.url), options: { factor: 3, arena: true } };
    const want = (await epochOf(ref, { numWorkers: 0, seed: 2, epoch: 0, transform })).out;
    // The fixture adds `tag` = the absolute stimulus index of each item.
    expect((want[0] as { tag: number[] }).tag).toHaveLength(3);
    expect((await epochOf(lazy, { numWorkers: 2, seed: 2, epoch: 0, transform })).out).toEqual(want);
  });

  it('one loader across epochs keeps its workers and prefetches the next epoch; in-flight bound holds', async () => {
    const ref = new SyntheticDataset({ seed: 11, nNeurons: 7, nStims: 13 });
    const lazy = await ZarrDataset.open(dir, { cacheBytes: 8 * 1024 });
    const run = async (d: SyntheticDataset | ZarrDataset, numWorkers: number) => {
      const loader = new DataLoader(d, { batchSize: 2, shuffle: true, seed: 5, numWorkers, prefetchFactor: 2, workerIdleTimeout: Infinity });
      const epochs: number[][][] = [];
      for (let e = 0; e < 3; e++) {
        const out: number[][] = [];
        for await (const b of loader) out.push(Array.from(b.responses.data));
        epochs.push(out);
      }
      const stats = { ...loader.stats };
      await loader.close();
      return { epochs, stats };
    };
    const want = await run(ref, 0);
    const got = await run(lazy, 2);
    expect(got.epochs).toEqual(want.epochs);
    expect(got.stats.poolStarts).toBe(1);
    expect(got.stats.prefetchedAhead).toBeGreaterThan(0);
    expect(got.stats.maxInFlight).toBeLessThanOrEqual(2 * 2);
  });

  it('a source a worker cannot open again (a MemorySource) is refused at construction, naming the fix', async () => {
    const files = new Map<string, Uint8Array>();
    for (const f of await listFiles(dir)) files.set(f, await dir.read(f));
    const ds = await ZarrDataset.open(new MemorySource(files), { cacheBytes: 1 << 20 });
    expect(ds.location).toBeNull();
    expect(() => new DataLoader(ds, { numWorkers: 2 })).toThrow(TypeError);
    expect(() => new DataLoader(new Subset(ds, [0, 1]), { numWorkers: 1 })).toThrow(
      'DataLoader: numWorkers > 0 needs a ZarrDataset that each worker can open again: this one reads MemorySource',
    );
    expect(() => new DataLoader(ds, { numWorkers: 1 })).toThrow('Open it with ZarrDataset.open(path or http(s) URL)');
    expect(new DataLoader(ds, { numWorkers: 0 }).length).toBeGreaterThan(0); // the calling thread still reads it
  });

  it('an HttpSource is posted with its file list and headers; one with its own fetch cannot be', async () => {
    const files = [{ path: 'zarr.json', size: 10 }];
    expect(storeLocation(new HttpSource(url, { files, complete: true, headers: { Authorization: 'Bearer t' } }))).toEqual({
      kind: 'http', url, options: { files: [{ path: 'zarr.json', size: 10 }], complete: true, headers: { Authorization: 'Bearer t' } },
    });
    expect(storeLocation(new HttpSource(url))).toEqual({ kind: 'http', url, options: {} });
    const own = await ZarrDataset.open(new HttpSource(url, { fetch: (input, init) => fetch(input, init) }));
    expect(own.location).toBeNull();
    expect(() => new DataLoader(own, { numWorkers: 2 })).toThrow(`this one reads HttpSource ${url}, which cannot be posted to a worker`);
  });
});
