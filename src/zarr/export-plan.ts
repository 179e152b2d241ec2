/**
 * What an export writes, computed from a dataset's current selection before any byte is written:
 * the header, the index arrays (offsets, shapes, masks) and the cells of each data array in
 * offset order (docs/zarr-layout.md).
 * @module
 */
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { ShapeError, ValueError } from '../errors.js';
import { NeuralDataset } from '../contract/neural-dataset.js';
import { lazyCellsOf } from '../loader/lazy-cells.js';
import { isSentinel } from '../memory/sentinel.js';
import { shapeSize, type Tensor } from '../tensor.js';
import { DEEPSTRF_VERSION } from '../version.js';
import { SENTINEL_OFFSET, ZARR_FORMAT_NAME, ZARR_FORMAT_VERSION, type ZarrHeader } from './layout.js';
import { encodeMetaJson } from './meta-json.js';
import { ZarrDataset } from './zarr-dataset.js';

/**
 * One cell in a data array: its element offset, its size, the tensor holding its values (read
 * when its chunk is written: a lazy dataset fetches it then), and where it comes from.
 * @example
 * ```ts
 * const seg: Segment = { offset: 1200, length: 34 * 999, cell: ds.stims[3], stim: 3, neuron: -1 };
 * ```
 */
export interface Segment {
  offset: number;
  length: number;
  cell: Tensor;
  /** Absolute stimulus index in the source dataset. */
  stim: number;
  /** Absolute neuron index in the source dataset; −1 for a stimulus. */
  neuron: number;
}

/**
 * The whole export of one dataset selection.
 * @example
 * ```ts
 * const plan: ExportPlan = planExport(ds); // plan.header.S, plan.responseOffsets …
 * ```
 */
export interface ExportPlan {
  header: ZarrHeader;
  stimOffsets: BigInt64Array;
  /** `[S, stimNdim]`, row-major. */
  stimShapes: Int32Array;
  /** `[S, N]`, row-major; −1 for the sentinel. */
  responseOffsets: BigInt64Array;
  /** `[S, N, 2]`, row-major. */
  responseShapes: Int32Array;
  /** `[S, N]` 0/1. */
  masks: Uint8Array;
  stimSegments: Segment[];
  responseSegments: Segment[];
  stimTotal: number;
  responseTotal: number;
}

/**
 * Provenance an export records beside the data (all optional).
 * @example
 * ```ts
 * const p: ExportProvenance = { dataset: 'ns1', options: { singleUnitsOnly: true } };
 * ```
 */
export interface ExportProvenance {
  /** Registry name of the dataset (default: its class name). */
  dataset?: string;
  /** The options it was built with (stored as NaN-safe JSON). */
  options?: Record<string, unknown>;
}

/**
 * Plans the export of `ds`'s iterable stimuli × selected neurons.
 * @throws ValueError for an empty selection; ShapeError for stimuli of different ranks; TypeError for metadata JSON cannot hold
 * @example
 * ```ts
 * const plan = planExport(ds, { dataset: 'ns1' });
 * ```
 */
