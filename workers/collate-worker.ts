/**
 * The loader's collate worker (Comlink-exposed). It receives the dataset's store once
 * (attaching to the shared memory, or placing one copy of the bytes at the same addresses),
 * then per batch only index lists; it builds the items from views of the store, runs the
 * optional per-item transform, collates with the wasm kernels and returns the three buffers by
 * transfer. Consumed buffers sent back by the loader are reused for later batches.
 * @module
 */
import * as Comlink from 'comlink';
import { platform } from '#platform';
import { setDefaultHeap } from '../src/memory/heap.js';
import { neuralCollate, type Batch, type CollateItem } from '../src/collate/neural-collate.js';
import { AttachedStore } from '../src/loader/heap-share.js';
import { TransformArena, loadTransform, type ItemTransform, type LoaderItem } from '../src/loader/transform.js';
import type { BatchJob, CollateWorkerApi, StoreDescription, TransformSpec, WireBatch } from '../src/loader/protocol.js';

const MAX_POOLED = 8;
let store: AttachedStore | null = null;
let transform: ItemTransform | null = null;
let transformOptions: unknown = null;
let arena: TransformArena | null = null;
const pool: ArrayBuffer[][] = [];

const api: CollateWorkerApi = {
  async init(description: StoreDescription, spec: TransformSpec | null) {
    store = new AttachedStore(description);
    setDefaultHeap(store.heap); // library code a transform calls uses this heap too
    arena = new TransformArena(store.heap);
    if (spec) {
      transform = await loadTransform(spec);
      transformOptions = spec.options;
    }
    return { mode: description.mode, owner: store.heap.owner };
  },

  async collate(job: BatchJob): Promise<WireBatch> {
    const st = store;
    if (!st) throw new Error('collate worker used before init');
    const d = st.description;
    const neurons = Array.from(job.neurons);
    const items: CollateItem[] = [];
    arena?.reset();
    const alloc = (shape: readonly number[]) => (arena as TransformArena).alloc(shape);
    for (let b = 0; b < job.stims.length; b++) {
      const s = job.stims[b];
      let item: LoaderItem = {
        stims: st.stim(s),
        responses: neurons.map((n) => st.cell(s, n)),
        stimMeta: d.stimMeta?.[s] ?? {},
        ...(job.extras?.[b] ?? {}),
      };
      if (transform) item = (await transform(item, { stimIndex: s, neurons, dataset: d.info, options: transformOptions, alloc })) as LoaderItem;
      items.push(item);
    }
    const recycled = pool.pop();
    const reuse = recycled
      ? ({
          stims: { dtype: 'float32', shape: [], data: new Float32Array(recycled[0]) },
          responses: { dtype: 'float32', shape: [], data: new Float32Array(recycled[1]) },
          validMask: { dtype: 'bool', shape: [], data: new Uint8Array(recycled[2]) },
          stimMeta: [],
        } satisfies Batch)
      : undefined;
    const batch = neuralCollate(items, { reuse });
    const extras: Array<[string, unknown[]]> = [];
    for (const [k, v] of Object.entries(batch)) {
      if (k !== 'stims' && k !== 'responses' && k !== 'validMask' && k !== 'stimMeta') extras.push([k, v as unknown[]]);
    }
    const out: WireBatch = { stims: batch.stims, responses: batch.responses, validMask: batch.validMask, extras, pooled: pool.length };
    const buffers = [batch.stims.data.buffer, batch.responses.data.buffer, batch.validMask.data.buffer] as ArrayBuffer[];
    return Comlink.transfer(out, [...new Set(buffers)]);
  },

  recycle(buffers: ArrayBuffer[]) {
    if (buffers.length === 3 && pool.length < MAX_POOLED) pool.push(buffers);
  },

  quiesce() {
    store?.heap.seal(); // from now on a batch in progress fails instead of taking the allocator's lock
  },
};

Comlink.expose(api, platform.workerEndpoint());
