/**
 * The fit job (`deepstrf fit <dataset>`, `npm start`): a linear STRF per neuron with
 * {@link fitStrfs}, the per-neuron table and medians as text, the HTML report and the model
 * as JSON and ONNX (docs/fit.md). On a {@link SyntheticDataset} it adds each STRF's correlation with the
 * ground truth.
 * @module
 */
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { finiteMedian, fitStrfsAsync, type FitAsyncOptions, type FitResult } from '../fit/fit.js';
import { modelToJson } from '../fit/model.js';
import { strfToOnnx } from '../fit/onnx.js';
import { fitReportHtml } from '../fit/report.js';
import { strfTruthCorrelation } from '../fit/truth.js';
import { SyntheticDataset } from '../zoo/synthetic.js';

/**
 * Options of {@link runFitJob}.
 * @example
 * ```ts
 * const o: FitJobOptions = { title: 'deepstrf fit synthetic', population: ['area', 'A1'], write: console.log };
 * ```
 */
export interface FitJobOptions extends FitAsyncOptions {
  /** The report's title. */
  title: string;
  /** Keep only neurons whose `nrnMeta[attr] === value`; every neuron when absent. */
  population?: readonly [attr: string, value: unknown];
  /** Where the table goes (default: nowhere). */
  write?: (line: string) => void;
}

/**
 * What {@link runFitJob} produced.
 * @example
 * ```ts
 * const out: FitJobResult = await runFitJob(ds, { title: 't' });
 * writeFileSync('report.html', out.html);
 * ```
 */
export interface FitJobResult {
  readonly result: FitResult;
  /** The self-contained report page. */
  readonly html: string;
  /** The model (src/fit/model.ts layout). */
  readonly modelJson: string;
  /** The model as ONNX (src/fit/onnx.ts). */
  readonly modelOnnx: Uint8Array;
  /** Per modelled neuron, the STRF's correlation with the ground truth (synthetic data only). */
  readonly truthCorrelation?: Float64Array;
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '  —  ');

/**
 * Runs the fit ({@link fitStrfsAsync}: the folds in `o.workers` worker threads, default the
 * calling thread), prints the table and builds the report.
 * @example
 * ```ts
 * const { result } = await runFitJob(new SyntheticDataset(), { title: 'synthetic', lags: 20, workers: 2, write: console.log });
 * ```
 */
export async function runFitJob(ds: NeuralDataset, o: FitJobOptions): Promise<FitJobResult> {
  const write = o.write ?? (() => {});
  const neurons = o.neurons ?? (o.population
    ? ds.nrnMeta.map((m, n) => (m[o.population![0]] === o.population![1] ? n : -1)).filter((n) => n >= 0)
    : Array.from({ length: ds.getN() }, (_, n) => n));
  const result = await fitStrfsAsync(ds, { ...o, neurons });
  const { model, scores } = result;
  const truth = ds instanceof SyntheticDataset ? strfTruthCorrelation(ds, model) : undefined;
  const w = Math.max(6, ...model.cellIds.map((c) => c.length));
  write(`${'neuron'.padEnd(w)}  λ/(trC/D)     CC  CCnorm   CCmax     SNR${truth ? '  truth r' : ''}`);
  model.neurons.forEach((_, j) => {
    write(`${model.cellIds[j].padEnd(w)}  ${(model.lambda[j] / result.lambdaScale).toExponential(0).padStart(9)}  ${f3(scores.cc[j])}   ${f3(scores.ccNorm[j])}   ${f3(scores.ccMax[j])}   ${f3(scores.snr[j])}${truth ? `    ${f3(truth[j])}` : ''}`);
  });
  const m = result.medians;
  write(`${'median'.padEnd(w)}  ${''.padStart(9)}  ${f3(m.cc)}   ${f3(m.ccNorm)}   ${f3(m.ccMax)}   ${f3(m.snr)}${truth ? `    ${f3(finiteMedian(truth))}` : ''}`);
  const lam = Array.from(result.lambdas, (v) => (v / result.lambdaScale).toExponential(0)).join(', ');
  const settings: [string, string][] = [
    ['dataset', `${ds.constructor.name} (${ds.path})`],
    ['neurons', `${model.neurons.length}${o.population ? ` (${o.population[0]} = ${String(o.population[1])})` : ''}${o.minSnr !== undefined ? `, SNR ≥ ${o.minSnr}` : ''}`],
    ['split', `${result.split.rule}: ${result.split.train.length} train, ${result.split.test.length} test stimuli`],
    ['design', `${model.F} bands × ${model.lags} lags of ${model.dtMs} ms (${model.F * model.lags} weights + intercept per neuron)`],
    ['targets', 'PSTH per (stimulus, neuron): NaN-mean over repeats'],
    ['λ path', `${lam} × trace(C)/D = ${result.lambdaScale.toPrecision(4)}`],
    ['cross-validation', `${result.folds} folds over the training stimuli, λ per neuron maximising the mean held-out CC`],
    ['time', `Gram ${result.timings.gramMs.toFixed(0)} ms, ridge path ${result.timings.ridgeMs.toFixed(0)} ms`],
  ];
  const html = fitReportHtml(ds, result, { title: o.title, settings, truthCorrelation: truth });
  return { result, html, modelJson: modelToJson(model), modelOnnx: strfToOnnx(model), truthCorrelation: truth };
}
