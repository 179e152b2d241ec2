/**
 * Messages between the page and its render worker (web/render-worker.ts): the page sends the
 * numbers of one plot, the worker answers an `ImageBitmap` drawn with the colour maps of
 * web/colormap.ts (per-pixel work stays off the main thread).
 * @module
 */

/** A matrix drawn with viridis from `lo` to `hi` (default: its finite min and max); row 0 at the bottom; NaN light grey. @example `{ kind: 'heat', data, rows: F, cols: T }` */
export interface HeatRequest {
  kind: 'heat';
  data: Float32Array;
  rows: number;
  cols: number;
  lo?: number;
  hi?: number;
}

/** A waveform's log-frequency spectrogram (dB) on the response grid, drawn as a heat map. @example `{ kind: 'wavespec', wave, fs: 24000, dtMs: 5 }` */
export interface WaveSpecRequest {
  kind: 'wavespec';
  wave: Float32Array;
  fs: number;
  dtMs: number;
}

/** Spike counts `(rows = repeats, cols = bins)` drawn at `width × height` pixels: a mark per bin with spikes, NaN bins grey. @example `{ kind: 'raster', data, rows: R, cols: T, width: 550, height: 144 }` */
export interface RasterRequest {
  kind: 'raster';
  data: Float32Array;
  rows: number;
  cols: number;
  width: number;
  height: number;
}

/**
 * One neuron's cells over stimuli, padded as a batch pads them to `(rMax, tMax)`: each cell's
 * values (`null` for a missing pair) and its `[R, T]`.
 * @example
 * ```ts
 * const req: ValidityRequest = { kind: 'validity', cells: [a, null], shapes: [[20, 999], [0, 0]], rMax: 20, tMax: 999 };
 * ```
 */
export interface ValidityRequest {
  kind: 'validity';
  cells: Array<Float32Array | null>;
  shapes: Array<[number, number]>;
  rMax: number;
  tMax: number;
}

/** Any request. @example `renderer.draw('stim', req)` */
export type RenderRequest = HeatRequest | WaveSpecRequest | RasterRequest | ValidityRequest;

/** The answer: the picture, its pixel size, the colour scale and (wavespec) the band frequencies in Hz. @example `ctx.drawImage(reply.bitmap!, x, y, w, h)` */
export interface RenderReply {
  id: number;
  bitmap?: ImageBitmap;
  width: number;
  height: number;
  lo: number;
  hi: number;
  freqs?: Float64Array;
  error?: string;
}

/** Colours of the validity picture (RGB), shared by the worker and the test. @example `VALIDITY_COLOURS.missing // [190, 190, 190]` */
export const VALIDITY_COLOURS = {
  valid: [49, 104, 142],
  nan: [253, 231, 37],
  padding: [255, 255, 255],
  missing: [190, 190, 190],
} as const;
