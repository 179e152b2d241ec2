/**
 * The browse panels for one (stimulus, neuron): the stimulus spectrogram, the raster of repeats,
 * the PSTH, the valid mask of the neuron over the selected stimuli, and the map of recorded pairs.
 * Numbers are copied out of the dataset's store and pictures are made by the render worker.
 * @module
 */
import type { AudioNeuralDataset } from '../src/contract/audio-neural-dataset.js';
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import { isSentinel } from '../src/memory/sentinel.js';
import type { Tensor } from '../src/tensor.js';
import { colourBarLabel, drawAxes, fillImage, fmt, plotArea, polyline, type Axes } from './plot.js';
import type { Renderer } from './render.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** True when `ds` is an auditory dataset holding waveforms. @example `if (isWaveform(ds)) ds.audioFs;` */
export function isWaveform(ds: NeuralDataset): ds is AudioNeuralDataset {
  return (ds as AudioNeuralDataset).returnWaveform === true && (ds as AudioNeuralDataset).audioFs !== null;
}

/** True when every finite value of `data` is a non-negative integer (spike counts). */
function isCounts(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v) && (v < 0 || v !== Math.floor(v))) return false;
  }
  return true;
}

/** True when no finite value of `data` is negative (counts per bin, smoothed or not). */
function isNonNegative(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] < 0) return false;
  return true;
}

/** Mean over the repeats of an `(R, T)` cell, NaN-aware, times `scale`. */
function meanOverRepeats(cell: Tensor, scale: number): Float64Array {
  const [R, T] = cell.shape;
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    let sum = 0;
    let k = 0;
    for (let r = 0; r < R; r++) {
      const v = cell.data[r * T + t] as number;
      if (!Number.isNaN(v)) {
        sum += v;
        k++;
      }
    }
    out[t] = k ? (sum / k) * scale : Number.NaN;
  }
  return out;
}

/** Time of each bin in ms. */
const binTimes = (T: number, dtMs: number): Float64Array => Float64Array.from({ length: T }, (_, t) => t * dtMs);

/**
 * The response unit of a cell and the factor from stored values: spikes/s for counts per bin
 * (smoothed or not: no negative value), else the stored unit (membrane potential, EEG).
 * @example
 * ```ts
 * const { label, scale } = responseUnit(cell, 5); // 'rate (spikes/s)', 200
 * ```
 */
export function responseUnit(cell: Tensor, dtMs: number): { label: string; scale: number } {
  return isNonNegative(cell.data) ? { label: 'rate (spikes/s)', scale: 1000 / dtMs } : { label: 'response (as stored)', scale: 1 };
}

/** A message in the middle of an empty plot. @example `emptyPlot(canvas, 'a missing pair')` */
export function emptyPlot(canvas: HTMLCanvasElement, text: string): void {
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#555';
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, canvas.width / 2, canvas.height / 2);
}

function frequencyTicks(freqs: Float64Array): Array<[number, string]> {
  const n = freqs.length;
  const picks = [0, Math.round((n - 1) / 4), Math.round((n - 1) / 2), Math.round((3 * (n - 1)) / 4), n - 1];
  return [...new Set(picks)].map((i) => [i + 0.5, freqs[i] >= 1000 ? `${(freqs[i] / 1000).toFixed(1)}k` : freqs[i].toFixed(0)]);
}

function markDrawn(canvas: HTMLCanvasElement, key: string): void {
  canvas.dataset.drawn = key;
}

