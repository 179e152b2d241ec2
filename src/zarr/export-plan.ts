/**
 * What an export writes, computed from a dataset's current selection before any byte is written:
 * the header, the index arrays (offsets, shapes, masks) and the cells of each data array in
 * offset order (docs/zarr-layout.md).
 * @module
 */
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import type { NeuralDataset } from '../contract/neural-dataset.js';
import { ShapeError, ValueError } from '../errors.js';
import { isSentinel } from '../memory/sentinel.js';
import { shapeSize, type TypedArray } from '../tensor.js';
import { DEEPSTRF_VERSION } from '../version.js';
import { SENTINEL_OFFSET, ZARR_FORMAT_NAME, ZARR_FORMAT_VERSION, type ZarrHeader } from './layout.js';
import { encodeMetaJson } from './meta-json.js';

/** One cell in a data array: its element offset and its values. */
export interface Segment {
  offset: number;
  data: TypedArray;
}

/** The whole export of one dataset selection. */
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

/** Plans the export of `ds`'s iterable stimuli × selected neurons. */
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
    stimSegments.push({ offset: at, data: t.data });
    at += shapeSize(t.shape);
  });
  const stimTotal = at;
  const responseOffsets = new BigInt64Array(S * N);
  const responseShapes = new Int32Array(S * N * 2);
  const masks = new Uint8Array(S * N);
  const responseSegments: Segment[] = [];
  const allMasks = ds.nrnMasks.data;
  const fullN = ds.nNeurons;
  at = 0;
  stims.forEach((s, i) => {
    neurons.forEach((n, j) => {
      const r = ds.responses[s][n];
      const k = i * N + j;
      masks[k] = allMasks[s * fullN + n];
      responseShapes[2 * k] = r.shape[0];
      responseShapes[2 * k + 1] = r.shape[1];
      if (isSentinel(r)) {
        responseOffsets[k] = BigInt(SENTINEL_OFFSET);
        return;
      }
      responseOffsets[k] = BigInt(at);
      responseSegments.push({ offset: at, data: r.data });
      at += shapeSize(r.shape);
    });
  });
  const audio = ds instanceof AudioNeuralDataset ? ds : null;
  const header: ZarrHeader = {
    format: ZARR_FORMAT_NAME,
    formatVersion: ZARR_FORMAT_VERSION,
    complete: false,
    className: ds.constructor.name,
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
      dataset: provenance.dataset ?? ds.constructor.name,
      options: encodeMetaJson(provenance.options ?? {}, 'provenance.options'),
      deepstrfVersion: DEEPSTRF_VERSION,
      stims,
      neurons,
    },
  };
  return { header, stimOffsets, stimShapes, responseOffsets, responseShapes, masks, stimSegments, responseSegments, stimTotal, responseTotal: at };
}

/**
 * The values of elements `[start, start + out.length)` of a data array, from its segments in
 * offset order (elements past the end stay 0, the fill value). `cursor` is where the search
 * starts and is returned advanced, so consecutive chunks cost one pass over the segments.
 */
export function fillChunk(segments: readonly Segment[], start: number, out: Float32Array, cursor: number): number {
  const end = start + out.length;
  let i = cursor;
  while (i < segments.length && segments[i].offset + segments[i].data.length <= start) i++;
  for (let j = i; j < segments.length && segments[j].offset < end; j++) {
    const seg = segments[j];
    const from = Math.max(start, seg.offset);
    const to = Math.min(end, seg.offset + seg.data.length);
    out.set(seg.data.subarray(from - seg.offset, to - seg.offset), from - start);
  }
  return i;
}
