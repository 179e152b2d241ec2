/**
 * `deepstrf fit <dataset>`: loads the dataset as its main job plans it (population, load
 * options), fits a linear STRF per neuron (src/jobs/fit.ts), prints the table and writes
 * `report.html`, `model.json` and `model.onnx` into `--out DIR` (docs/fit.md).
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { platform } from '#platform';
import { runFitJob } from '../jobs/fit.js';
import type { DatasetEntry } from '../zoo/registry.js';
import { UsageError, type CheckedFlags } from './flags.js';
import type { ProgressSink } from './progress.js';

/** `--lambdas 0.1,1,10` → numbers (each positive and finite). */
function parseLambdas(raw: string): number[] {
  const v = raw.split(',').map((s) => Number(s.trim()));
  if (v.length === 0 || v.some((x) => !(x > 0) || !Number.isFinite(x))) throw new UsageError(`--lambdas must be positive numbers separated by commas, got "${raw}"`);
  return v;
}

/**
 * Checks the fit flags (before anything is loaded).
 * @throws UsageError naming the flag.
 * @example
 * ```ts
 * fitSettings(flags, 'synthetic').out; // './deepstrf-fit-synthetic' resolved
 * ```
 */
export function fitSettings(flags: CheckedFlags, name: string): { lags?: number; lambdas?: number[]; folds?: number; minSnr?: number; workers?: number; out: string } {
  const c = flags.common;
  const minSnrRaw = c.get('min-snr') as string | undefined;
  const minSnr = minSnrRaw === undefined ? undefined : Number(minSnrRaw);
  if (minSnr !== undefined && !Number.isFinite(minSnr)) throw new UsageError(`--min-snr must be a number, got "${minSnrRaw}"`);
  const lambdas = c.has('lambdas') ? parseLambdas(c.get('lambdas') as string) : undefined;
  return {
    lags: c.get('lags') as number | undefined, folds: c.get('folds') as number | undefined, lambdas, minSnr, workers: c.get('workers') as number | undefined,
    out: resolve((c.get('out') as string | undefined) ?? `deepstrf-fit-${name}`),
  };
}

/** A step counter on stderr: redrawn in place on a terminal, a line per quarter otherwise. */
function stepProgress(sink: ProgressSink): { update(step: string, done: number, total: number): void; finish(): void } {
  let last = '', lastT = -Infinity, drawn = false;
  return {
    update(step, done, total) {
      const q = Math.floor((4 * done) / total);
      const text = `fit: ${step === 'gram' ? 'Gram matrices (wasm)' : 'ridge path + cross-validation'} ${done}/${total}`;
      if (sink.isTTY) {
        const t = platform.now();
        if (t - lastT < 100 && done < total) return;
        lastT = t;
        const width = 30, full = Math.round((done / total) * width);
        sink.write(`\r[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${text}\x1b[K`);
        drawn = true;
      } else if (`${step}${q}` !== last) {
        last = `${step}${q}`;
        sink.write(`${text}\n`);
      }
    },
    finish() {
      if (drawn) sink.write('\n');
      drawn = false;
    },
  };
}

/**
 * Runs `deepstrf fit` on a checked command line; returns the exit code.
 * @example
 * ```ts
 * await fitCommand(getDataset('synthetic'), null, flags, { stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function fitCommand(
  entry: DatasetEntry, path: string | null, flags: CheckedFlags,
  io: { stdout: { write(text: string): unknown }; stderr: ProgressSink; signal?: AbortSignal },
): Promise<number> {
  const settings = fitSettings(flags, entry.name);
  const plan = entry.mainJob?.(flags.options) ?? { load: {} };
  const write = (line: string) => io.stdout.write(`${line}\n`);
  const t0 = platform.now();
  const ds = await entry.load({ ...plan.load, ...(path === null ? {} : { path }), signal: io.signal });
  io.signal?.throwIfAborted();
  write(`deepstrf fit: linear STRFs of ${entry.className} (${ds.path}), built in ${(platform.now() - t0).toFixed(0)} ms`);
  const bar = stepProgress(io.stderr);
  let out;
  try {
    out = await runFitJob(ds, {
      title: `deepstrf fit ${entry.name}`, population: plan.population, lags: settings.lags, lambdas: settings.lambdas,
      folds: settings.folds, minSnr: settings.minSnr, workers: settings.workers, write: (l) => {
        bar.finish();
        write(l);
      },
      onProgress: (step, d, t) => bar.update(step, d, t),
    });
  } finally {
    bar.finish();
  }
  mkdirSync(settings.out, { recursive: true });
  writeFileSync(join(settings.out, 'report.html'), out.html);
  writeFileSync(join(settings.out, 'model.json'), out.modelJson);
  writeFileSync(join(settings.out, 'model.onnx'), out.modelOnnx);
  const r = out.result;
  write(`fit in ${((platform.now() - t0) / 1000).toFixed(1)} s (Gram ${r.timings.gramMs.toFixed(0)} ms, ridge path ${r.timings.ridgeMs.toFixed(0)} ms); ` +
    `test split: median CC ${r.medians.cc.toFixed(3)}, CCnorm ${r.medians.ccNorm.toFixed(3)} over ${r.model.neurons.length} neurons`);
  write(`wrote ${['report.html', 'model.json', 'model.onnx'].map((f) => join(settings.out, f)).join(', ')}`);
  return 0;
}
