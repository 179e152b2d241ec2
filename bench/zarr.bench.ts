// Bigger than memory: a generated dataset of DEEPSTRF_BENCH_ZARR_GB gigabytes (default 3) exported
// as a Zarr store, then read lazily by a DataLoader with cacheBytes = DEEPSTRF_BENCH_ZARR_CACHE_MB
// (default 256 MiB), from the folder and over a loopback HTTP server in its own process
// (test/helpers/static-server-process.ts). docs/zarr-bench.md explains the design and the figures.
//
// The dataset (bench/zarr/big-dataset.ts) is built and exported by a child process
// (bench/zarr/export-big.ts), so no measuring process holds it; the store is kept in
// DEEPSTRF_BENCH_ZARR_DIR (default: the temporary folder) and reused when already complete.
//
// Every epoch is measured alone, in its own child process (bench/zarr/solo.ts: one loader, one
// dataset, a cold cache; this process waits idle), with 0 and WORKERS loader workers (each worker
// opens the store with cacheBytes / WORKERS of cache and has its own `concurrency`), in
// DEEPSTRF_BENCH_ZARR_ROUNDS rounds (default 4), each with, per worker count:
//   - in memory: the generator's first ≈ max(cacheBytes, 256 MiB) of stimuli (the same cell shapes,
//     so the same batch sizes), MEMORY_EPOCHS epochs, the first left out;
//   - lazy from the folder;
//   - lazy over HTTP at 0 ms and at LATENCY_MS per request (their order flipped every round), from
//     one server process whose latency is set before each epoch.
// Batches/s count the batches after the first (start-up and the first fetch left out); figures
// are medians over the rounds. Latency:
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
import { solo, type SoloResult } from './zarr/solo.js';

const GB = Number(process.env.DEEPSTRF_BENCH_ZARR_GB ?? 3);
const CACHE_BYTES = Number(process.env.DEEPSTRF_BENCH_ZARR_CACHE_MB ?? 256) * 2 ** 20;
const ROUNDS = Number(process.env.DEEPSTRF_BENCH_ZARR_ROUNDS ?? 4);
const MEMORY_EPOCHS = 3;
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

type Kind = 'in memory' | 'folder' | 'HTTP';
interface Server { requests: number; delayMs: number; meanInFlight: number; maxInFlight: number }
interface Measured { kind: Kind; numWorkers: number; latencyMs: number; res: SoloResult; server: Server | null }
const all: Measured[] = [];
/** One process's figure: batches/s after the first batch (in memory: the median of the epochs after the first). */
const sample = (m: Measured) => (m.kind === 'in memory' ? median(m.res.runs.slice(1).map(steadyRate)) : steadyRate(m.res.runs[0]));
const s = (ms: number) => (ms / 1000).toFixed(2);

async function measure(kind: Kind, numWorkers: number, round: number, where: string | null, latencyMs = 0, server?: () => Promise<Server>): Promise<void> {
  const res = await solo({
    spec, where, memStims, numWorkers, epochs: kind === 'in memory' ? MEMORY_EPOCHS : 1,
    cacheBytes: CACHE_BYTES, concurrency: CONCURRENCY, batchSize: BATCH, prefetchFactor: PREFETCH, seed: SEED,
  });
  const m: Measured = { kind, numWorkers, latencyMs, res, server: server ? await server() : null };
  all.push(m);
  const r = res.runs[res.runs.length - 1];
  const what = kind === 'in memory' ? `in memory, last of ${MEMORY_EPOCHS} epochs` : kind === 'folder' ? 'lazy, folder, cold' : `lazy, HTTP ${latencyMs} ms per request, cold`;
  console.log(`  round ${round + 1}, ${numWorkers} workers, ${what}: ${s(r.ms)} s (first batch ${s(r.firstMs)} s), ${sample(m).toFixed(1)} batches/s; ${load()}`);
}

console.log(`\nbatch ${BATCH}, shuffled, cacheBytes ${MB(CACHE_BYTES)} MiB, concurrency ${CONCURRENCY} (per thread that fetches), prefetch ${PREFETCH} batches; in memory: the first ${memStims} stimuli (${MB(specBytes(spec, memStims))} MiB); every epoch alone in its own process`);
const server = await serveFolderProcess(dir); // its latency is set before each HTTP epoch
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const w of [0, WORKERS]) {
      await measure('in memory', w, round, null);
      await measure('folder', w, round, dir);
      for (const latencyMs of round % 2 === 0 ? [0, LATENCY_MS] : [LATENCY_MS, 0]) {
        await server.setLatency(latencyMs);
        await server.resetStats();
        await measure('HTTP', w, round, server.url, latencyMs, () => server.stats());
      }
    }
  }
} finally {
  await server.close();
}

// Exactness (after every timed epoch; the batch of a given list of stimuli is regenerated once).
const expected = new Map<string, number>();
const sumOf = (stims: number[]) => {
  const key = stims.join(',');
  let c = expected.get(key);
  if (c === undefined) expected.set(key, (c = batchChecksum(expectedBatch(spec, stims))));
  return c;
};
const checkRun = (run: EpochRun, nStims: number) => {
  const seen = run.stims.flat().sort((a, b) => a - b);
  return { covered: seen.length === nStims && seen.every((x, i) => x === i), exact: run.stims.every((st, k) => sumOf(st) === run.checksums[k]) };
};
const checks = all.flatMap((m) => m.res.runs.map((r) => checkRun(r, m.kind === 'in memory' ? memStims : spec.nStims)));
const exact = checks.every((c) => c.exact);
const covered = checks.every((c) => c.covered);
console.log(`\nevery batch of the ${checks.length} epochs exact: ${exact}; every stimulus once in each: ${covered}`);