export function planExport(ds: NeuralDataset, provenance: ExportProvenance = {}): ExportPlan {
  const stims = ds.iterableStims();
  const neurons = ds.selectedNeurons();
  const S = stims.length;
  const N = neurons.length;
  if (S === 0 || N === 0) {
    throw new ValueError(`exportZarr: ${ds.constructor.name}'s selection is empty (${S} iterable stimuli × ${N} neurons); nothing to export`);
  }
  const ndim = ds.stims[stims[0]].shape.length;
  const stimOffsets = new BigInt64Array(S);
  const stimShapes = new Int32Array(S * ndim);
  const stimSegments: Segment[] = [];
  let at = 0;
  stims.forEach((s, i) => {
    const t = ds.stims[s];
    if (t.shape.length !== ndim) {
      throw new ShapeError(`exportZarr: stims[${s}] has shape [${t.shape.join(', ')}] but stims[${stims[0]}] has ${ndim} axes; a store holds stimuli of one rank`);
    }
    stimOffsets[i] = BigInt(at);
    stimShapes.set(t.shape, i * ndim);
    const length = shapeSize(t.shape);
    stimSegments.push({ offset: at, length, cell: t, stim: s, neuron: -1 });
    at += length;
  });
  const stimTotal = at;
  const responseOffsets = new BigInt64Array(S * N);
  const responseShapes = new Int32Array(S * N * 2);
  const masks = new Uint8Array(S * N);
  const responseSegments: Segment[] = [];
  const allMasks = ds.nrnMasks.data;
  const fullN = ds.nNeurons;
  // A lazy dataset's missing pairs are the shared sentinel itself (its other cells are not in memory).
  const missing = lazyCellsOf(ds) ? (r: Tensor) => r === NeuralDataset.sentinel : isSentinel;
  at = 0;
  stims.forEach((s, i) => {
    neurons.forEach((n, j) => {
      const r = ds.responses[s][n];
      const k = i * N + j;
      masks[k] = allMasks[s * fullN + n];
      responseShapes[2 * k] = r.shape[0];
      responseShapes[2 * k + 1] = r.shape[1];
      if (missing(r)) {
        responseOffsets[k] = BigInt(SENTINEL_OFFSET);
        return;
      }
      responseOffsets[k] = BigInt(at);
      const length = shapeSize(r.shape);
      responseSegments.push({ offset: at, length, cell: r, stim: s, neuron: n });
      at += length;
    });
  });
  const audio = ds instanceof AudioNeuralDataset ? ds : null;
  // Re-exporting a store keeps the original class and maps the provenance back to the source.
  const from = ds instanceof ZarrDataset ? ds.provenance : null;
  const header: ZarrHeader = {
    format: ZARR_FORMAT_NAME,
    formatVersion: ZARR_FORMAT_VERSION,
    complete: false,
    className: ds instanceof ZarrDataset ? ds.sourceClassName : ds.constructor.name,
    path: ds.path,
    dtMs: ds.dtMs,
    F: audio ? audio.F : null,
    audioFs: audio ? audio.audioFs : null,
    hearingRangeHz: audio?.hearingRangeHz ? [audio.hearingRangeHz[0], audio.hearingRangeHz[1]] : null,
    returnWaveform: audio ? audio.returnWaveform : false,
    S,
    N,
    stimNdim: ndim,
    stimMeta: stims.map((s) => encodeMetaJson(ds.stimMeta[s], `stimMeta[${s}]`)),
    nrnMeta: neurons.map((n) => encodeMetaJson(ds.nrnMeta[n], `nrnMeta[${n}]`)),
    provenance: {
      dataset: provenance.dataset ?? from?.dataset ?? ds.constructor.name,
      options: provenance.options ? encodeMetaJson(provenance.options, 'provenance.options') : from?.options ?? {},
      deepstrfVersion: DEEPSTRF_VERSION,
      stims: from ? stims.map((s) => from.stims[s]) : stims,
      neurons: from ? neurons.map((n) => from.neurons[n]) : neurons,
    },
  };
  return { header, stimOffsets, stimShapes, responseOffsets, responseShapes, masks, stimSegments, responseSegments, stimTotal, responseTotal: at };
}

/**
 * The segments of a data array that overlap elements `[start, end)`: indices `[from, to)` into
 * `segments` (in offset order). `cursor` is where the search starts: pass the previous `from`, so
 * consecutive chunks cost one pass over the segments.
 * @example
 * ```ts
 * const { from, to } = segmentsIn(plan.stimSegments, k * C, (k + 1) * C, cursor);
 * ```
 */
export function segmentsIn(segments: readonly Segment[], start: number, end: number, cursor: number): { from: number; to: number } {
  let from = cursor;
  while (from < segments.length && segments[from].offset + segments[from].length <= start) from++;
  let to = from;
  while (to < segments.length && segments[to].offset < end) to++;
  return { from, to };
}

/**
 * Writes the values of `segments` that fall in elements `[start, start + out.length)` into `out`
 * (elements no segment covers are left as they are: 0, the fill value, in a fresh chunk).
 * @example
 * ```ts
 * const { from, to } = segmentsIn(segs, k * C, (k + 1) * C, 0);
 * fillChunk(segs.slice(from, to), k * C, values.fill(0));
 * ```
 */
export function fillChunk(segments: readonly Segment[], start: number, out: Float32Array): void {
  const end = start + out.length;
  for (const seg of segments) {
    const from = Math.max(start, seg.offset);
    const to = Math.min(end, seg.offset + seg.length);
    if (from < to) out.set(seg.cell.data.subarray(from - seg.offset, to - seg.offset), from - start);
  }
}
