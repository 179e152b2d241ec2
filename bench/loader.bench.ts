// Loader benchmark (DESIGN bar: on a CPU-bound pipeline, waveform → spectrogram per item,
// 2 workers ≥ 1.7 × 0 workers on 2 cores; main-thread busy < 5 % of wall time while the
// consumer waits; memory flat over epochs).
//
// Pipeline: SyntheticDataset in waveform mode (64 stimuli of 300–400 bins, 16 kHz, hop 80),
// per-item transform bench/loader-transform.ts (STFT magnitude, n_fft 512, one frame per bin,
// 16 log-spaced bands), batch 8, 32 neurons. The consumer does nothing but take the next batch.
// Prints:
//   batches/s with 0 and 2 workers (paired epochs, interleaved, so load from other processes
//   hits both), their ratio, and the same with recycleBatches;
//   main-thread busy fraction = event-loop utilisation (active / wall) during the 2-worker epochs;
//   rss and arrayBuffers after each of 20 epochs (2 workers): peak of epochs 1–5 vs 16–20.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DataLoader, SyntheticDataset } from '../src/index.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MB = (b: number) => (b / 2 ** 20).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// The machine is shared: first measure how much CPU two busy threads actually get right now
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

const t0 = performance.now();
const ds = new SyntheticDataset({ seed: 0, nNeurons: 32, nStims: 64, bins: [300, 400], returnWaveform: true, audioFs: 16000 });
const transform = { url: new URL('./loader-transform.ts', import.meta.url) };
console.log(`dataset: ${ds.length} waveforms (1, ${ds.stims[0].shape[1]}…) at ${ds.audioFs} Hz, hop ${ds.hop}, built in ${(performance.now() - t0).toFixed(0)} ms`);

const make = (numWorkers: number, recycleBatches = false) =>
  new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 1, numWorkers, transform, recycleBatches });
const loaders = { w0: make(0), w2: make(2), w2r: make(2, true) };

interface Epoch { ms: number; batches: number; elu: number; cpuMs: number }
async function epoch(loader: DataLoader): Promise<Epoch> {
  const e0 = performance.eventLoopUtilization();
  const c0 = process.cpuUsage(); // every thread of the process: main + workers
  const start = performance.now();
  let batches = 0;
  for await (const _ of loader) batches++;
  const ms = performance.now() - start;
  const c = process.cpuUsage(c0);
  return { ms, batches, elu: performance.eventLoopUtilization(e0).utilization, cpuMs: (c.user + c.system) / 1000 };
}

// Warm-up: JIT, worker start-up (bundling the sources once), the transform's plans.
const startup = performance.now();
await epoch(loaders.w2);
console.log(`worker start-up + first epoch (2 workers): ${(performance.now() - startup).toFixed(0)} ms`);
await epoch(loaders.w2r);
await epoch(loaders.w0);

const rounds = 5;
const res = { w0: [] as Epoch[], w2: [] as Epoch[], w2r: [] as Epoch[] };
const mem: Array<{ rss: number; ab: number }> = [];
for (let r = 0; r < rounds; r++) {
  res.w0.push(await epoch(loaders.w0));
  res.w2.push(await epoch(loaders.w2));
  gc();
  mem.push({ rss: process.memoryUsage().rss, ab: process.memoryUsage().arrayBuffers });
  res.w2r.push(await epoch(loaders.w2r));
}
const bps = (es: Epoch[]) => es[0].batches / (median(es.map((e) => e.ms)) / 1000);
const b0 = bps(res.w0), b2 = bps(res.w2), b2r = bps(res.w2r);
console.log(`batches/s, 0 workers                      ${b0.toFixed(2)}`);
console.log(`batches/s, 2 workers                      ${b2.toFixed(2)}   ratio 2 / 0 workers = ${(b2 / b0).toFixed(2)}  (bar ≥ 1.7)`);
console.log(`batches/s, 2 workers, recycleBatches      ${b2r.toFixed(2)}   ratio 2 / 0 workers = ${(b2r / b0).toFixed(2)}`);
const cpu = (es: Epoch[]) => median(es.map((e) => e.cpuMs / e.ms));
console.log(`CPU time / wall time (all threads; 2 cores would allow 2.0): 0 workers ${cpu(res.w0).toFixed(2)}, 2 workers ${cpu(res.w2).toFixed(2)}, with recycling ${cpu(res.w2r).toFixed(2)}`);
console.log(`CPU ms per batch: 0 workers ${median(res.w0.map((e) => e.cpuMs / e.batches)).toFixed(0)}, 2 workers ${median(res.w2.map((e) => e.cpuMs / e.batches)).toFixed(0)}, with recycling ${median(res.w2r.map((e) => e.cpuMs / e.batches)).toFixed(0)}`);
const elu2 = median(res.w2.map((e) => e.elu)), elu2r = median(res.w2r.map((e) => e.elu)), elu0 = median(res.w0.map((e) => e.elu));
console.log(`main-thread busy fraction (event-loop utilisation) while the consumer waits: 2 workers ${(100 * elu2).toFixed(2)} %, with recycling ${(100 * elu2r).toFixed(2)} %  (bar < 5 %); 0 workers ${(100 * elu0).toFixed(0)} %`);

// Memory over 20 epochs of the 2-worker loader (5 already run above).
for (let e = rounds; e < 20; e++) {
  await epoch(loaders.w2);
  gc();
  mem.push({ rss: process.memoryUsage().rss, ab: process.memoryUsage().arrayBuffers });
}
const peak = (xs: typeof mem) => ({ rss: Math.max(...xs.map((m) => m.rss)), ab: Math.max(...xs.map((m) => m.ab)) });
const first = peak(mem.slice(0, 5)), last = peak(mem.slice(15, 20));
console.log(`memory after each epoch (2 workers), MB rss: ${mem.map((m) => MB(m.rss)).join(' ')}`);
console.log(`peak rss epochs 1–5 ${MB(first.rss)} MB, 16–20 ${MB(last.rss)} MB (ratio ${(last.rss / first.rss).toFixed(3)}); ` +
  `arrayBuffers 1–5 ${MB(first.ab)} MB, 16–20 ${MB(last.ab)} MB`);
for (const l of Object.values(loaders)) await l.close();
const ceilingAfter = await availableParallelism(1500);
console.log(`available parallelism (two spinning threads, CPU / wall): ${ceilingBefore.toFixed(2)} before, ${ceilingAfter.toFixed(2)} after (2.00 = two free cores; the 2 / 0 worker ratio is bounded by it)`);