/** Draws stimulus `s`: its spectrogram, or its waveform's spectrogram. @example `await drawStimulus(ds, 0, renderer)` */
export async function drawStimulus(ds: NeuralDataset, s: number, r: Renderer): Promise<void> {
  const canvas = $<HTMLCanvasElement>('stim');
  const st = ds.stims[s];
  const name = String(ds.stimMeta[s]?.name ?? ds.stimMeta[s]?.stimName ?? '');
  if (isWaveform(ds)) {
    const wave = (st.data as Float32Array).slice();
    const pic = await r.draw('stim', { kind: 'wavespec', wave, fs: ds.audioFs!, dtMs: ds.dtMs }, [wave.buffer]);
    if (!pic) return;
    const T = pic.width;
    const ax = drawAxes(canvas, {
      x: [0, T * ds.dtMs], y: [0, pic.height], xLabel: 'time (ms)', yLabel: 'frequency (Hz)', yTicks: frequencyTicks(pic.freqs!),
      title: `waveform ${fmt(st.shape[1] / ds.audioFs!)} s at ${ds.audioFs} Hz → log-frequency spectrogram`,
    });
    fillImage(ax, pic.bitmap!);
    colourBarLabel(ax, pic.lo, pic.hi, 'dB');
  } else {
    const [, F, T] = st.shape;
    const data = (st.data as Float32Array).slice();
    const pic = await r.draw('stim', { kind: 'heat', data, rows: F, cols: T }, [data.buffer]);
    if (!pic) return;
    const hr = (ds as AudioNeuralDataset).hearingRangeHz;
    const ax = drawAxes(canvas, {
      x: [0, T * ds.dtMs], y: [0, F], xLabel: 'time (ms)',
      yLabel: 'frequency band (low → high)',
      yTicks: [[0.5, '1'], [F / 2, String(Math.round(F / 2))], [F - 0.5, String(F)]],
      title: `${F} bands${hr ? `, hearing range ${fmt(hr[0])}–${fmt(hr[1])} Hz` : ''}`,
    });
    fillImage(ax, pic.bitmap!);
    colourBarLabel(ax, pic.lo, pic.hi, 'as stored');
  }
  $('stim-title').textContent = `${s + 1} of ${ds.getS()}${name ? ` · ${name}` : ''}`;
  markDrawn(canvas, `${s}`);
}

/** Draws the raster and PSTH of (s, n). @example `await drawResponses(ds, s, n, renderer)` */
export async function drawResponses(ds: NeuralDataset, s: number, n: number, r: Renderer): Promise<void> {
  const raster = $<HTMLCanvasElement>('raster');
  const psthCanvas = $<HTMLCanvasElement>('psth');
  const cell = ds.responses[s][n];
  const cellId = String(ds.nrnMeta[n]?.cellId ?? ds.nrnMeta[n]?.name ?? n);
  $('resp-title').textContent = `neuron ${n + 1} of ${ds.getN()} (${cellId}) · stimulus ${s + 1}`;
  if (isSentinel(cell)) {
    await r.draw('raster', { kind: 'heat', data: new Float32Array(1), rows: 1, cols: 1 }); // supersedes a pending raster
    emptyPlot(raster, `neuron ${cellId} never heard stimulus ${s + 1}: a missing pair (NaN sentinel)`);
    emptyPlot(psthCanvas, 'no PSTH for a missing pair');
    markDrawn(raster, `${s}:${n}`);
    markDrawn(psthCanvas, `${s}:${n}`);
    return;
  }
  const [R, T] = cell.shape;
  const counts = isCounts(cell.data);
  const data = (cell.data as Float32Array).slice();
  const area = plotArea(raster);
  const pic = counts
    ? await r.draw('raster', { kind: 'raster', data, rows: R, cols: T, width: area.width, height: area.height }, [data.buffer])
    : await r.draw('raster', { kind: 'heat', data, rows: R, cols: T }, [data.buffer]);
  if (!pic) return;
  const ax = drawAxes(raster, {
    x: [0, T * ds.dtMs], y: [0, R], xLabel: 'time (ms)', yLabel: 'repeat',
    yTicks: R > 1 ? [[0.5, '1'], [R - 0.5, String(R)]] : [[0.5, '1']],
    title: `${R} repeats × ${T} bins of ${ds.dtMs} ms${counts ? ' · a mark per bin with spikes' : ' · colour: value per bin (not integer counts)'}`,
  });
  fillImage(ax, pic.bitmap!);
  markDrawn(raster, `${s}:${n}`);
  drawPsth(psthCanvas, cell, ds.dtMs);
  markDrawn(psthCanvas, `${s}:${n}`);
}

/**
 * The PSTH of a cell, and optionally another curve (a prediction) over it.
 * @example
 * ```ts
 * drawPsth(canvas, ds.responses[s][n], ds.dtMs, { values: predicted, label: 'prediction' });
 * ```
 */
