// Helper of bench/loader.bench.ts: times a per-item transform on its own (no loader) in the
// calling thread, so the benchmark can measure how well the transform itself scales to two
// threads on this machine — the ceiling for any loader's 2 / 0 worker ratio.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SyntheticDataset, type ItemTransform, type SyntheticDatasetOptions } from '../src/index.js';
import { datasetInfo } from '../src/loader/heap-share.js';
import { BatchFetcher } from '../src/loader/fetch.js';
import { datasetCells, makeItem } from '../src/contract/item.js';

export interface ScalingJob { file: string; data: SyntheticDatasetOptions; options: unknown; items: number }

/** Milliseconds to transform `items` items (after a warm-up), cycling over the dataset. */
export async function timeTransform(job: ScalingJob): Promise<number> {
  const mod = (await import(new URL(job.file, import.meta.url).href)) as { transform: ItemTransform };
  const ds = new SyntheticDataset({ ...job.data, nStims: 8 });
  // The loader's own item pipeline, minus the collate: items, then the transform (arena reset per batch).
  const fetcher = new BatchFetcher({ transform: mod.transform, options: job.options, info: datasetInfo(ds), timeoutMs: 0 });
  const cells = datasetCells(ds);
  const stims = ds.iterableStims();
  const neurons = ds.selectedNeurons();
  const run = async (n: number) => {
    for (let k = 0; k < n; k += 8) {
      const indices = Array.from({ length: Math.min(8, n - k) }, (_, j) => stims[(k + j) % stims.length]);
      await fetcher.items({ batch: k / 8, indices, neurons, item: (s) => makeItem(cells, s, neurons, null) });
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
