/**
 * The loader's collate worker. It receives the dataset's store once through Comlink —
 * attaching to the shared memory, placing one copy of the bytes at the same addresses, or, for
 * a lazy dataset, opening the store itself (src/zarr/worker-store.ts) — then per batch only an
 * index list, as a bare message (src/loader/protocol.ts `PoolMessage`); it fetches the batch
 * through the item pipeline shared with the calling thread (src/loader/fetch.ts: items from the
 * store's cells, the optional per-item transform, the wasm collate), writes it into the job's
 * shared slot or new buffers, and answers with its shapes (and those buffers, by transfer). A
 * lazy store's cells are fetched and decoded here, batch by batch (batches queued in this worker
 * fetch concurrently; they are collated one at a time). Consumed buffers sent back by the loader
 * are reused for later batches.
 * @module
 */
import * as Comlink from 'comlink';
import { platform } from '#platform';
import { setDefaultHeap } from '../src/memory/heap.js';
import { reusableBatch, slotArrays, slotLayout } from '../src/loader/batch-memory.js';
import { makeItem, type CellSource } from '../src/contract/item.js';
import { AttachedStore } from '../src/loader/heap-share.js';
import { BatchFetcher } from '../src/loader/fetch.js';
import { loadTransform } from '../src/loader/transform.js';
import { toFailure, type BatchReply, type CollateWorkerApi, type PoolMessage, type TransformSpec, type WireBatch, type WireJob, type WorkerStore } from '../src/loader/protocol.js';
import { WorkerZarrStore } from '../src/zarr/worker-store.js';

const MAX_POOLED = 8;
/** Where items read their cells (either store), the packed store (its heap is sealed at the end), the lazy one. */
let cells: CellSource | null = null;
let attached: AttachedStore | null = null;
let lazy: WorkerZarrStore | null = null;
let fetcher: BatchFetcher | null = null;
/** The tail of the batches being collated: one at a time (the transform arena is reset per batch). */
let turn: Promise<unknown> = Promise.resolve();
const pool: ArrayBuffer[][] = [];
/** The neurons of the last job that carried them (a job whose `neurons` is null has these), as a list once per selection. */
let neurons: number[] = [];

/** Collates `job` over `neurons` (its cells in memory). */
async function collateNow(job: WireJob, neurons: readonly number[], st: CellSource, f: BatchFetcher): Promise<WireBatch> {
  const recycled = pool.pop();
  const reuse = recycled ? reusableBatch(recycled) : undefined;
  const slot = job.slot;
  let inSlot = false;
  const into = (respCount: number, stimCount: number) => {
    inSlot = slot !== null && slotLayout(respCount, stimCount).bytes <= slot.buffer.byteLength;
    return inSlot && slot ? slotArrays(slot.buffer, respCount, stimCount) : null;
  };
  const batch = await f.fetch({ batch: job.id, indices: job.stims, neurons, item: (s, b) => makeItem(st, s, neurons, job.extras?.[b] ?? null), reuse, into });
  if (inSlot && recycled) pool.push(recycled);
  const extras: Array<[string, unknown[]]> = [];
  for (const [k, v] of Object.entries(batch)) {
    if (k !== 'stims' && k !== 'responses' && k !== 'validMask' && k !== 'stimMeta') extras.push([k, v as unknown[]]);
  }
  const buffers = inSlot ? null : ([batch.stims.data.buffer, batch.responses.data.buffer, batch.validMask.data.buffer] as ArrayBuffer[]);
  return { stimShape: batch.stims.shape, respShape: batch.responses.shape, buffers, extras, pooled: pool.length };
}

const api: CollateWorkerApi = {
  async init(description: WorkerStore, spec: TransformSpec | null, port: MessagePort) {
    let heap;
    if (description.mode === 'lazy') {
      lazy = await WorkerZarrStore.open(description);
      cells = lazy.cells;
    } else {
      attached = new AttachedStore(description);
      cells = attached;
      heap = attached.heap;
      setDefaultHeap(heap); // library code a transform calls uses this heap too
    }
    const transform = spec ? await loadTransform(spec) : null;
    fetcher = new BatchFetcher({ heap, transform, options: spec?.options ?? null, info: description.info, timeoutMs: 0 });
    port.addEventListener('message', (ev: MessageEvent<PoolMessage>) => {
      const m = ev.data;
      if (m.op === 'collate') {
        if (m.job.neurons) neurons = Array.from(m.job.neurons);
        void answer(port, m.seq, m.job, neurons);
      }
      else if (m.buffers.length === 3 && pool.length < MAX_POOLED) pool.push(m.buffers);
    });
    port.start();
    return { mode: description.mode, owner: heap?.owner ?? -1 };
  },

  quiesce() {
    attached?.heap.seal(); // from now on a batch in progress fails instead of taking the allocator's lock
  },
};

/** Fetches and collates `job` over `neurons`: a lazy store's cells are fetched (and pinned) first, batches collate one at a time. */
async function collate(job: WireJob, neurons: readonly number[]): Promise<WireBatch> {
  const st = cells;
  const f = fetcher;
  if (!st || !f) throw new Error('collate worker used before init');
  const release = lazy ? await lazy.acquire(job.stims, neurons) : null;
  const mine = turn.then(() => collateNow(job, neurons, st, f));
  turn = mine.catch(() => undefined);
  try {
    return await mine;
  } finally {
    release?.();
  }
}

/** Collates a job and answers it on `port`; a failure (or a result that cannot be cloned) is answered as one. */
async function answer(port: MessagePort, seq: number, job: WireJob, neurons: readonly number[]): Promise<void> {
  let reply: BatchReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const wire = await collate(job, neurons);
    reply = { reply: seq, wire };
    if (wire.buffers) transfer = [...new Set(wire.buffers)];
  } catch (e) {
    reply = { reply: seq, failure: toFailure(e) };
  }
  try {
    port.postMessage(reply, transfer);
  } catch (e) {
    // Not cloneable (a transform's extra key holding a function, or a thrown value that is not an Error).
    port.postMessage({ reply: seq, failure: toFailure(e instanceof Error ? e : new TypeError(String(e))) } satisfies BatchReply);
  }
}

Comlink.expose(api, platform.workerEndpoint());
