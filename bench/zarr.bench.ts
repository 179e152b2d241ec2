// Bigger than memory: a generated dataset of DEEPSTRF_BENCH_ZARR_GB gigabytes (default 3) exported
// as a Zarr store, then read lazily by a DataLoader with cacheBytes = DEEPSTRF_BENCH_ZARR_CACHE_MB
// (default 256 MiB), from the folder and over a loopback HTTP server in its own process
// (test/helpers/static-server-process.ts).
//
// The dataset (bench/zarr/big-dataset.ts) is built and exported by a child process
// (bench/zarr/export-big.ts), so this process never holds it; the store is kept in
// DEEPSTRF_BENCH_ZARR_DIR (default: the temporary folder) and reused when already complete.
// Exactness: every batch of every lazy epoch is checksummed (test/helpers/batch-checksum.ts) and
// compared with the batch collated from the same stimuli regenerated from the generator's formula
// (not timed); each epoch must hold every stimulus once.
//
// Figures (batch 8, shuffled, numWorkers 0; the consumer's only work is the checksum):
//   - batches/s lazy (folder, cold then warm cache; HTTP without latency) against in memory, in
//     this process; the in-memory dataset is the generator's first stimuli (≈ cacheBytes of them,
//     same distribution of cell shapes, so the same batch sizes), as the whole one cannot be held;
//   - peak RSS during the lazy epochs, and its growth over the RSS before the store was opened,
//     against the cache limit;
//   - with LATENCY_MS (20 ms) injected per HTTP request, the fraction of latency hidden:
//       budget  = requests × d / concurrency       (what the latency costs if nothing overlaps it:
//                                                   each wave of `concurrency` requests waits d;
//                                                   d = the delay the server really injected, mean,
//                                                   ≥ 20 ms: its timers fire late on a loaded machine)
//       exposed = T(HTTP, 20 ms) − T(HTTP, 0 ms)    (same epoch, same requests, cold cache both times)
//       hidden  = 1 − exposed / budget
//     and, as a stricter variant, exposed measured against the in-memory epoch time of the same
//     number of batches instead of the 0 ms HTTP epoch (it also counts fetching and copying).
//   - with WORKERS (2) loader workers, each opening the store itself with cacheBytes / WORKERS of
//     cache (docs/zarr.md): batches/s lazy (folder, second epoch) against in memory with as many
//     workers (second epoch), the latency hidden over HTTP (paired as above, each loader with
//     WORKERS workers), and the peak RSS of those epochs (the workers are threads of this
//     process) against cacheBytes.
// The last line, `ZARR_BENCH_RESULT {json}`, is what test/node/zarr/bench.test.ts reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataLoader, ZarrDataset, defaultHeap } from '../src/index.js';
import { HEADER_KEY } from '../src/zarr/layout.js';
import { batchChecksum } from '../test/helpers/batch-checksum.js';
import { serveFolderProcess } from '../test/helpers/static-server-process.js';
import { BigDataset, expectedBatch, specBytes, specForBytes, type BigSpec } from './zarr/big-dataset.js';
import { MB, RssSampler, pairedEpochs, timedEpoch, type EpochRun } from './zarr/measure.js';

const GB = Number(process.env.DEEPSTRF_BENCH_ZARR_GB ?? 3);
const CACHE_BYTES = Number(process.env.DEEPSTRF_BENCH_ZARR_CACHE_MB ?? 256) * 2 ** 20;
const LATENCY_MS = 20;
const CONCURRENCY = 8;
const BATCH = 8;
const PREFETCH = 4;
const WORKERS = 2;
const SEED = 1;

const spec = specForBytes(GB * 1e9);
const dir = process.env.DEEPSTRF_BENCH_ZARR_DIR ?? join(tmpdir(), `deepstrf-bench-zarr-${spec.seed}-${spec.nStims}`);
const root = fileURLToPath(new URL('..', import.meta.url));

/** The store in `dir` is a complete export of `spec`. */
function storeIsComplete(): boolean {
  const file = join(dir, 'zarr.json');
  if (!existsSync(file)) return false;
  const h = JSON.parse(readFileSync(file, 'utf8'))?.attributes?.[HEADER_KEY];
  return h?.complete === true && h?.S === spec.nStims && JSON.stringify(h?.provenance?.options) === JSON.stringify(spec);
}