export function drawPsth(canvas: HTMLCanvasElement, cell: Tensor, dtMs: number, extra?: { values: Float64Array; label: string }): Axes {
  const { label, scale } = responseUnit(cell, dtMs);
  const p = meanOverRepeats(cell, scale);
  const T = p.length;
  let lo = 0;
  let hi = 0;
  for (const arr of [p, extra?.values ?? p]) {
    for (const v of arr) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const ax = drawAxes(canvas, {
    x: [0, T * dtMs], y: [lo, hi > lo ? hi : lo + 1], xLabel: 'time (ms)', yLabel: label,
    title: extra ? `PSTH (grey) and ${extra.label} (red)` : `PSTH: mean over ${cell.shape[0]} repeats`,
  });
  const times = binTimes(T, dtMs);
  polyline(ax, times, p, extra ? '#888' : '#31688e');
  if (extra) polyline(ax, times, extra.values, '#d62728', 1.5);
  return ax;
}

/** Draws the valid mask of neuron n over the selected stimuli, padded as a batch pads them. @example `await drawValidity(ds, n, renderer)` */
export async function drawValidity(ds: NeuralDataset, n: number, r: Renderer): Promise<void> {
  const canvas = $<HTMLCanvasElement>('validity');
  const stims = ds.iterableStims();
  const cells: Array<Float32Array | null> = [];
  const shapes: Array<[number, number]> = [];
  let rMax = 1;
  let tMax = 1;
  for (const s of stims) {
    const c = ds.responses[s][n];
    const missing = isSentinel(c);
    cells.push(missing ? null : (c.data as Float32Array).slice());
    shapes.push(missing ? [0, 0] : [c.shape[0], c.shape[1]]);
    if (!missing) rMax = Math.max(rMax, c.shape[0]);
    tMax = Math.max(tMax, missing ? ds.stims[s].shape[ds.stims[s].shape.length - 1] / (isWaveform(ds) ? ds.hop! : 1) : c.shape[1]);
  }
  const pic = await r.draw('validity', { kind: 'validity', cells, shapes, rMax, tMax }, cells.filter((c) => c !== null).map((c) => c!.buffer));
  if (!pic) return;
  const S = stims.length;
  const every = Math.max(1, Math.ceil(S / 8));
  const ax = drawAxes(canvas, {
    x: [0, tMax * ds.dtMs], y: [0, S], xLabel: 'time (ms)', yLabel: 'stimulus (repeats within)',
    yTicks: stims.map((s, i) => [S - i - 0.5, String(s + 1)] as [number, string]).filter((_, i) => i % every === 0),
    title: `neuron ${n + 1}: ${S} stimuli × ${rMax} repeats × ${tMax} bins, as a batch pads them`,
  });
  fillImage(ax, pic.bitmap!);
  markDrawn(canvas, `${n}`);
}

const repeatCountsOf = new WeakMap<NeuralDataset, Float32Array>();

/** `(N, S)` repeat counts, NaN for a pair never recorded; computed once per dataset. */
function repeatCounts(ds: NeuralDataset): Float32Array {
  let data = repeatCountsOf.get(ds);
  if (!data) {
    const S = ds.getS();
    const N = ds.getN();
    data = new Float32Array(N * S);
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < S; i++) {
        const c = ds.responses[i][j];
        data[j * S + i] = isSentinel(c) ? Number.NaN : c.shape[0];
      }
    }
    repeatCountsOf.set(ds, data);
  }
  return data;
}

/**
 * Draws every (stimulus, neuron) pair coloured by its repeat count (grey: never recorded), the current one outlined.
 * @example
 * ```ts
 * await drawPairs(ds, s, n, renderer);
 * ```
 */
export async function drawPairs(ds: NeuralDataset, s: number, n: number, r: Renderer): Promise<void> {
  const canvas = $<HTMLCanvasElement>('pairs');
  const S = ds.getS();
  const N = ds.getN();
  const data = repeatCounts(ds).slice();
  const pic = await r.draw('pairs', { kind: 'heat', data, rows: N, cols: S, lo: 0 }, [data.buffer]);
  if (!pic) return;
  const ax = drawAxes(canvas, {
    x: [0, S], y: [0, N], xLabel: 'stimulus', yLabel: 'neuron',
    xTicks: [[0.5, '1'], [S - 0.5, String(S)]], yTicks: [[0.5, '1'], [N - 0.5, String(N)]],
    title: 'recorded pairs: colour = repeats, grey = never recorded',
  });
  fillImage(ax, pic.bitmap!);
  colourBarLabel(ax, pic.lo, pic.hi, 'repeats');
  const { ctx } = ax;
  ctx.strokeStyle = '#d62728';
  ctx.lineWidth = 2;
  const x0 = ax.sx(s);
  const y0 = ax.sy(n + 1);
  ctx.strokeRect(x0, y0, Math.max(3, ax.sx(s + 1) - x0), Math.max(3, ax.sy(n) - y0));
  markDrawn(canvas, `${s}:${n}`);
}
