/**
 * What the David-lab ferret datasets (NAT4, Espejo, Wingert 2026) share as datasets: the fields
 * set from their options, smoothing, validation, and where `load()` reads from.
 * @module
 */
import { ValueError } from '../errors.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import type { BuiltData } from '../contract/types.js';
import { defaultCacheDir } from '../download/cache.js';
import type { ZooLoadOptions } from './registry.js';
import { FERRET_HEARING_RANGE_HZ } from './david-lab.js';

/** The options every David-lab dataset reads here. @example `{ returnWaveform: true, audioFs: 44100, smooth: false }` */
export interface DavidLabCommonOptions {
  dtMs?: number;
  returnWaveform?: boolean;
  audioFs?: number;
  smooth?: boolean;
}

/**
 * The base of `NAT4Dataset`, `EspejoDataset` and `Wingert2026Dataset`: ferret hearing range,
 * waveforms at 44.1 kHz by default, smoothing only when asked (`smooth` defaults to false).
 * @example
 * ```ts
 * class X extends DavidLabDataset { constructor(o: DavidLabCommonOptions, b: BuiltData) { super('/data/X', o, 10, 18, b); } }
 * ```
 */
export abstract class DavidLabDataset extends AudioNeuralDataset {
  protected constructor(path: string, o: DavidLabCommonOptions, defaultDtMs: number, F: number, b: BuiltData) {
    super(path, o.dtMs ?? defaultDtMs);
    this.F = F;
    this.hearingRangeHz = [...FERRET_HEARING_RANGE_HZ];
    this.returnWaveform = o.returnWaveform ?? false;
    this.audioFs = this.returnWaveform ? (o.audioFs ?? 44100) : null;
    this.assignBuilt(b);
    if (o.smooth) this.smoothResponses({ windowMs: 21 });
    this.validate();
  }
}

/**
 * The folder `load()` works in: `path`, else the source's root, else the cache folder; a
 * download fills the cache folder, so it cannot come with a `source`.
 * @example
 * ```ts
 * const path = davidLabLoadPath('NAT4Dataset', 'NAT4', options);
 * ```
 */
export function davidLabLoadPath(className: string, cacheName: string, o: ZooLoadOptions): string {
  if (o.download && o.source) throw new ValueError(`${className}.load: download: true fills the cache folder \`path\`; it cannot be combined with \`source\``);
  return o.path ?? (o.source ? o.source.root : defaultCacheDir(cacheName));
}