console.log(`dataset: ${spec.nStims} stimuli × ${spec.nNeurons} neurons, ${(specBytes(spec) / 1e9).toFixed(2)} GB of float32; store ${dir}`);
if (storeIsComplete()) console.log('export: reusing the complete store already there');
else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/zarr/export-big.ts'), dir, JSON.stringify(spec)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`export failed (${r.status ?? r.signal})`);
  const e = JSON.parse(r.stdout.trim().split('\n').pop()!) as { buildMs: number; exportMs: number; bytes: number; chunks: number; peakRss: number };
  console.log(`export: built in ${(e.buildMs / 1000).toFixed(1)} s, wrote ${e.chunks} chunks (${MB(e.bytes)} MiB) in ${(e.exportMs / 1000).toFixed(1)} s (${((e.bytes / 2 ** 20) / (e.exportMs / 1000)).toFixed(0)} MiB/s); exporter peak RSS ${MB(e.peakRss)} MiB`);
}

/** Checks an epoch: every stimulus once, and each batch equal to the regenerated one. */
function check(run: EpochRun, nStims: number, s: BigSpec): { exact: boolean; covered: boolean } {
  const seen = run.stims.flat().sort((a, b) => a - b);
  const covered = seen.length === nStims && seen.every((x, i) => x === i);
  const exact = run.stims.every((stims, k) => batchChecksum(expectedBatch(s, stims)) === run.checksums[k]);
  return { exact, covered };
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const open = (where: string) => ZarrDataset.open(where, { cacheBytes: CACHE_BYTES, concurrency: CONCURRENCY });
const loaderOf = (ds: ZarrDataset | BigDataset, numWorkers = 0) => new DataLoader(ds, { batchSize: BATCH, shuffle: true, seed: SEED, prefetchFactor: PREFETCH, numWorkers });
const rate = (r: EpochRun) => r.batches / (r.ms / 1000);

/** In-memory epochs over the generator's first `n` stimuli, one loader (the dataset disposed after); the last epoch's run. */
async function memoryEpoch(n: number, numWorkers = 0, epochs = 1): Promise<EpochRun> {
  const mem = new BigDataset(spec, n);
  const loader = loaderOf(mem, numWorkers);
  try {
    let run = await timedEpoch(loader);
    for (let e = 1; e < epochs; e++) run = await timedEpoch(loader);
    return run;
  } finally {
    await loader.close();
    mem.dispose();
  }
}

// The in-memory dataset: the generator's first stimuli, about max(cacheBytes, 256 MiB) of them.
let memStims = Math.min(spec.nStims, 2 * BATCH);
while (memStims < spec.nStims && specBytes(spec, Math.min(spec.nStims, memStims * 2)) <= Math.max(CACHE_BYTES, 256 * 2 ** 20)) memStims = Math.min(spec.nStims, memStims * 2);

// 0. Warm-up (compilation of the collate path and the checksum), on a small in-memory dataset.
await memoryEpoch(Math.min(spec.nStims, 2 * BATCH));
gc();
const rss = new RssSampler();
const rssBefore = process.memoryUsage().rss;
rss.reset();

interface Phase { name: string; run: EpochRun; requests: number }
const phases: Phase[] = [];
async function lazyEpochs(name: string, where: string, epochs: number, numWorkers = 0): Promise<Phase[]> {
  const ds = await open(where);
  const loader = loaderOf(ds, numWorkers);
  const out: Phase[] = [];
  try {
    for (let e = 0; e < epochs; e++) {
      loader.setEpoch(e);
      const req0 = ds.stats.requests;
      const run = await timedEpoch(loader, () => rss.sample());
      const phase = { name: epochs > 1 ? `${name}, epoch ${e + 1}${e === 0 ? ' (cold cache)' : ''}` : name, run, requests: ds.stats.requests - req0 };
      console.log(`  ${phase.name}: ${run.batches} batches in ${(run.ms / 1000).toFixed(1)} s`);
      out.push(phase);
    }
  } finally {
    await loader.close();
    ds.dispose();
  }
  phases.push(...out);
  return out;
}

// 1. From the folder, cold cache.
const [folder] = await lazyEpochs('lazy, folder, cold cache', dir, 1);
// 2. Over HTTP, paired: two servers (each in its own process, so this one's event loop, busy
//    collating, cannot delay them), one without latency and one with LATENCY_MS per request; two
//    cold datasets, the same epoch (so the same cells), batches taken from each loader in turn.
const servers = [await serveFolderProcess(dir), await serveFolderProcess(dir, { latencyMs: LATENCY_MS })];
let http0: Phase, http20: Phase;
let injectedMs = LATENCY_MS;
try {
  const dss = await Promise.all(servers.map((s) => open(s.url)));
  const loaders = dss.map((d) => loaderOf(d));
  loaders.forEach((l) => l.setEpoch(0));
  await Promise.all(servers.map((s) => s.resetStats()));
  const [r0, r20] = await pairedEpochs(loaders, () => rss.sample());
  [http0, http20] = [r0, r20].map((run, i) => ({ name: `lazy, HTTP, ${i === 0 ? 0 : LATENCY_MS} ms per request (paired)`, run, requests: dss[i].stats.requests }));
  phases.push(http0, http20);
  await Promise.all(loaders.map((l) => l.close()));
  dss.forEach((d) => d.dispose());
  const st = await servers[1].stats();
  injectedMs = st.delayMs / Math.max(1, st.requests);
  console.log(`  HTTP, paired: ${r0.batches} batches each; time in next(): ${(r0.ms / 1000).toFixed(1)} s without latency, ${(r20.ms / 1000).toFixed(1)} s with`);
  console.log(`  server with latency: ${st.requests} requests (${st.rangeRequests} with Range), ${MB(st.bytes)} MiB sent, each held back ${injectedMs.toFixed(1)} ms on average, open at once: ${st.meanInFlight.toFixed(1)} on average while any was, ${st.maxInFlight} at most (concurrency ${CONCURRENCY})`);
} finally {
  await Promise.all(servers.map((s) => s.close()));
}
const peakLazy = rss.peak;
const after = process.memoryUsage();
const heapAfter = defaultHeap().stats();

// 3. From the folder with WORKERS loader workers (the requests are theirs: this thread makes none):
//    two epochs of one loader; the second (workers started, caches of cacheBytes / WORKERS far
//    smaller than the data) is the one compared.
gc();
rss.reset();
const rssBeforeWorkers = process.memoryUsage().rss;
const [, folderWorkers] = await lazyEpochs(`lazy, folder, ${WORKERS} workers`, dir, 2, WORKERS);
// 3b. Over HTTP with WORKERS workers per loader, paired as in 2 (the servers count the requests:
//     the workers make them, the index reads of each worker's open included).
const serversW = [await serveFolderProcess(dir), await serveFolderProcess(dir, { latencyMs: LATENCY_MS })];
let httpW0: Phase, httpW20: Phase;
let injectedWMs = LATENCY_MS;
try {
  const dss = await Promise.all(serversW.map((s) => open(s.url)));
  const loaders = dss.map((d) => loaderOf(d, WORKERS));
  await Promise.all(serversW.map((s) => s.resetStats()));
  const runs = await pairedEpochs(loaders, () => rss.sample());
  const st = await Promise.all(serversW.map((s) => s.stats()));
  [httpW0, httpW20] = runs.map((run, i) => ({ name: `lazy, HTTP, ${WORKERS} workers, ${i === 0 ? 0 : LATENCY_MS} ms per request (paired)`, run, requests: st[i].requests }));
  phases.push(httpW0, httpW20);
  await Promise.all(loaders.map((l) => l.close()));
  dss.forEach((d) => d.dispose());
  injectedWMs = st[1].delayMs / Math.max(1, st[1].requests);
  console.log(`  HTTP, ${WORKERS} workers, paired: time in next(): ${(runs[0].ms / 1000).toFixed(1)} s without latency, ${(runs[1].ms / 1000).toFixed(1)} s with; server with latency: ${st[1].requests} requests, open at once: ${st[1].meanInFlight.toFixed(1)} on average while any was, ${st[1].maxInFlight} at most`);
} finally {
  await Promise.all(serversW.map((s) => s.close()));
}
const peakWorkers = rss.peak;
rss.stop();

// 4. In memory (after the lazy epochs, so that its store does not count in their RSS), in this thread and with WORKERS workers.
gc();
const memRun = await memoryEpoch(memStims);
const memRunWorkers = await memoryEpoch(memStims, WORKERS, 2);

// Exactness, after every timed epoch (regeneration is not timed, nor counted in the RSS above).
const checks = phases.map((p) => check(p.run, spec.nStims, spec));
const memCheck = check(memRun, memStims, spec);
const memWorkersCheck = check(memRunWorkers, memStims, spec);

// Figures.
const memRate = rate(memRun);
console.log(`\nbatch ${BATCH}, shuffled, cacheBytes ${MB(CACHE_BYTES)} MiB, concurrency ${CONCURRENCY}, prefetch ${PREFETCH} batches`);
const memWorkersRate = rate(memRunWorkers);
console.log(`in memory (${memStims} stimuli, ${MB(specBytes(spec, memStims))} MiB): ${memRate.toFixed(1)} batches/s${memCheck.exact ? '' : '  BATCHES DIFFER'}; with ${WORKERS} workers, second epoch, ${memWorkersRate.toFixed(1)} batches/s${memWorkersCheck.exact ? '' : '  BATCHES DIFFER'}`);
phases.forEach((p, i) => {
  const c = checks[i];
  const requests = p === folderWorkers || p.name.startsWith(`lazy, folder, ${WORKERS} workers`) ? 'requests in the workers' : `${p.requests} requests`;
  console.log(`${p.name}: ${rate(p.run).toFixed(1)} batches/s = ${(rate(p.run) / memRate).toFixed(2)} × in memory; ${p.run.batches} batches in ${(p.run.ms / 1000).toFixed(2)} s, ${requests}; exact ${c.exact}, every stimulus once ${c.covered}`);
});
console.log(`lazy, folder, ${WORKERS} workers / in memory, ${WORKERS} workers (second epochs): ${(rate(folderWorkers.run) / memWorkersRate).toFixed(2)}`);
// The budget counts the delay the server really injected (its timers fire late on a loaded machine).
const budget = (http20.requests * injectedMs) / CONCURRENCY;
const hidden = 1 - (http20.run.ms - http0.run.ms) / budget;
const memEquivalentMs = (http20.run.batches / memRate) * 1000;
const hiddenVsMem = 1 - (http20.run.ms - memEquivalentMs) / budget; // (in-memory time includes the checksum: generous)
console.log(
  `latency hidden: ${(100 * hidden).toFixed(0)} % (exposed ${(http20.run.ms - http0.run.ms).toFixed(0)} ms of a ${budget.toFixed(0)} ms budget = ` +
    `${http20.requests} requests × ${injectedMs.toFixed(1)} ms injected / ${CONCURRENCY}); against the in-memory epoch instead: ${(100 * hiddenVsMem).toFixed(0)} %`,
);
// With workers, WORKERS × CONCURRENCY requests may be in flight.
const budgetW = (httpW20.requests * injectedWMs) / (CONCURRENCY * WORKERS);
const hiddenW = 1 - (httpW20.run.ms - httpW0.run.ms) / budgetW;
console.log(
  `latency hidden with ${WORKERS} workers: ${(100 * hiddenW).toFixed(0)} % (exposed ${(httpW20.run.ms - httpW0.run.ms).toFixed(0)} ms of a ${budgetW.toFixed(0)} ms budget = ` +
    `${httpW20.requests} requests × ${injectedWMs.toFixed(1)} ms injected / (${CONCURRENCY} × ${WORKERS}))`,
);
console.log(`peak RSS during the lazy epochs: ${MB(peakLazy)} MiB (${MB(rssBefore)} MiB before opening the store: +${MB(peakLazy - rssBefore)} MiB) vs cache limit ${MB(CACHE_BYTES)} MiB; dataset ${MB(specBytes(spec))} MiB`);
console.log(`  after them: rss ${MB(after.rss)} MiB; JS heap ${MB(after.heapTotal)} MiB, array buffers ${MB(after.arrayBuffers)} MiB, wasm heap ${MB(heapAfter.capacity)} MiB (${MB(heapAfter.held)} MiB held)`);
console.log(`peak RSS during the ${WORKERS}-worker lazy epochs: ${MB(peakWorkers)} MiB (${MB(rssBeforeWorkers)} MiB before them: +${MB(peakWorkers - rssBeforeWorkers)} MiB) vs cache limit ${MB(CACHE_BYTES)} MiB (${MB(CACHE_BYTES / WORKERS)} MiB per worker)`);

const result = {
  gb: GB, stims: spec.nStims, datasetBytes: specBytes(spec), cacheBytes: CACHE_BYTES,
  exact: checks.every((c) => c.exact) && memCheck.exact && memWorkersCheck.exact, covered: checks.every((c) => c.covered) && memCheck.covered && memWorkersCheck.covered,
  batchesPerSecond: { memory: memRate, folder: rate(folder.run), memoryWorkers: memWorkersRate, folderWorkers: rate(folderWorkers.run) },
  requests: { http0: http0.requests, http20: http20.requests },
  latencyHidden: hidden, latencyHiddenVsMemory: hiddenVsMem, injectedMs, latencyHiddenWorkers: hiddenW,
  rssBefore, peakRss: peakLazy, rssBeforeWorkers, peakRssWorkers: peakWorkers,
};
console.log(`ZARR_BENCH_RESULT ${JSON.stringify(result)}`);
