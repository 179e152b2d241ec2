// Loader benchmark (bars in docs/performance.md: 2 workers ≥ 1.8 × 0 workers on plain collate and
// ≥ 1.7 × on each transform pipeline, 2 cores; the main thread receives a batch in < 0.2 ms and
// is < 5 % busy while the consumer waits; RSS flat over 20 epochs).
//
// The consumer does nothing but take the next batch (batch 8). Pipelines:
//   plain     the NS1-like dataset of bench/ns1-like.ts (B 8, N 73, R 1–20, T 400–600, F 34;
//             ≈ 33 MB per batch), no transform: the collate alone.
//   mel-ns1   the docs/performance.md pipeline: 48 kHz waveforms of 800–1000 bins (4–5 s), 16 neurons, 1–2
//             repeats; per item the library's CausalMelSpectrogram with NS1's front end (hop 240,
//             n_fft 480, 34 bands) — bench/loader-mel-transform.ts. Compute-bound.
//   stft-ts   16 kHz waveforms of 300–400 bins, 32 neurons, up to 20 repeats (10 MB batches);
//             a plain-TypeScript STFT magnitude (n_fft 512, 16 bands) — bench/loader-transform.ts.
//   mel-16k   the same 16 kHz dataset with CausalMelSpectrogram (n_fft 512): the wasm front end is
//             so fast that moving 10 MB batches dominates (a bandwidth-bound case, for contrast).
// Prints, per pipeline: batches/s with 0 and 2 workers and their ratio, also with recycleBatches
// (each batch released when the loop takes the next, as `for await (using b of loader)`). Each
// configuration runs a lead epoch then a counted one, rounds interleaved (so load from other
// processes hits all), and waits for the process to be quiet before the next configuration: a
// 2-worker loader prefetches its next epoch's first batches while an epoch ends, and that work
// must not land in another loader's counted epoch (it used to, inflating the 2 / 0 ratio). Then
// the main thread's receive cost per batch with 2 workers: event-loop active time and CPU time
// (/proc schedstat, in ns: the main thread alone), counted until the prefetched batches have
// landed; the same CPU over a block of back-to-back epochs (≥ 60 batches, as a training loop
// runs: warmer than one epoch between other loaders'); beside it, the same bytes answered by bare worker_threads with no loader
// (bench/loader-floor.ts): the part that is V8's and the kernel's, not the loader's. Main-thread
// busy fraction while the consumer waits, as event-loop utilisation (wall time inside callbacks)
// and as main-thread CPU / wall; CPU per batch, all threads; and for plain and mel-ns1 the rss
// after each of 20 epochs (first 5 vs last 5); the epoch-boundary gap and the first batch of a
// fresh loader against a steady batch (bench/loader-gaps.ts). Before and after, the parallelism
// two spinning threads actually get on this shared machine (2.00 = two free cores).
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DataLoader, SyntheticDataset, type NeuralDataset, type SyntheticDatasetOptions } from '../src/index.js';
import { NS1_LIKE, ns1LikeDataset } from './ns1-like.js';
import { epochGaps } from './loader-gaps.js';
import { receiveFloor } from './loader-floor.js';
import { mainThreadCpuNs } from './main-thread-cpu.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MB = (b: number) => (b / 2 ** 20).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const mainThreadCpuMs = () => mainThreadCpuNs() / 1e6;

// The machine is shared: measure how much CPU two busy threads actually get right now
// (CPU time / wall time of two spinning worker threads; 2.0 = two free cores). The 2 / 0 worker
// ratio cannot exceed this ceiling, whatever the loader does.
async function availableParallelism(ms: number): Promise<number> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const spin = `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`;
  await Promise.all([0, 1].map(() => new Promise((resolve) => new Worker(spin, { eval: true }).on('exit', resolve))));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / (performance.now() - w0);
}
const ceilingBefore = await availableParallelism(1500);
console.log(`available parallelism now (two spinning threads, CPU / wall): ${ceilingBefore.toFixed(2)}`);

interface Epoch { ms: number; batches: number; elu: number; activeMs: number; cpuMs: number; mainCpuMs: number }