// Figures: medians over the rounds, with their range.
const of = (kind: Kind, w: number, latencyMs = 0) => all.filter((m) => m.kind === kind && m.numWorkers === w && m.latencyMs === latencyMs);
const spread = (xs: number[], f = (x: number) => x.toFixed(1)) => `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
const rates: Record<string, number> = {};
const latency: Record<string, unknown> = {};
console.log(`batches/s after the first batch, median of ${ROUNDS} (min–max), and × in memory with as many workers:`);
for (const w of [0, WORKERS]) {
  const mem = of('in memory', w).map(sample);
  const folder = of('folder', w).map(sample);
  const http0 = of('HTTP', w).map(sample);
  const http20 = of('HTTP', w, LATENCY_MS).map(sample);
  const x = (xs: number[]) => (median(xs) / median(mem)).toFixed(2);
  console.log(`  ${w} workers: in memory ${spread(mem)}; lazy, folder, cold ${spread(folder)} = ${x(folder)} ×; HTTP 0 ms ${spread(http0)} = ${x(http0)} ×; HTTP ${LATENCY_MS} ms ${spread(http20)} = ${x(http20)} ×`);
  Object.assign(rates, { [`memory${w}`]: median(mem), [`folder${w}`]: median(folder), [`http0_${w}`]: median(http0), [`http20_${w}`]: median(http20) });
}
for (const w of [0, WORKERS]) {
  const at0 = of('HTTP', w);
  const at20 = of('HTTP', w, LATENCY_MS);
  const t0s = at0.map((m) => m.res.runs[0].ms);
  const t20s = at20.map((m) => m.res.runs[0].ms);
  const st20 = at20.map((m) => m.server!);
  const requests = median(st20.map((x) => x.requests));
  const injected = st20.reduce((a, x) => a + x.delayMs, 0) / st20.reduce((a, x) => a + x.requests, 0);
  const threads = Math.max(1, w);
  const budget = (requests * injected) / (CONCURRENCY * threads);
  const exposed = median(t20s) - median(t0s);
  const hidden = 1 - exposed / budget;
  const perRound = t20s.map((t, i) => 1 - (t - t0s[i]) / budget); // each 20 ms epoch against the 0 ms one next to it
  const pct = (h: number) => `${(100 * h).toFixed(0)} %`;
  console.log(`\nHTTP, ${w} workers, whole epochs: 0 ms ${spread(t0s, s)} s; ${LATENCY_MS} ms ${spread(t20s, s)} s`);
  console.log(`  server at ${LATENCY_MS} ms: ${requests} requests per epoch (${median(at0.map((m) => m.server!.requests))} at 0 ms), each held ${injected.toFixed(1)} ms on average; requests open while any was: ${spread(st20.map((x) => x.meanInFlight))} (at 0 ms ${spread(at0.map((m) => m.server!.meanInFlight))}), at most ${Math.max(...st20.map((x) => x.maxInFlight))} (bound ${CONCURRENCY} × ${threads} thread${threads > 1 ? 's' : ''})`);
  console.log(`  latency hidden: ${pct(hidden)} (exposed ${s(exposed)} s of a ${s(budget)} s budget = ${requests} × ${injected.toFixed(1)} ms / (${CONCURRENCY} × ${threads})); per round: ${perRound.map(pct).join(', ')}`);
  latency[`w${w}`] = { hidden, perRound, budgetMs: budget, exposedMs: exposed, requests, requests0: median(at0.map((m) => m.server!.requests)), injectedMs: injected, ms0: t0s, ms20: t20s, meanInFlight20: median(st20.map((x) => x.meanInFlight)) };
}

const lazy = all.filter((m) => m.kind !== 'in memory');
const growth = (w: number) => lazy.filter((m) => m.numWorkers === w).map((m) => m.res.peakRss - m.res.rssBefore);
const peak = (w: number) => Math.max(...lazy.filter((m) => m.numWorkers === w).map((m) => m.res.peakRss));
console.log(`\npeak RSS growth of a lazy epoch's process over its RSS before opening the store, MiB, median (min–max); cache limit ${MB(CACHE_BYTES)} MiB, dataset ${MB(specBytes(spec))} MiB:`);
for (const w of [0, WORKERS]) console.log(`  ${w} workers: +${spread(growth(w), MB)} (highest peak ${MB(peak(w))} MiB)`);
console.log(`${all.length} processes, ${((Date.now() - t0) / 60000).toFixed(1)} min; ${new Date().toISOString()}, ${load()}`);

const result = {
  gb: GB, stims: spec.nStims, datasetBytes: specBytes(spec), cacheBytes: CACHE_BYTES, rounds: ROUNDS,
  exact, covered, epochs: checks.length, batchesPerSecond: rates, latency,
  rssGrowth: { w0: Math.max(...growth(0)), workers: Math.max(...growth(WORKERS)) }, peakRss: Math.max(peak(0), peak(WORKERS)),
};
console.log(`ZARR_BENCH_RESULT ${JSON.stringify(result)}`);
