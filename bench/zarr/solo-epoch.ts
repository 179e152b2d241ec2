// Child process of bench/zarr/solo.ts: one DataLoader over one dataset (lazy from a folder or URL,
// cold cache; or the generator's first stimuli in memory), `epochs` epochs, alone in this process.
//   node --expose-gc --import tsx bench/zarr/solo-epoch.ts '<SoloArgs as JSON>'
// A small in-memory epoch first compiles the collate path and the checksum (not measured).
import { DataLoader, ZarrDataset } from '../../src/index.js';
import { BigDataset } from './big-dataset.js';
import { RssSampler, timedEpoch, type EpochRun } from './measure.js';
import { SOLO_TAG, type SoloArgs, type SoloResult } from './solo.js';

const a = JSON.parse(process.argv[2]) as SoloArgs;
const loaderOf = (ds: ZarrDataset | BigDataset) =>
  new DataLoader(ds, { batchSize: a.batchSize, shuffle: true, seed: a.seed, prefetchFactor: a.prefetchFactor, numWorkers: a.numWorkers });

// Warm-up.
const small = new BigDataset(a.spec, Math.min(a.spec.nStims, 2 * a.batchSize));
const warm = new DataLoader(small, { batchSize: a.batchSize });
await timedEpoch(warm);
await warm.close();
small.dispose();
(globalThis as { gc?: () => void }).gc?.();

const rss = new RssSampler();
const rssBefore = process.memoryUsage().rss;
rss.reset();
const ds = a.where === null ? new BigDataset(a.spec, a.memStims) : await ZarrDataset.open(a.where, { cacheBytes: a.cacheBytes, concurrency: a.concurrency });
const loader = loaderOf(ds);
const runs: EpochRun[] = [];
for (let e = 0; e < a.epochs; e++) runs.push(await timedEpoch(loader, () => rss.sample()));
await loader.close();
rss.stop();
const result: SoloResult = { runs, rssBefore, peakRss: rss.peak };
ds.dispose();
console.log(SOLO_TAG + JSON.stringify(result));