/**
 * Waits until this process (main thread and workers) has been nearly idle for 50 ms: the batches
 * a 2-worker loader prefetched for its next epoch have landed (at most 5 s).
 */
async function quiet(): Promise<void> {
  const end = performance.now() + 5000;
  while (performance.now() < end) {
    const c0 = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const c = process.cpuUsage(c0);
    if ((c.user + c.system) / 1000 < 5) return;
  }
}

/**
 * One epoch of `loader`. With `settle`, its main-thread CPU also counts the time until the
 * process is quiet again: the epoch's prefetch of the next epoch's first batches is received
 * then, as this epoch received most of its own first batches during the epoch before (each
 * batch's receipt is counted about once).
 */
async function epoch(loader: DataLoader, settle = true): Promise<Epoch> {
  const e0 = performance.eventLoopUtilization();
  const c0 = process.cpuUsage(); // every thread of the process: main + workers
  const m0 = mainThreadCpuMs();
  const start = performance.now();
  let batches = 0;
  for await (const _ of loader) batches++;
  const ms = performance.now() - start;
  const c = process.cpuUsage(c0);
  const u = performance.eventLoopUtilization(e0);
  if (settle) await quiet();
  return { ms, batches, elu: u.utilization, activeMs: u.active, cpuMs: (c.user + c.system) / 1000, mainCpuMs: mainThreadCpuMs() - m0 };
}

interface Pipeline { name: string; data: SyntheticDatasetOptions; file?: string; options?: unknown; rounds: number; memoryEpochs: number; make?: () => NeuralDataset }

/**
 * How the transform alone scales on this machine: one thread transforming n items vs two
 * threads doing n items each at the same time (2 · t1 / max(t2a, t2b); 2.00 = perfect). Workers
 * load bench/transform-scaling.ts through tsx.
 */
