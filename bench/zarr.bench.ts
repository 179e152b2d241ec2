// Bigger than memory: a generated dataset of DEEPSTRF_BENCH_ZARR_GB gigabytes (default 3) exported
// as a Zarr store, then read lazily by a DataLoader with cacheBytes = DEEPSTRF_BENCH_ZARR_CACHE_MB
// (default 256 MiB), from the folder and over a loopback HTTP server in its own process
// (test/helpers/static-server-process.ts). docs/zarr-bench.md explains the design and the figures.
//
// The dataset (bench/zarr/big-dataset.ts) is built and exported by a child process
// (bench/zarr/export-big.ts), so no measuring process holds it; the store is kept in
// DEEPSTRF_BENCH_ZARR_DIR (default: the temporary folder) and reused when already complete.
//
// Every epoch is measured alone, in its own child process (bench/zarr/solo.ts: one loader, a cold
// cache; this process waits idle), with 0 and WORKERS loader workers (each worker opens the store
// with cacheBytes / WORKERS of cache and has its own `concurrency`):
//   - in memory (the generator's first ≈ max(cacheBytes, 256 MiB) of stimuli: the same cell
//     shapes, so the same batch sizes), two epochs, the second compared;
//   - lazy from the folder, cold cache;
//   - lazy over HTTP, cold cache: DEEPSTRF_BENCH_ZARR_PAIRS (default 4) rounds, each with a 0 ms and
//     a LATENCY_MS epoch for 0 and WORKERS workers (latency order flipped every round), one server
//     process whose latency is set before each epoch.
// Batches/s count the batches after the first (start-up and the first fetch left out). Latency:
//   budget = requests × d / (concurrency × threads fetching)   (d: mean delay the server really injected)
//   hidden = 1 − (median T(20 ms) − median T(0 ms)) / budget   (T: the whole epoch)
// Exactness: every batch of every epoch is checksummed (test/helpers/batch-checksum.ts) and
// compared with the batch collated from the same stimuli regenerated from the generator's formula
// (after the timed epochs); each epoch must hold every stimulus once.
// The last line, `ZARR_BENCH_RESULT {json}`, is what test/node/zarr/bigger-than-memory.test.ts reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HEADER_KEY } from '../src/zarr/layout.js';
import { batchChecksum } from '../test/helpers/batch-checksum.js';
import { serveFolderProcess } from '../test/helpers/static-server-process.js';
import { expectedBatch, specBytes, specForBytes } from './zarr/big-dataset.js';
import { MB, median, steadyRate, type EpochRun } from './zarr/measure.js';
import { solo, type SoloArgs, type SoloResult } from './zarr/solo.js';

const GB = Number(process.env.DEEPSTRF_BENCH_ZARR_GB ?? 3);
const CACHE_BYTES = Number(process.env.DEEPSTRF_BENCH_ZARR_CACHE_MB ?? 256) * 2 ** 20;
const PAIRS = Number(process.env.DEEPSTRF_BENCH_ZARR_PAIRS ?? 4);
const LATENCY_MS = 20;
const CONCURRENCY = 8;
const BATCH = 8;
const PREFETCH = 4;
const WORKERS = 2;
const SEED = 1;

const spec = specForBytes(GB * 1e9);
const dir = process.env.DEEPSTRF_BENCH_ZARR_DIR ?? join(tmpdir(), `deepstrf-bench-zarr-${spec.seed}-${spec.nStims}`);
const root = fileURLToPath(new URL('..', import.meta.url));
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
const t0 = Date.now();

/** The store in `dir` is a complete export of `spec`. */
function storeIsComplete(): boolean {
  const file = join(dir, 'zarr.json');
  if (!existsSync(file)) return false;
  const h = JSON.parse(readFileSync(file, 'utf8'))?.attributes?.[HEADER_KEY];
  return h?.complete === true && h?.S === spec.nStims && JSON.stringify(h?.provenance?.options) === JSON.stringify(spec);
}

console.log(`${new Date().toISOString()}, ${load()}`);
console.log(`dataset: ${spec.nStims} stimuli × ${spec.nNeurons} neurons, ${(specBytes(spec) / 1e9).toFixed(2)} GB of float32; store ${dir}`);
if (storeIsComplete()) console.log('export: reusing the complete store already there');
else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/zarr/export-big.ts'), dir, JSON.stringify(spec)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`export failed (${r.status ?? r.signal})`);
  const e = JSON.parse(r.stdout.trim().split('\n').pop()!) as { buildMs: number; exportMs: number; bytes: number; chunks: number; peakRss: number };
  console.log(`export: built in ${(e.buildMs / 1000).toFixed(1)} s, wrote ${e.chunks} chunks (${MB(e.bytes)} MiB) in ${(e.exportMs / 1000).toFixed(1)} s (${((e.bytes / 2 ** 20) / (e.exportMs / 1000)).toFixed(0)} MiB/s); exporter peak RSS ${MB(e.peakRss)} MiB`);
}

