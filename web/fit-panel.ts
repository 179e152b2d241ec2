/**
 * The fit panel: a ridge STRF for the current neuron (src/fit, fitted on the dataset's split with
 * cross-validated λ), drawn as an image, and its prediction against the recorded PSTH on the
 * current stimulus. The fit code is loaded on first use.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import { isSentinel } from '../src/memory/sentinel.js';
import type { FitResult } from '../src/fit/fit.js';
import { drawPsth, emptyPlot, isWaveform, responseUnit } from './browse.js';
import { colourBarLabel, drawAxes, fillImage, fmt } from './plot.js';
import type { Renderer } from './render.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The last fit, kept to redraw the prediction when the stimulus changes. */
let last: { ds: NeuralDataset; n: number; result: FitResult } | null = null;

/**
 * Fits neuron `n` of `ds` and draws it.
 * @example
 * ```ts
 * await fitNeuron(ds, n, s, 20, renderer);
 * ```
 */
export async function fitNeuron(ds: NeuralDataset, n: number, s: number, lags: number, r: Renderer): Promise<void> {
  const summary = $('fit-summary');
  if (isWaveform(ds)) {
    summary.textContent = 'The linear STRF fit needs spectrogram stimuli; this dataset holds waveforms.';
    return;
  }
  summary.textContent = `fitting neuron ${n + 1} (${lags} lags, λ by cross-validation)…`;
  const { fitStrfsAsync } = await import('../src/fit/fit.js');
  const t0 = performance.now();
  const result = await fitStrfsAsync(ds, { neurons: [n], lags, workers: 1 });
  const ms = performance.now() - t0;
  last = { ds, n, result };
  const sc = result.scores;
  summary.textContent = `neuron ${n + 1}: test CC ${fmt(sc.cc[0])}, CCnorm ${fmt(sc.ccNorm[0])}, CCmax ${fmt(sc.ccMax[0])}, ` +
    `λ ${result.model.lambda[0].toExponential(1)} · ${result.split.train.length} train / ${result.split.test.length} test stimuli · ${ms.toFixed(0)} ms`;
  await drawStrf(result, r);
  await drawPrediction(ds, n, s);
}

async function drawStrf(result: FitResult, r: Renderer): Promise<void> {
  const { F, lags, dtMs, weights } = result.model;
  const w = Float32Array.from(weights.subarray(0, F * lags));
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  const pic = await r.draw('strf', { kind: 'heat', data: w, rows: F, cols: lags, lo: -m || -1, hi: m || 1 }, [w.buffer]);
  if (!pic) return;
  const canvas = $<HTMLCanvasElement>('strf');
  const ax = drawAxes(canvas, {
    x: [0, lags * dtMs], y: [0, F], xLabel: 'lag (ms)', yLabel: 'band (low → high)',
    yTicks: [[0.5, '1'], [F - 0.5, String(F)]], title: 'STRF',
  });
  fillImage(ax, pic.bitmap!);
  colourBarLabel(ax, pic.lo, pic.hi, '(weight)');
  canvas.dataset.drawn = 'strf';
}

/**
 * Redraws the predicted against the recorded PSTH of the fitted neuron on stimulus `s`.
 * @example
 * ```ts
 * await drawPrediction(ds, n, s);
 * ```
 */
export async function drawPrediction(ds: NeuralDataset, n: number, s: number): Promise<void> {
  const canvas = $<HTMLCanvasElement>('pred');
  if (!last || last.ds !== ds || last.n !== n) return;
  const cell = ds.responses[s][n];
  if (isSentinel(cell)) {
    emptyPlot(canvas, `neuron ${n + 1} has no recording of stimulus ${s + 1}`);
    return;
  }
  const { predictNeuron } = await import('../src/fit/evaluate.js');
  const p = predictNeuron(ds, last.result.model, 0, s);
  const { scale } = responseUnit(cell, ds.dtMs);
  for (let i = 0; i < p.length; i++) p[i] *= scale;
  const test = last.result.split.test.includes(s) ? 'test' : 'train';
  drawPsth(canvas, cell, ds.dtMs, { values: p, label: `prediction (stimulus ${s + 1}, ${test} split)` });
  canvas.dataset.drawn = `${s}:${n}`;
}

/** Forgets the last fit (a new dataset). */
export function clearFit(): void {
  last = null;
  $('fit-summary').textContent = '';
  for (const id of ['strf', 'pred']) {
    const c = $<HTMLCanvasElement>(id);
    c.getContext('2d')!.clearRect(0, 0, c.width, c.height);
    delete c.dataset.drawn;
  }
}