async function transformScaling(pl: Pipeline & { file: string }, items: number): Promise<number> {
  const job = { file: pl.file, data: pl.data, options: pl.options ?? null, items };
  const helper = new URL('./transform-scaling.ts', import.meta.url).href;
  const run = () => new Promise<number>((resolve, reject) => {
    const w = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(helper)}); })`, { eval: true, workerData: { scalingJob: job } });
    w.once('message', (ms: number) => { resolve(ms); void w.terminate(); });
    w.once('error', reject);
  });
  const one = await run();
  const [a, b] = await Promise.all([run(), run()]);
  return (2 * one) / Math.max(a, b);
}

// BENCH_PIPELINES=plain,mel-ns1 runs only those pipelines.
const only = process.env.BENCH_PIPELINES?.split(',');

async function pipeline(pl: Pipeline): Promise<void> {
  if (only && !only.includes(pl.name)) return;
  const t0 = performance.now();
  const ds = pl.make?.() ?? new SyntheticDataset(pl.data);
  const what = pl.make ? `${ds.length} stimuli (${ds.stims[0].shape.join(', ')}…)` : `${ds.length} waveforms (1, ${ds.stims[0].shape[1]}…) at ${(ds as SyntheticDataset).audioFs} Hz, hop ${(ds as SyntheticDataset).hop}`;
  console.log(`\n--- ${pl.name}: ${what}, ${ds.getN()} neurons, built in ${(performance.now() - t0).toFixed(0)} ms; transform ${pl.file ?? 'none'}`);
  const transform = pl.file ? { url: new URL(pl.file, import.meta.url), options: pl.options } : undefined;
  const make = (numWorkers: number, recycleBatches = false) =>
    new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 1, numWorkers, transform, recycleBatches });
  const loaders = { w0: make(0), w2: make(2), w2r: make(2, true) };
  // Warm-up: JIT, worker start-up (bundling the sources once), the transform's plans.
  const startup = performance.now();
  await epoch(loaders.w2);
  console.log(`worker start-up + first epoch (2 workers): ${(performance.now() - startup).toFixed(0)} ms`);
  await epoch(loaders.w2r);
  await epoch(loaders.w0);

  const res = { w0: [] as Epoch[], w2: [] as Epoch[], w2r: [] as Epoch[] };
  const mem: Array<{ rss: number; ab: number }> = [];
  const sample = () => {
    gc();
    mem.push({ rss: process.memoryUsage().rss, ab: process.memoryUsage().arrayBuffers });
  };
  // Each configuration in turn, rounds interleaved so that load from other processes hits all.
  // A 2-worker loader prefetches its next epoch's first batches as an epoch ends: a lead epoch
  // (not counted) does so for the counted one, which so runs as in a loop of epochs, and its
  // own prefetch lands before the next configuration starts (no loader's workers run during
  // another's counted epoch).
  for (let r = 0; r < pl.rounds; r++) {
    for (const k of ['w0', 'w2', 'w2r'] as const) {
      await epoch(loaders[k], false);
      res[k].push(await epoch(loaders[k]));
      if (k === 'w2') sample();
    }
  }
  // Per-epoch figures are pooled (sums over the rounds) so short epochs still give stable ratios.
  const sum = (es: Epoch[], k: keyof Epoch) => es.reduce((a, e) => a + e[k], 0);
  const bps = (es: Epoch[]) => sum(es, 'batches') / (sum(es, 'ms') / 1000);
  const b0 = bps(res.w0), b2 = bps(res.w2), b2r = bps(res.w2r);
  console.log(`batches/s   0 workers ${b0.toFixed(2)} · 2 workers ${b2.toFixed(2)} (ratio ${(b2 / b0).toFixed(2)}) · 2 workers + recycleBatches ${b2r.toFixed(2)} (ratio ${(b2r / b0).toFixed(2)})   bar ≥ ${pl.file ? '1.7' : '1.8'}`);
  const perBatch = (es: Epoch[], k: 'activeMs' | 'mainCpuMs') => (sum(es, k) / sum(es, 'batches')).toFixed(3);
  console.log(`main thread per batch received (2 workers): event-loop active ${perBatch(res.w2, 'activeMs')} ms, CPU ${perBatch(res.w2, 'mainCpuMs')} ms; ` +
    `with recycleBatches ${perBatch(res.w2r, 'activeMs')} ms, CPU ${perBatch(res.w2r, 'mainCpuMs')} ms   bar < 0.2 ms (CPU: /proc schedstat, ns; active time also counts descheduled time)`);
  // The same in a loop of epochs (one block of back-to-back epochs per loader, more batches).
  const block = async (l: DataLoader, n: number) => {
    await epoch(l, false); // lead
    const m0 = mainThreadCpuMs();
    let batches = 0;
    for (let e = 0; e < n; e++) batches += (await epoch(l, e === n - 1)).batches;
    return (mainThreadCpuMs() - m0) / batches;
  };
  const blockEpochs = Math.max(2, Math.ceil(60 / loaders.w2.length));
  const bk = await block(loaders.w2, blockEpochs), br = await block(loaders.w2r, blockEpochs);
  console.log(`main-thread CPU per batch received in ${blockEpochs} back-to-back epochs (2 workers): ${bk.toFixed(3)} ms; with recycleBatches ${br.toFixed(3)} ms`);
  // The same bytes received with no loader: the part of the figures above that is not the loader's code.
  const it = loaders.w0[Symbol.asyncIterator]();
  const first = (await it.next()).value;
  const sizes = first ? [first.stims, first.responses, first.validMask].map((t) => t.data.byteLength) : [];
  await it.return(undefined);
  const floorN = 4 * Math.round(sum(res.w2, 'batches') / pl.rounds);
  const ft = await receiveFloor('transfer', sizes, floorN), fs = await receiveFloor('shared', sizes, floorN);
  console.log(`no loader, bare worker_threads answering with ${MB(sizes.reduce((a, b) => a + b, 0))} MB (batch 0's bytes), main-thread CPU per answer: ` +
    `transferred new buffers ${ft.cpuMs.toFixed(3)} ms (garbage collection ${ft.gcMs.toFixed(3)} ms), written into a shared buffer ${fs.cpuMs.toFixed(3)} ms (GC ${fs.gcMs.toFixed(3)} ms)`);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const elu = (es: Epoch[]) => pct(median(es.map((e) => e.elu)));
  const mainCpu = (es: Epoch[]) => pct(sum(es, 'mainCpuMs') / sum(es, 'ms'));
  console.log(`main thread busy while the consumer waits   main-thread CPU / wall: 2 workers ${mainCpu(res.w2)}, + recycle ${mainCpu(res.w2r)}; ` +
    `event-loop utilisation: 2 workers ${elu(res.w2)}, + recycle ${elu(res.w2r)}   bar < 5 %   (0 workers: ${elu(res.w0)})`);
  const cpw = (es: Epoch[]) => (sum(es, 'cpuMs') / sum(es, 'ms')).toFixed(2);
  const cpb = (es: Epoch[]) => (sum(es, 'cpuMs') / sum(es, 'batches')).toFixed(1);
  console.log(`CPU, all threads   per batch: 0 workers ${cpb(res.w0)} ms, 2 workers ${cpb(res.w2)} ms, + recycle ${cpb(res.w2r)} ms; ` +
    `CPU / wall: ${cpw(res.w0)}, ${cpw(res.w2)}, ${cpw(res.w2r)}`);
  if (pl.memoryEpochs > 0) {
    for (let e = pl.rounds; e < pl.memoryEpochs; e++) {
      await epoch(loaders.w2);
      sample();
    }
    const peak = (xs: typeof mem) => ({ rss: Math.max(...xs.map((m) => m.rss)), ab: Math.max(...xs.map((m) => m.ab)) });
    const first = peak(mem.slice(0, 5)), last = peak(mem.slice(-5));
    console.log(`rss after each of ${mem.length} epochs (2 workers), MB: ${mem.map((m) => MB(m.rss)).join(' ')}`);
    console.log(`peak rss, epochs 1–5 ${MB(first.rss)} MB, epochs ${mem.length - 4}–${mem.length} ${MB(last.rss)} MB (ratio ${(last.rss / first.rss).toFixed(3)}); ` +
      `main-thread arrayBuffers ${MB(first.ab)} → ${MB(last.ab)} MB; rss change over the last 10 epochs ${MB(mem[mem.length - 1].rss - mem[mem.length - 10].rss)} MB`);
  }
  for (const l of Object.values(loaders)) await l.close();
  await epochGaps(ds, transform);
  if (!pl.file) return;
  const scaling = await transformScaling({ ...pl, file: pl.file }, 4 * Math.round(sum(res.w0, 'batches') / pl.rounds));
  console.log(`the transform alone, 2 threads vs 1 (no loader): ${scaling.toFixed(2)}× — the ceiling for the ratio above on this machine now; ` +
    `loader ratio / ceiling = ${(b2 / b0 / scaling).toFixed(2)}`);
}

