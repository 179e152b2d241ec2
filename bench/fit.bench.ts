// Benchmark of `deepstrf fit` (docs/fit.md) on NS1's 73 single units (20 lags × 34 bands = 680
// weights per neuron, Rahman split, 5-fold CV over a 9-value λ path).
// 1. The ridge-solve rate: one factorisation + solve of (C + λI) w = c for 73 right-hand sides
//    with the wasm kernels choleskyF64 + choleskySolveF64, against a textbook plain-TypeScript Cholesky in the same
//    process.
// 2. The whole fit (fitStrfs) against a plain ridge written here in plain TypeScript with the same
//    settings on the same split: the design matrix built explicitly, XᵀX and Xᵀy summed over rows
//    for every fold, one Cholesky per (fold, λ), held-out predictions X_H w, CC per neuron. Both
//    choose λ per neuron by mean held-out CC and are scored with the same metrics.
// 3. The whole fit with `workers: 2` (fitStrfsAsync) against the fit in the calling thread (2.).
// Without the NS1 release ($DEEPSTRF_DATA_DIR/NS1 or ../shared/datasets/NS1) it says so and stops.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NS1Dataset } from '../src/zoo/ns1.js';
import { fitStrfs, fitStrfsAsync, finiteMedian, DEFAULT_LAMBDAS } from '../src/fit/fit.js';
import { ridgeSolve } from '../src/fit/cholesky.js';
import { evaluateStrf } from '../src/fit/evaluate.js';
import { foldsOf } from '../src/fit/split.js';
import { psthTarget } from '../src/fit/targets.js';
import type { StrfModel } from '../src/fit/model.js';
import { Rng } from '../src/util/random.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const dir = [process.env.DEEPSTRF_DATA_DIR && join(process.env.DEEPSTRF_DATA_DIR, 'NS1'), join(root, '..', 'shared', 'datasets', 'NS1')]
  .find((d) => d && existsSync(join(d, 'MetadataSHEnCneurons.mat')));
if (!dir) {
  console.log('SKIPPED fit bench: NS1 release not found ($DEEPSTRF_DATA_DIR/NS1 or ../shared/datasets/NS1)');
  process.exit(0);
}
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