// The in-memory dataset: the generator's first stimuli, about max(cacheBytes, 256 MiB) of them.
let memStims = Math.min(spec.nStims, 2 * BATCH);
while (memStims < spec.nStims && specBytes(spec, Math.min(spec.nStims, memStims * 2)) <= Math.max(CACHE_BYTES, 256 * 2 ** 20)) memStims = Math.min(spec.nStims, memStims * 2);

interface Measured { name: string; numWorkers: number; res: SoloResult; nStims: number; latencyMs?: number; server?: { requests: number; delayMs: number; meanInFlight: number; maxInFlight: number } }
const all: Measured[] = [];
const args = (where: string | null, numWorkers: number, epochs: number): SoloArgs => ({
  spec, where, memStims, numWorkers, epochs, cacheBytes: CACHE_BYTES, concurrency: CONCURRENCY, batchSize: BATCH, prefetchFactor: PREFETCH, seed: SEED,
});
const last = (m: Measured) => m.res.runs[m.res.runs.length - 1];
async function measure(name: string, a: SoloArgs, extra: Partial<Measured> = {}, server?: () => Promise<Measured['server']>): Promise<Measured> {
  const res = await solo(a);
  const m: Measured = { name, numWorkers: a.numWorkers, res, nStims: a.where === null ? memStims : spec.nStims, ...extra, server: await server?.() };
  all.push(m);
  const r = last(m);
  console.log(`  ${name}: ${(r.ms / 1000).toFixed(2)} s (first batch ${(r.firstMs / 1000).toFixed(2)} s), ${steadyRate(r).toFixed(1)} batches/s after it; ${load()}`);
  return m;
}

console.log(`\nbatch ${BATCH}, shuffled, cacheBytes ${MB(CACHE_BYTES)} MiB, concurrency ${CONCURRENCY} (per thread that fetches), prefetch ${PREFETCH} batches; every epoch alone in its own process`);
const memoryName = (w: number) => `in memory (${memStims} stimuli, ${MB(specBytes(spec, memStims))} MiB), ${w} workers, second epoch`;
const mem0 = await measure(memoryName(0), args(null, 0, 2));
const mem2 = await measure(memoryName(WORKERS), args(null, WORKERS, 2));
const folder0 = await measure('lazy, folder, 0 workers, cold cache', args(dir, 0, 1));
const folder2 = await measure(`lazy, folder, ${WORKERS} workers, cold cache`, args(dir, WORKERS, 1));

// Over HTTP: one server process, its latency set before each epoch.
const server = await serveFolderProcess(dir);
const http: Measured[] = [];
try {
  for (let round = 0; round < PAIRS; round++) {
    for (const w of [0, WORKERS]) {
      for (const latencyMs of round % 2 === 0 ? [0, LATENCY_MS] : [LATENCY_MS, 0]) {
        await server.setLatency(latencyMs);
        await server.resetStats();
        http.push(await measure(`lazy, HTTP, ${w} workers, ${latencyMs} ms per request, round ${round + 1}`, args(server.url, w, 1), { latencyMs }, () => server.stats()));
      }
    }
  }
} finally {
  await server.close();
}

// Exactness (after every timed epoch; a batch of stimuli is regenerated once).
const expected = new Map<string, number>();
const sumOf = (stims: number[]) => {
  const key = stims.join(',');
  let c = expected.get(key);
  if (c === undefined) expected.set(key, (c = batchChecksum(expectedBatch(spec, stims))));
  return c;
};
const checkRun = (run: EpochRun, nStims: number) => {
  const seen = run.stims.flat().sort((a, b) => a - b);
  return { covered: seen.length === nStims && seen.every((x, i) => x === i), exact: run.stims.every((s, k) => sumOf(s) === run.checksums[k]) };
};
const checks = all.flatMap((m) => m.res.runs.map((r) => checkRun(r, m.nStims)));
const exact = checks.every((c) => c.exact);
const covered = checks.every((c) => c.covered);

