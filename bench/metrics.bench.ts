// Benchmark of computeNeuronQuality (docs/metrics.md) at the size: 100 neurons × 200 stimuli
// × 20 repeats × T = 150 bins (20 000 cells, each with the full 126 split-half pairs).
// Baseline, measured in the same process: the direct-from-the-formula reference
// (src/reference/metrics.ts: explicit half-means and Pearson for every pair), timed on a subset of
// cells and scaled per cell, since it would need tens of seconds on the full size.
// The cell data come from a pool of 1 000 distinct (20, 150) blocks shared round-robin, so the
// benchmark does not allocate the 240 MB a real dataset of this size would hold.
import { computeNeuronQuality } from '../src/metrics/quality.js';
import { neuronQualityRef } from '../src/reference/metrics.js';
import { Rng } from '../src/util/random.js';
import type { Tensor } from '../src/tensor.js';

const N = 100;
const S = 200;
const R = 20;
const T = 150;
const POOL = 1000;

const rng = new Rng(7);
const pool: Tensor<'float32'>[] = [];
for (let i = 0; i < POOL; i++) {
  const data = new Float32Array(R * T);
  const gain = 0.2 + rng.next();
  const signal = Array.from({ length: T }, () => gain * rng.normal());
  for (let r = 0; r < R; r++) for (let t = 0; t < T; t++) data[r * T + t] = signal[t] + rng.normal();
  pool.push({ dtype: 'float32', shape: [R, T], data });
}
const responses: Tensor[][] = Array.from({ length: S }, (_, s) =>
  Array.from({ length: N }, (_, n) => pool[(s * N + n * 7) % POOL]),
);

// Best of `reps`, in wall-clock ms and in this process's CPU ms (user + system): the machine is
// shared, and CPU time is the figure that other processes disturb least.
let lastCpuMs = 0;
const time = (f: () => void, reps: number): number => {
  const best: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    best.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  lastCpuMs = Math.min(...cpu);
  return Math.min(...best);
};

// Warm-up, then best of 5.
computeNeuronQuality(responses, N);
const fastMs = time(() => computeNeuronQuality(responses, N), 5);
const fastCpuMs = lastCpuMs;

// The same data as float64 cells take the plain-TypeScript path (no wasm kernel).
const responses64: Tensor[][] = responses.map((row) => row.map((c) => ({ dtype: 'float64', shape: c.shape, data: Float64Array.from(c.data) })));
computeNeuronQuality(responses64, N);
const tsMs = time(() => computeNeuronQuality(responses64, N), 3);
const tsCpuMs = lastCpuMs;

const subS = 4;
const subN = 10;
const sub = responses.slice(0, subS).map((row) => row.slice(0, subN));
neuronQualityRef(sub.slice(0, 1), subN);
const refMs = time(() => neuronQualityRef(sub, subN), 2);
const refCpuMs = lastCpuMs;
const refPerCell = refMs / (subS * subN);
const fastPerCell = fastMs / (S * N);

// Agreement on the subset (not a test, a sanity line).
const a = computeNeuronQuality(sub, subN);
const b = neuronQualityRef(sub, subN);
let maxDiff = 0;
for (let n = 0; n < subN; n++) {
  maxDiff = Math.max(maxDiff, Math.abs(a.ccmax.data[n] - b.ccmax[n]), Math.abs(a.snr.data[n] - b.snr[n]) / Math.abs(b.snr[n]));
}

console.log(`computeNeuronQuality, ${N} neurons × ${S} stimuli × ${R} repeats × T=${T} (${S * N} cells, 126 pairs each)`);
console.log(`  fast path (wasm Gram kernel + pair algebra): ${fastMs.toFixed(1)} ms wall, ${fastCpuMs.toFixed(1)} ms CPU (best of 5), ${(fastPerCell * 1000).toFixed(2)} µs/cell`);
console.log(`  TypeScript path (float64 cells, no wasm): ${tsMs.toFixed(1)} ms wall, ${tsCpuMs.toFixed(1)} ms CPU (best of 3)`);
console.log(`  baseline (direct formula reference): ${(refPerCell * 1000).toFixed(1)} µs/cell → ≈ ${((refPerCell * S * N) / 1000).toFixed(1)} s at full size`);
console.log(`  speed-up vs baseline: ×${(refPerCell / fastPerCell).toFixed(0)} wall, ×${(refCpuMs / (subS * subN) / (fastCpuMs / (S * N))).toFixed(0)} CPU`);
console.log(`  max deviation from the reference on the subset: ${maxDiff.toExponential(2)}`);
