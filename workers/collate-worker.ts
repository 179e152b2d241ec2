/**
 * The loader's collate worker (Comlink-exposed). It receives the dataset's store once
 * (attaching to the shared memory, or placing one copy of the bytes at the same addresses),
 * then per batch only index lists; it fetches the batch through the item pipeline shared with
 * the calling thread (src/loader/fetch.ts: items from views of the store, the optional per-item
 * transform, the wasm collate) and returns the three buffers by transfer. Consumed buffers sent back by the loader are reused for later batches.
 * @module
 */
import * as Comlink from 'comlink';
import { platform } from '#platform';
import { setDefaultHeap } from '../src/memory/heap.js';
import { reusableBatch, slotArrays, slotLayout } from '../src/loader/batch-memory.js';
import { makeItem } from '../src/contract/item.js';
import { AttachedStore } from '../src/loader/heap-share.js';
import { BatchFetcher } from '../src/loader/fetch.js';
import { loadTransform } from '../src/loader/transform.js';
import type { BatchJob, CollateWorkerApi, StoreDescription, TransformSpec, WireBatch } from '../src/loader/protocol.js';

const MAX_POOLED = 8;
let store: AttachedStore | null = null;
let fetcher: BatchFetcher | null = null;
const pool: ArrayBuffer[][] = [];

const api: CollateWorkerApi = {
  async init(description: StoreDescription, spec: TransformSpec | null) {
    store = new AttachedStore(description);
    setDefaultHeap(store.heap); // library code a transform calls uses this heap too
    const transform = spec ? await loadTransform(spec) : null;
    fetcher = new BatchFetcher({ heap: store.heap, transform, options: spec?.options ?? null, info: description.info, timeoutMs: 0 });
    return { mode: description.mode, owner: store.heap.owner };
  },

  async collate(job: BatchJob): Promise<WireBatch> {
    const st = store;
    if (!st || !fetcher) throw new Error('collate worker used before init');
    const neurons = Array.from(job.neurons);
    const recycled = pool.pop();
    const reuse = recycled ? reusableBatch(recycled) : undefined;
    const slot = job.slot;
    let inSlot = false;
    const into = (respCount: number, stimCount: number) => {
      inSlot = slot !== null && slotLayout(respCount, stimCount).bytes <= slot.buffer.byteLength;
      return inSlot && slot ? slotArrays(slot.buffer, respCount, stimCount) : null;
    };
    const batch = await fetcher.fetch({ batch: job.id, indices: job.stims, neurons, item: (s, b) => makeItem(st, s, neurons, job.extras?.[b] ?? null), reuse, into });
    if (inSlot && recycled) pool.push(recycled);
    const extras: Array<[string, unknown[]]> = [];
    for (const [k, v] of Object.entries(batch)) {
      if (k !== 'stims' && k !== 'responses' && k !== 'validMask' && k !== 'stimMeta') extras.push([k, v as unknown[]]);
    }
    const buffers = inSlot ? null : ([batch.stims.data.buffer, batch.responses.data.buffer, batch.validMask.data.buffer] as ArrayBuffer[]);
    const out: WireBatch = { stimShape: batch.stims.shape, respShape: batch.responses.shape, buffers, extras, pooled: pool.length };
    return buffers ? Comlink.transfer(out, [...new Set(buffers)]) : out;
  },

  recycle(buffers: ArrayBuffer[]) {
    if (buffers.length === 3 && pool.length < MAX_POOLED) pool.push(buffers);
  },

  quiesce() {
    store?.heap.seal(); // from now on a batch in progress fails instead of taking the allocator's lock
  },
};

Comlink.expose(api, platform.workerEndpoint());