// Figures.
const s = (ms: number) => (ms / 1000).toFixed(2);
console.log(`\nevery batch of the ${checks.length} epochs exact: ${exact}; every stimulus once in each: ${covered}`);
const rates = { memory: steadyRate(last(mem0)), memoryWorkers: steadyRate(last(mem2)), folder: steadyRate(last(folder0)), folderWorkers: steadyRate(last(folder2)) } as Record<string, number>;
const latency: Record<string, unknown> = {};
for (const w of [0, WORKERS]) {
  const mine = http.filter((m) => m.numWorkers === w);
  const at = (ms: number) => mine.filter((m) => m.latencyMs === ms);
  const t0s = at(0).map((m) => last(m).ms);
  const t20s = at(LATENCY_MS).map((m) => last(m).ms);
  const stats20 = at(LATENCY_MS).map((m) => m.server!);
  const requests = median(stats20.map((x) => x.requests));
  const injected = stats20.reduce((a, x) => a + x.delayMs, 0) / stats20.reduce((a, x) => a + x.requests, 0);
  const threads = Math.max(1, w);
  const budget = (requests * injected) / (CONCURRENCY * threads);
  const exposed = median(t20s) - median(t0s);
  const hidden = 1 - exposed / budget;
  // Per round: each 20 ms epoch against the 0 ms epoch next to it.
  const perRound = t20s.map((t, i) => 1 - (t - t0s[i]) / budget);
  const rate0 = median(at(0).map((m) => steadyRate(last(m))));
  rates[w === 0 ? 'http0' : 'http0Workers'] = rate0;
  const memRate = w === 0 ? rates.memory : rates.memoryWorkers;
  console.log(`\nHTTP, ${w} workers (${at(0).length} epochs at 0 ms, ${t20s.length} at ${LATENCY_MS} ms, alternated):`);
  console.log(`  epoch at 0 ms: median ${s(median(t0s))} s (${t0s.map(s).join(', ')}); at ${LATENCY_MS} ms: median ${s(median(t20s))} s (${t20s.map(s).join(', ')})`);
  console.log(`  0 ms: ${rate0.toFixed(1)} batches/s (median) = ${(rate0 / memRate).toFixed(2)} × in memory with ${w} workers`);
  console.log(`  server at ${LATENCY_MS} ms: ${requests} requests per epoch, each held ${injected.toFixed(1)} ms on average; requests open while any was: ${median(stats20.map((x) => x.meanInFlight)).toFixed(1)} (median of the epochs' means; at 0 ms ${median(at(0).map((m) => m.server!.meanInFlight)).toFixed(1)}), at most ${Math.max(...stats20.map((x) => x.maxInFlight))} (bound ${CONCURRENCY} × ${threads} thread${threads > 1 ? 's' : ''})`);
  console.log(`  latency hidden: ${(100 * hidden).toFixed(0)} % (exposed ${(exposed / 1000).toFixed(2)} s of a ${(budget / 1000).toFixed(2)} s budget = ${requests} × ${injected.toFixed(1)} ms / (${CONCURRENCY} × ${threads})); per round: ${perRound.map((h) => `${(100 * h).toFixed(0)} %`).join(', ')}`);
  latency[`w${w}`] = { hidden, perRound, budgetMs: budget, exposedMs: exposed, requests, requests0: median(at(0).map((m) => m.server!.requests)), injectedMs: injected, ms0: t0s, ms20: t20s, meanInFlight20: median(stats20.map((x) => x.meanInFlight)) };
}

console.log(`\nbatches/s after the first batch (× in memory with as many workers):`);
console.log(`  in memory: ${rates.memory.toFixed(1)}, with ${WORKERS} workers ${rates.memoryWorkers.toFixed(1)}`);
console.log(`  lazy, folder, cold: ${rates.folder.toFixed(1)} (${(rates.folder / rates.memory).toFixed(2)}), with ${WORKERS} workers ${rates.folderWorkers.toFixed(1)} (${(rates.folderWorkers / rates.memoryWorkers).toFixed(2)})`);
console.log(`  lazy, HTTP 0 ms, cold (median): ${rates.http0.toFixed(1)} (${(rates.http0 / rates.memory).toFixed(2)}), with ${WORKERS} workers ${rates.http0Workers.toFixed(1)} (${(rates.http0Workers / rates.memoryWorkers).toFixed(2)})`);
const lazy = all.filter((m) => m !== mem0 && m !== mem2);
const growth = (w: number) => Math.max(...lazy.filter((m) => m.numWorkers === w).map((m) => m.res.peakRss - m.res.rssBefore));
const peak = (w: number) => Math.max(...lazy.filter((m) => m.numWorkers === w).map((m) => m.res.peakRss));
console.log(`peak RSS growth of a lazy epoch's process over its RSS before opening the store (max over its epochs), cache limit ${MB(CACHE_BYTES)} MiB, dataset ${MB(specBytes(spec))} MiB:`);
console.log(`  0 workers: +${MB(growth(0))} MiB (peak ${MB(peak(0))} MiB); ${WORKERS} workers: +${MB(growth(WORKERS))} MiB (peak ${MB(peak(WORKERS))} MiB)`);
console.log(`${all.length} processes, ${((Date.now() - t0) / 60000).toFixed(1)} min; ${new Date().toISOString()}, ${load()}`);

const result = {
  gb: GB, stims: spec.nStims, datasetBytes: specBytes(spec), cacheBytes: CACHE_BYTES, pairs: PAIRS,
  exact, covered, epochs: checks.length,
  batchesPerSecond: rates, latency,
  rssGrowth: { w0: growth(0), workers: growth(WORKERS) }, peakRss: Math.max(peak(0), peak(WORKERS)),
};
console.log(`ZARR_BENCH_RESULT ${JSON.stringify(result)}`);
