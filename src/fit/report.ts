/**
 * The fit report: one self-contained HTML page (no external file, no script) with the run's
 * settings, the medians, STRF images (PNG, viridis-like), predicted vs recorded PSTHs of the
 * best, median and worst neurons, histograms of CCnorm and SNR and the per-neuron table
 * (docs/fit.md).
 * @module
 */
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { isSentinel } from '../memory/sentinel.js';
import { predictNeuron } from './evaluate.js';
import type { FitResult } from './fit.js';
import { encodePng, viridis } from './png.js';
import { esc, histogram, lineChart } from './svg.js';

/**
 * What {@link fitReportHtml} shows besides the fit itself.
 * @example
 * ```ts
 * const r: FitReportInput = { title: 'deepstrf fit synthetic', settings: [['lags', '20']] };
 * ```
 */
export interface FitReportInput {
  readonly title: string;
  /** `[name, value]` rows of the run's settings. */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  /** Per modelled neuron, the correlation of its STRF with a known ground truth. */
  readonly truthCorrelation?: Float64Array;
}

const b64 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');

/** One STRF as a PNG data URL: lag 0 on the left, band 0 (lowest) at the bottom, ±max|w| → colour map ends. */
function strfImage(w: Float64Array, F: number, lags: number, scale: number): string {
  let max = 0;
  for (const v of w) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  const W = lags * scale, H = F * scale;
  const rgb = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const f = F - 1 - Math.floor(y / scale);
    for (let x = 0; x < W; x++) {
      const c = viridis(max > 0 ? 0.5 + w[f * lags + Math.floor(x / scale)] / (2 * max) : 0.5);
      rgb.set(c, (y * W + x) * 3);
    }
  }
  return `data:image/png;base64,${b64(encodePng(W, H, rgb))}`;
}

function colourBar(): string {
  const W = 160, H = 10, rgb = new Uint8Array(W * H * 3);
  for (let x = 0; x < W; x++) for (let y = 0; y < H; y++) rgb.set(viridis(x / (W - 1)), (y * W + x) * 3);
  return `data:image/png;base64,${b64(encodePng(W, H, rgb))}`;
}

/** Recorded PSTH of one cell, NaN where every repeat is NaN. */
function recorded(ds: NeuralDataset, s: number, n: number): Float64Array {
  const c = ds.responses[s][n];
  const [R, T] = c.shape;
  return Float64Array.from({ length: T }, (_, t) => {
    let sum = 0, k = 0;
    for (let r = 0; r < R; r++) {
      const v = c.data[r * T + t];
      if (v === v) {
        sum += v;
        k++;
      }
    }
    return k ? sum / k : Number.NaN;
  });
}

/**
 * The report page of a fit.
 * @example
 * ```ts
 * writeFileSync('out/report.html', fitReportHtml(ds, result, { title: 'deepstrf fit ns1', settings }));
 * ```
 */
