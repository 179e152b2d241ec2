// Helper of bench/loader.bench.ts: times a per-item transform on its own (no loader) in the
// calling thread, so the benchmark can measure how well the transform itself scales to two
// threads on this machine — the ceiling for any loader's 2 / 0 worker ratio.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SyntheticDataset, type ItemTransform, type SyntheticDatasetOptions } from '../src/index.js';
import { datasetInfo } from '../src/loader/heap-share.js';
import { TransformArena } from '../src/loader/transform.js';
import { defaultHeap } from '../src/memory/heap.js';

export interface ScalingJob { file: string; data: SyntheticDatasetOptions; options: unknown; items: number }

/** Milliseconds to transform `items` items (after a warm-up), cycling over the dataset. */
export async function timeTransform(job: ScalingJob): Promise<number> {
  const mod = (await import(new URL(job.file, import.meta.url).href)) as { transform: ItemTransform };
  const ds = new SyntheticDataset({ ...job.data, nStims: 8 });
  const info = datasetInfo(ds);
  const stims = ds.iterableStims();
  const items = stims.map((_, k) => ds.get(k));
  const arena = new TransformArena(defaultHeap());
  const alloc = (shape: readonly number[]) => arena.alloc(shape);
  const run = async (n: number) => {
    for (let k = 0; k < n; k++) {
      if (k % 8 === 0) arena.reset(); // as the loader does per batch
      await mod.transform(items[k % items.length], { stimIndex: stims[k % items.length], neurons: [], dataset: info, options: job.options, alloc });
    }
  };
  await run(8);
  const t0 = performance.now();
  await run(job.items);
  return performance.now() - t0;
}

if (!isMainThread && parentPort && (workerData as { scalingJob?: ScalingJob })?.scalingJob) {
  parentPort.postMessage(await timeTransform((workerData as { scalingJob: ScalingJob }).scalingJob));
}