// ---- plain TypeScript ridge pieces (no wasm, no statistics reuse) ----
function plainCholesky(a: Float64Array, d: number, shift: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j] + (i === j ? shift : 0);
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}
function plainSolve(l: Float64Array, d: number, b: Float64Array): Float64Array {
  const x = b.slice();
  for (let i = 0; i < d; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * x[k];
    x[i] = s / l[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}

const ds = await NS1Dataset.load({ path: dir, singleUnitsOnly: true });
const N = ds.getN(), F = ds.F, lags = 20, D = F * lags;
const split = NS1Dataset.rahmanSplit();
console.log(`NS1: ${N} single units, ${F} bands × ${lags} lags = ${D} weights, ${split.trainVal.length} train / ${split.test.length} test stimuli`);

// 1. Solve rate on a real centred Gram matrix (from the full fit's statistics: use a random SPD of the same size).
{
  const rng = new Rng(5);
  const n = 2000, X = new Float64Array(n * D);
  for (let i = 0; i < X.length; i++) X[i] = rng.normal();
  const C = new Float64Array(D * D);
  for (let r = 0; r < n; r++) for (let i = 0; i < D; i++) {
    const xi = X[r * D + i];
    for (let j = 0; j <= i; j++) C[i * D + j] += xi * X[r * D + j];
  }
  for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) C[j * D + i] = C[i * D + j];
  const rhs = new Float64Array(N * D).map(() => rng.normal());
  const wasmSolve = () => ridgeSolve(C, D, 10, rhs, N);
  const plain = () => {
    const f = plainCholesky(C, D, 10) as Float64Array;
    for (let j = 0; j < N; j++) plainSolve(f, D, rhs.subarray(j * D, (j + 1) * D));
  };
  const rate = (f: () => void, reps: number) => {
    f();
    const c0 = cpu();
    for (let i = 0; i < reps; i++) f();
    return reps / ((cpu() - c0) / 1000);
  };
  const a = rate(wasmSolve, 10), b = rate(plain, 3);
  console.log(`ridge solve (factor ${D}×${D} + ${N} right-hand sides): wasm ${a.toFixed(1)}/s, plain TS ${b.toFixed(2)}/s (CPU time) → ratio ${(a / b).toFixed(1)}×`);
}

// 2. The whole fit, then the plain ridge with the same settings.
const c0 = cpu(), t0 = performance.now();
const fit = fitStrfs(ds, { lags });
const fitCpu = cpu() - c0, fitWall = performance.now() - t0;
console.log(`fitStrfs: ${(fitWall / 1000).toFixed(1)} s wall, ${(fitCpu / 1000).toFixed(1)} s CPU (Gram ${fit.timings.gramMs.toFixed(0)} ms, ridge path ${fit.timings.ridgeMs.toFixed(0)} ms); ` +
  `median CC ${fit.medians.cc.toFixed(3)}, CCnorm ${fit.medians.ccNorm.toFixed(3)}`);

// 3. The same fit with the ridge path's folds scored in 2 worker threads (fitStrfsAsync): the
//    same model bit for bit, the wall time against workers 0 above.
{
  const t = performance.now();
  const w2 = await fitStrfsAsync(ds, { lags, workers: 2 });
  const wall = performance.now() - t;
  const same = w2.model.weights.every((v, i) => Object.is(v, fit.model.weights[i])) && w2.model.lambda.every((v, i) => Object.is(v, fit.model.lambda[i]));
  console.log(`fit workers 2 vs 0: ${(wall / 1000).toFixed(1)} s vs ${(fitWall / 1000).toFixed(1)} s wall (ridge path ${w2.timings.ridgeMs.toFixed(0)} vs ${fit.timings.ridgeMs.toFixed(0)} ms) → ` +
    `speed-up ${(fitWall / wall).toFixed(2)}× (ridge path ${(fit.timings.ridgeMs / w2.timings.ridgeMs).toFixed(2)}×); identical model: ${same}`);
}

const c1 = cpu(), t1 = performance.now();
const train = split.trainVal;
const foldOf = foldsOf(train.length, 5, 0);
const lambdasRel = DEFAULT_LAMBDAS;
// Explicit design: rows = (stimulus, t), D columns x[f, t − l] (zero before the start); targets per neuron.
const rowsOf = (stims: number[]) => {
  const T = stims.reduce((s, st) => s + ds.stims[st].shape[2], 0);
  const X = new Float64Array(T * D), Y = new Float64Array(N * T);
  let o = 0;
  for (const s of stims) {
    const Ts = ds.stims[s].shape[2], x = ds.stims[s].data;
    for (let t = 0; t < Ts; t++) for (let f = 0; f < F; f++) for (let l = 0; l < lags; l++) X[(o + t) * D + f * lags + l] = t >= l ? x[f * Ts + t - l] : 0;
    for (let n = 0; n < N; n++) Y.set(psthTarget(ds.responses[s][n], Ts, 'bench') as Float64Array, n * T + o);
    o += Ts;
  }
  return { X, Y, T };
};
const normal = (X: Float64Array, Y: Float64Array, T: number) => {
  const mx = new Float64Array(D), my = new Float64Array(N);
  for (let r = 0; r < T; r++) for (let i = 0; i < D; i++) mx[i] += X[r * D + i] / T;
  for (let n = 0; n < N; n++) for (let r = 0; r < T; r++) my[n] += Y[n * T + r] / T;
  const C = new Float64Array(D * D), c = new Float64Array(N * D);
  for (let r = 0; r < T; r++) for (let i = 0; i < D; i++) {
    const xi = X[r * D + i] - mx[i];
    for (let j = 0; j <= i; j++) C[i * D + j] += xi * (X[r * D + j] - mx[j]);
    for (let n = 0; n < N; n++) c[n * D + i] += xi * (Y[n * T + r] - my[n]);
  }
  for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) C[j * D + i] = C[i * D + j];
  return { C, c, mx, my };
};
const all = rowsOf(train);
const full = normal(all.X, all.Y, all.T);
let trace = 0;
for (let i = 0; i < D; i++) trace += full.C[i * D + i];
const lambdas = lambdasRel.map((v) => (v * trace) / D);
const ccSum = new Float64Array(N * lambdas.length);
for (let k = 0; k < 5; k++) {
  const tr = rowsOf(train.filter((_, i) => foldOf[i] !== k)), ho = rowsOf(train.filter((_, i) => foldOf[i] === k));
  const ne = normal(tr.X, tr.Y, tr.T);
  lambdas.forEach((lam, li) => {
    const l = plainCholesky(ne.C, D, lam);
    if (!l) return;
    for (let n = 0; n < N; n++) {
      const w = plainSolve(l, D, ne.c.subarray(n * D, (n + 1) * D));
      const p = new Float64Array(ho.T);
      for (let r = 0; r < ho.T; r++) {
        let s = 0;
        for (let i = 0; i < D; i++) s += ho.X[r * D + i] * w[i];
        p[r] = s;
      }
      const y = ho.Y.subarray(n * ho.T, (n + 1) * ho.T);
      let mp = 0, my = 0;
      for (let r = 0; r < ho.T; r++) {
        mp += p[r] / ho.T;
        my += y[r] / ho.T;
      }
      let cv = 0, vp = 0, vy = 0;
      for (let r = 0; r < ho.T; r++) {
        cv += (p[r] - mp) * (y[r] - my);
        vp += (p[r] - mp) ** 2;
        vy += (y[r] - my) ** 2;
      }
      ccSum[n * lambdas.length + li] += cv / Math.sqrt(vp * vy);
    }
  });
}
const weights = new Float64Array(N * D), bias = new Float64Array(N), lambda = new Float64Array(N);
for (let n = 0; n < N; n++) {
  let best = 0;
  for (let li = 1; li < lambdas.length; li++) if (ccSum[n * lambdas.length + li] > ccSum[n * lambdas.length + best]) best = li;
  const w = plainSolve(plainCholesky(full.C, D, lambdas[best]) as Float64Array, D, full.c.subarray(n * D, (n + 1) * D));
  weights.set(w, n * D);
  let b = full.my[n];
  for (let i = 0; i < D; i++) b -= w[i] * full.mx[i];
  bias[n] = b;
  lambda[n] = lambdas[best];
}
const plainModel: StrfModel = { F, lags, dtMs: ds.dtMs, neurons: Array.from({ length: N }, (_, n) => n), cellIds: [], weights, bias, lambda };
const plainScores = evaluateStrf(ds, plainModel, split.test);
const plainCpu = cpu() - c1, plainWall = performance.now() - t1;
const same = Array.from(lambda).filter((v, n) => Math.abs(v - fit.model.lambda[n]) <= 1e-9 * v).length;
console.log(`plain TS ridge: ${(plainWall / 1000).toFixed(1)} s wall, ${(plainCpu / 1000).toFixed(1)} s CPU; ` +
  `median CC ${finiteMedian(plainScores.cc).toFixed(3)}, CCnorm ${finiteMedian(plainScores.ccNorm).toFixed(3)}; same λ chosen for ${same} of ${N} neurons`);
console.log(`fit vs plain ridge: ${(plainCpu / fitCpu).toFixed(1)}× less CPU time, median CC difference ${(fit.medians.cc - finiteMedian(plainScores.cc)).toExponential(1)}`);