export function fitReportHtml(ds: NeuralDataset, r: FitResult, input: FitReportInput): string {
  const { model, scores } = r;
  const { F, lags, dtMs } = model;
  const M = model.neurons.length;
  const key = Array.from(scores.ccNorm).some(Number.isFinite) ? scores.ccNorm : scores.cc;
  const keyName = key === scores.ccNorm ? 'CCnorm' : 'CC';
  const order = Array.from({ length: M }, (_, j) => j).filter((j) => Number.isFinite(key[j])).sort((a, b) => key[b] - key[a]);
  const scale = Math.max(2, Math.min(8, Math.round(100 / F)));

  const strfs = order.concat(Array.from({ length: M }, (_, j) => j).filter((j) => !Number.isFinite(key[j]))).map((j) => {
    const src = strfImage(model.weights.subarray(j * F * lags, (j + 1) * F * lags), F, lags, scale);
    const truth = input.truthCorrelation ? ` · truth r ${f3(input.truthCorrelation[j])}` : '';
    return `<figure style="width:${Math.max(lags * scale, 90)}px"><img src="${src}" width="${lags * scale}" height="${F * scale}" alt="STRF of ${esc(model.cellIds[j])}"><figcaption>${esc(model.cellIds[j])}<br>${keyName} ${f3(key[j])}${truth}</figcaption></figure>`;
  });

  const picks: [string, number][] = order.length
    ? [['best', order[0]], ['median', order[Math.floor((order.length - 1) / 2)]], ['worst', order[order.length - 1]]]
    : [];
  const psths = picks.map(([label, j]) => {
    const n = model.neurons[j];
    const s = r.split.test.find((t) => !isSentinel(ds.responses[t][n]));
    if (s === undefined) return '';
    const y = recorded(ds, s, n), p = predictNeuron(ds, model, j, s);
    const x = Float64Array.from(y, (_, t) => t * dtMs);
    const name = String(ds.stimMeta[s]?.name ?? `stimulus ${s}`);
    return lineChart({
      x, series: [{ y, colour: '#999', label: 'recorded (mean)' }, { y: p, colour: '#d62728', label: 'predicted' }],
      xLabel: 'time (ms)', yLabel: 'response (counts/bin)', title: `${label}: ${model.cellIds[j]} on ${name} (${keyName} ${f3(key[j])})`, width: 640,
    });
  });

  const med = r.medians;
  const hasTruth = input.truthCorrelation !== undefined;
  const rows = Array.from({ length: M }, (_, j) => `<tr><td>${esc(model.cellIds[j])}</td><td>${(model.lambda[j] / r.lambdaScale).toExponential(0)}</td>` +
    `<td>${f3(scores.cc[j])}</td><td>${f3(scores.ccNorm[j])}</td><td>${f3(scores.ccMax[j])}</td><td>${f3(scores.snr[j])}</td>${hasTruth ? `<td>${f3((input.truthCorrelation as Float64Array)[j])}</td>` : ''}</tr>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(input.title)}</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}
td:first-child,th:first-child{text-align:left}
.strfs{display:flex;flex-wrap:wrap;gap:10px}figure{margin:0;font-size:10px;text-align:center;overflow-wrap:anywhere}
img{image-rendering:pixelated;display:block;border:1px solid #ccc}
.row{display:flex;flex-wrap:wrap;gap:16px}.big{font-size:15px}
</style></head><body>
<h1>${esc(input.title)}</h1>
<p class="big">Test split (${r.split.test.length} stimuli, ${esc(r.split.rule)}), ${M} neurons: median CC <b>${f3(med.cc)}</b>, CCnorm <b>${f3(med.ccNorm)}</b>, CCmax ${f3(med.ccMax)}, SNR ${f3(med.snr)}.</p>
<h2>Settings</h2>
<table>${input.settings.map(([k, v]) => `<tr><td>${esc(k)}</td><td style="text-align:left">${esc(v)}</td></tr>`).join('')}</table>
<h2>Predicted vs recorded PSTH (test stimuli)</h2>
${psths.join('\n')}
<h2>Distributions</h2>
<div class="row">${histogram({ values: scores.ccNorm, bins: 12, xLabel: 'CCnorm (Schoppe)', title: 'CCnorm, test split', range: [Math.min(0, ...Array.from(scores.ccNorm).filter(Number.isFinite)), Math.max(1, ...Array.from(scores.ccNorm).filter(Number.isFinite))] })}
${histogram({ values: scores.snr, bins: 12, xLabel: 'SNR (signal / noise power)', title: 'SNR, test split' })}</div>
<h2>STRFs (sorted by ${keyName})</h2>
<p>Each image: lag 0 … ${lags - 1} bins (0 … ${(lags - 1) * dtMs} ms) left to right, band 0 (lowest) … ${F - 1} bottom to top; colour from −max|w| <img src="${colourBar()}" width="160" height="10" alt="colour map" style="display:inline;vertical-align:middle"> +max|w| per neuron.</p>
<div class="strfs">${strfs.join('')}</div>
<h2>Per neuron</h2>
<table><tr><th>neuron</th><th>λ / (tr C / D)</th><th>CC</th><th>CCnorm</th><th>CCmax</th><th>SNR</th>${hasTruth ? '<th>truth r</th>' : ''}</tr>${rows.join('')}</table>
</body></html>
`;
}
