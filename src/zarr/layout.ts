/**
 * The deepstrf Zarr layout, declared once (docs/zarr-layout.md): the array paths, the codecs of
 * the cell data, and the header stored in the root group's attributes. The exporter writes it,
 * `ZarrDataset` reads it.
 * @module
 */
import type { JsonValue } from '../io/json.js';

/** The value of `attributes.deepstrf.format`. */
export const ZARR_FORMAT_NAME = 'deepstrf-zarr';
/** The layout version; a reader refuses a newer one. */
export const ZARR_FORMAT_VERSION = 1;
/** The key of the header in the root group's attributes. */
export const HEADER_KEY = 'deepstrf';

/**
 * The arrays of a store, by role (paths relative to the store's root, `/`-separated).
 * @example
 * ```ts
 * ZARR_ARRAYS.responseOffsets; // 'responses/offsets'
 * ```
 */
export const ZARR_ARRAYS = {
  /** float32 `[total]`: every stimulus, flattened row-major, one after the other. */
  stimData: 'stims/data',
  /** int64 `[S]`: element offset of stimulus s in `stims/data`. */
  stimOffsets: 'stims/offsets',
  /** int32 `[S, D]`: the shape of stimulus s (D = `stimNdim` of the header). */
  stimShapes: 'stims/shapes',
  /** float32 `[total]`: every real response cell, flattened row-major. */
  responseData: 'responses/data',
  /** int64 `[S, N]`: element offset of cell (s, n) in `responses/data`; −1 = the missing-pair sentinel. */
  responseOffsets: 'responses/offsets',
  /** int32 `[S, N, 2]`: `(R, T)` of cell (s, n); `(1, 1)` for the sentinel. */
  responseShapes: 'responses/shapes',
  /** bool `[S, N]`: the dataset's `nrnMasks` (true = real data, no NaN). */
  masks: 'masks',
} as const;

/** The groups between the root and the arrays. */
export const ZARR_GROUPS = ['stims', 'responses'] as const;

/** The offset that marks the missing-pair sentinel in `responses/offsets`. */
export const SENTINEL_OFFSET = -1;

/** Default elements per chunk of the two data arrays (2^20 float32 = 4 MiB). */
export const DEFAULT_CHUNK_ELEMENTS = 2 ** 20;

/** Most elements per chunk of the index arrays (offsets, shapes, masks), split along the first axis. */
export const INDEX_CHUNK_ELEMENTS = 2 ** 20;

/**
 * The codecs of the data arrays: raw little-endian float32 then a CRC-32C of the chunk (4 bytes
 * appended). Uncompressed, so a reader fetches a cell's exact byte range from its chunk.
 */
export const DATA_CODECS = [
  { name: 'bytes', configuration: { endian: 'little' } },
  { name: 'crc32c', configuration: {} },
];

/** Bytes the crc32c codec appends to each chunk. */
export const CRC_BYTES = 4;

/** The key of data chunk `k` of an array (the default chunk key encoding, separator `/`). */
export function chunkKey(array: string, k: number): string {
  return `${array}/c/${k}`;
}

/**
 * The header in `zarr.json` → `attributes.deepstrf` of the root group.
 * @example
 * ```ts
 * const h: ZarrHeader = { format: 'deepstrf-zarr', formatVersion: 1, complete: true, className: 'NS1Dataset', path: '/data/NS1',
 *   dtMs: 5, F: 34, audioFs: null, hearingRangeHz: null, returnWaveform: false, S: 20, N: 73, stimNdim: 3,
 *   stimMeta: [], nrnMeta: [], provenance: { dataset: 'ns1', options: {}, deepstrfVersion: '0.1.0', stims: [], neurons: [] } };
 * ```
 */
export interface ZarrHeader {
  format: typeof ZARR_FORMAT_NAME;
  formatVersion: number;
  /** False while an export is running or was interrupted; a reader refuses an incomplete store. */
  complete: boolean;
  /** The class of the exported dataset (e.g. `NS1Dataset`). */
  className: string;
  /** The exported dataset's `path`. */
  path: string;
  dtMs: number;
  /** Band count; null when the dataset was not an `AudioNeuralDataset`. */
  F: number | null;
  audioFs: number | null;
  hearingRangeHz: [number, number] | null;
  returnWaveform: boolean;
  /** Stimuli (rows of the arrays). */
  S: number;
  /** Neurons (columns). */
  N: number;
  /** Axes of every stimulus. */
  stimNdim: number;
  /** Per-stimulus metadata, NaN-safe JSON (src/zarr/meta-json.ts). */
  stimMeta: JsonValue[];
  /** Per-neuron metadata, NaN-safe JSON. */
  nrnMeta: JsonValue[];
  provenance: ZarrProvenance;
}

/**
 * Where an export came from.
 * @example
 * ```ts
 * const p: ZarrProvenance = { dataset: 'synthetic', options: { seed: 1 }, deepstrfVersion: '0.1.0', stims: [0, 1], neurons: [2] };
 * ```
 */
export interface ZarrProvenance {
  /** Registry name of the dataset (`ns1`, `synthetic`, …), or the class name. */
  dataset: string;
  /** The options the dataset was built with (NaN-safe JSON). */
  options: JsonValue;
  /** The deepstrf version that wrote the store. */
  deepstrfVersion: string;
  /** The source dataset's stimulus indices that became rows 0…S−1 (its selection at export). */
  stims: number[];
  /** The source dataset's neuron indices that became columns 0…N−1. */
  neurons: number[];
}