await pipeline({ name: 'plain', data: {}, make: () => ns1LikeDataset(NS1_LIKE), rounds: 5, memoryEpochs: 20 });
const small16k: SyntheticDatasetOptions = { seed: 0, nNeurons: 32, nStims: 64, bins: [300, 400], returnWaveform: true, audioFs: 16000 };
await pipeline({
  name: 'mel-ns1', file: './loader-mel-transform.ts', rounds: 5, memoryEpochs: 20,
  data: { seed: 0, nNeurons: 16, nStims: 48, nBands: 34, bins: [800, 1000], valFraction: 0, returnWaveform: true, audioFs: 48000 },
});
await pipeline({ name: 'stft-ts', file: './loader-transform.ts', rounds: 3, memoryEpochs: 0, data: small16k });
await pipeline({ name: 'mel-16k', file: './loader-mel-transform.ts', options: { winMs: 32, fMin: 100, fMax: 6400 }, rounds: 5, memoryEpochs: 0, data: small16k });
const ceilingAfter = await availableParallelism(1500);
console.log(`\navailable parallelism (two spinning threads, CPU / wall): ${ceilingBefore.toFixed(2)} before, ${ceilingAfter.toFixed(2)} after (2.00 = two free cores; the 2 / 0 worker ratio is bounded by it)`);
