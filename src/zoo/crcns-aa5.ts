/**
 * `CRCNSAA5Dataset`: awake, freely behaving zebra finches (Robotka, Gahr & Theunissen; CRCNS
 * aa-5), read from the prepared cache that `prepareAA5` (src/zoo/aa5-prepare.ts) or the
 * reference's `prepare_aa5` writes (per site
 * `manifest.json`, `playbacks.json`, `units.json`, `spikes.npz`; `stimuli/index.json` + WAVs).
 * Every trial is the fixed window −0.5 … 4.5 s around the playback onset (`T = 5000 / dtMs`
 * bins, the sound starting at `onsetBin`). Processing, options, metadata and quirks:
 * docs/zoo/aa5.md.
 * @module
 */
import { platform } from '#platform';
import { ValueError } from '../errors.js';
import type { Meta } from '../contract/types.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { roundHalfEven } from '../util/round.js';
import { runAsync, runSync } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import type { ZooLoadOptions } from './registry.js';
import type { PartialUseOptions } from './integrity.js';
import { AA5_BIRDS, AA5_STIM_CLASSES, AA5_WINDOW_S } from './aa5-sites.js';
import { buildAA5, type AA5Built, type AA5Settings } from './aa5-build.js';
import { checkAA5Compression } from './aa5-stimuli.js';
import { prepareAA5 } from './aa5-prepare.js';
import { aa5DownloadProgress, downloadAA5 } from './aa5-download-prepare.js';
import type { CrcnsServerOptions } from './theunissen.js';
import type { WritableSource } from '../sources/types.js';

/** Options of {@link CRCNSAA5Dataset}: the reference's keyword arguments in camelCase, same defaults. @example `{ path: '/data/AA5', animals: ['ZF4F'], stimuli: ['call'], minTrials: 2 }` */
export interface CRCNSAA5DatasetOptions extends PartialUseOptions {
  /** The prepared cache folder (default: the cache folder `AA5`). */
  path?: string;
  /** Birds (`'all'` = the four, in `AA5_BIRDS` order), or one bird. Default `'all'`. */
  animals?: 'all' | string | readonly string[];
  /** Site folder names to keep, or one (default: every prepared site of the birds). */
  sites?: string | readonly string[] | null;
  /** Stimulus classes (default all five: `call`, `song`, `song_sfilt`, `song_tfilt`, `ripple`). */
  stimuli?: string | readonly string[];
  /** Response bin width in ms; must divide the 5000 ms window. Default 5. */
  dtMs?: number;
  /** 21 ms Hanning smoothing of the responses. Default true. */
  smooth?: boolean;
  /** Mel bands in spectrogram mode (`F`). Default 32. */
  nMels?: number;
  /** `'cubic'` (default), `'log1p'` or `'none'`. */
  compression?: string;
  /** Analysis window of the mel front-end in ms. Default 10. */
  windowMs?: number;
  /** Stimulus sample rate in Hz (set in both modes). Default 25 000. */
  audioFs?: number;
  /** Stimuli as `(1, T·hop)` waveforms instead of `(1, nMels, T)` spectrograms. Default false. */
  returnWaveform?: boolean;
  /** (stimulus, unit) pairs with fewer kept trials are missing. Default 1. */
  minTrials?: number;
  /** Drop trials whose cage-mic alignment is confidently off by more than `misalignTolMs`. Default true. */
  dropMisaligned?: boolean;
  /** Default 25. */
  misalignTolMs?: number;
  /** Drop trials whose next playback starts within the 4.5 s after onset. Default true. */
  dropNextPlaybackOverlap?: boolean;
  /**
   * A folder holding (part of) the raw release (`<site>.tar.gz` archives and/or extracted
   * `<site>/PlaybackPkl/` folders): `load()` first prepares the selected sites into `path`
   * (`prepareAA5(rawPath, path, { sites, birds: animals })`). Asynchronous: the constructor
   * throws ValueError pointing at `load()`.
   */
  rawPath?: string | null;
  /**
   * `load()` first downloads and prepares the selected sites from CRCNS (`downloadAA5`; free
   * account). The constructor throws ValueError pointing at `load()`.
   */
  download?: boolean;
  /** CRCNS account (default `CRCNS_USERNAME`). */
  username?: string;
  /** CRCNS password (default `CRCNS_PASSWORD`). */
  password?: string;
}

/** Options of {@link CRCNSAA5Dataset.load}. @example `{ source: new MemorySource(files), returnWaveform: true }` */
export type CRCNSAA5LoadOptions = CRCNSAA5DatasetOptions & ZooLoadOptions & CrcnsServerOptions;

interface Resolved extends AA5Settings {
  smooth: boolean;
  windowMs: number;
  onsetBin: number;
}

const BUILT = Symbol('CRCNS-AA5 build');
const ASYNC_ONLY = (what: string) => `CRCNSAA5Dataset: ${what} prepares the cache asynchronously: use \`await CRCNSAA5Dataset.load({ ... })\` (docs/zoo/aa5.md)`;
const list = (v: string | readonly string[]): string[] => (typeof v === 'string' ? [v] : [...v]);

/** Checks and completes the options (the reference's ValueErrors), before any file is read. */
function resolve(o: CRCNSAA5DatasetOptions): Resolved {
  const animals = o.animals === undefined || o.animals === 'all' ? [...AA5_BIRDS] : list(o.animals);
  const badBirds = animals.filter((b) => !AA5_BIRDS.includes(b));
  if (badBirds.length) throw new ValueError(`CRCNSAA5Dataset: unknown bird(s) ${badBirds.join(', ')} (known: ${AA5_BIRDS.join(', ')})`);
  const stimuli = list(o.stimuli ?? AA5_STIM_CLASSES);
  const badClasses = stimuli.filter((c) => !AA5_STIM_CLASSES.includes(c));
  if (badClasses.length) throw new ValueError(`CRCNSAA5Dataset: unknown stimulus class(es) ${badClasses.join(', ')} (known: ${AA5_STIM_CLASSES.join(', ')})`);
  const dtMs = o.dtMs ?? 5;
  const window = (AA5_WINDOW_S[1] - AA5_WINDOW_S[0]) * 1000;
  const nBins = window / dtMs;
  if (!(dtMs > 0) || Math.abs(nBins - Math.round(nBins)) > 1e-6) throw new ValueError(`CRCNSAA5Dataset: dtMs = ${dtMs} must divide the 5000 ms window`);
  const audioFs = o.audioFs ?? 25000;
  const ratio = (audioFs * dtMs) / 1000;
  if (!(ratio > 0) || Math.abs(ratio - Math.round(ratio)) > 1e-6) {
    throw new ValueError(`CRCNSAA5Dataset: audioFs · dtMs / 1000 = ${audioFs} · ${dtMs} / 1000 = ${ratio} is not an integer number of samples`);
  }
  const hop = roundHalfEven(ratio);
  const compression = o.compression ?? 'cubic';
  if (!o.returnWaveform) checkAA5Compression(compression);
  const windowMs = o.windowMs ?? 10;
  const minTrials = o.minTrials ?? 1;
  return {
    animals, sites: o.sites ? list(o.sites) : null, stimuli, dtMs, smooth: o.smooth ?? true, windowMs, minTrials,
    dropMisaligned: o.dropMisaligned ?? true, misalignTolMs: o.misalignTolMs ?? 25,
    dropNextPlaybackOverlap: o.dropNextPlaybackOverlap ?? true,
    T: Math.round(nBins), onsetBin: roundHalfEven((0.5 * 1000) / dtMs), hop, audioFs,
    returnWaveform: o.returnWaveform ?? false, nMels: o.nMels ?? 32,
    nFft: Math.max(roundHalfEven(windowMs * 1e-3 * audioFs), hop), compression,
    allowPartial: o.allowPartial, onWarning: o.onWarning,
  };
}

/**
 * CRCNS-AA5: sorted units of the zebra finch auditory pallium, awake and freely behaving, to
 * calls, songs, filtered songs and ripples played in the cage; one `(R, T)` cell per (stimulus,
 * unit) pair of kept trials, `(1, 1)` NaN for missing pairs.
 * @example
 * ```ts
 * const ds = new CRCNSAA5Dataset({ path: '/data/AA5', animals: ['ZF4F'], stimuli: ['call'] }); // Node
 * const ds2 = await CRCNSAA5Dataset.load({ source: new MemorySource(files), returnWaveform: true });
 * ds.selectCallType('DC');
 * ds.trialIds[0][3]; // trial ids of the rows of ds.responses[0][3]
 * ```
 */
export class CRCNSAA5Dataset extends AudioNeuralDataset {
  /** Bins per trial (`5000 / dtMs`). */
  readonly T: number;
  /** The bin of the sound onset (`round(500 / dtMs)`). */
  readonly onsetBin: number;
  readonly compression: string;
  readonly windowMs: number;
  readonly smooth: boolean;
  /** The birds asked for. */
  readonly animals: string[];
  /** The stimulus classes asked for. */
  readonly stimTypes: string[];
  /** The sites loaded, in order. */
  readonly sites: string[];
  /** Per site: its kept-class playbacks (camelCase keys) with `misaligned`, `nextPlaybackOverlap`, `dropped`. */
  readonly playbackMeta: Record<string, Meta[]>;
  /** `trialIds[s][n]`: the trial id of each row of `responses[s][n]` (empty for missing pairs). */
  readonly trialIds: number[][][];
  readonly species = 'zebra finch';

  constructor(options: CRCNSAA5DatasetOptions = {}) {
    const o = resolve(options);
    const path = options.path ?? defaultCacheDir('AA5');
    super(path, o.dtMs);
    let built = (options as { [BUILT]?: AA5Built })[BUILT];
    if (!built) {
      if (options.rawPath) throw new ValueError(ASYNC_ONLY('rawPath'));
      if (options.download) throw new ValueError(ASYNC_ONLY('download: true'));
      built = runSync(buildAA5(o), platform.folderSource(path));
    }
    this.T = o.T;
    this.onsetBin = o.onsetBin;
    this.compression = o.compression;
    this.windowMs = o.windowMs;
    this.smooth = o.smooth;
    this.animals = o.animals;
    this.stimTypes = o.stimuli;
    this.F = o.nMels;
    this.audioFs = o.audioFs;
    this.returnWaveform = o.returnWaveform;
    this.hearingRangeHz = [250, 8000];
    this.sites = built.sites;
    this.playbackMeta = built.playbackMeta;
    this.trialIds = built.trialIds;
    this.assignBuilt(built);
    if (o.smooth) this.smoothResponses({ windowMs: 21 });
    this.validate();
  }

  /**
   * Builds the dataset asynchronously from `source` (memory, OPFS, any `FileSource`) or the
   * folder `path`; works in Node and browsers.
   * @example
   * ```ts
   * const ds = await CRCNSAA5Dataset.load({ path: '/data/AA5', sites: ['ZF4F_2t_190611_160843'] });
   * ```
   */
  static async load(options: CRCNSAA5LoadOptions = {}): Promise<CRCNSAA5Dataset> {
    const o = resolve(options);
    const { source, download, rawPath, onProgress, mirror: _mirror, signal, crcnsServer, username, password, ...rest } = options;
    const path = options.path ?? (source ? source.root : defaultCacheDir('AA5'));
    const store = source ?? (await platform.openWritableSource(path));
    if (rawPath || download) {
      if (!('writeFile' in store)) throw new ValueError('CRCNSAA5Dataset.load: rawPath / download need a writable cache (a folder path or a WritableSource)');
      const cache = store as WritableSource;
      const birds = o.animals;
      if (rawPath) await prepareAA5(rawPath, cache, { sites: o.sites, birds });
      if (download) await downloadAA5(cache, { sites: o.sites, birds, username, password, ...crcnsServer, ...aa5DownloadProgress(onProgress), signal });
    }
    const built = await runAsync(buildAA5(o), store);
    return new CRCNSAA5Dataset({ ...rest, path, [BUILT]: built } as CRCNSAA5DatasetOptions);
  }

  /** Selects the calls of one type (`'DC'`, `'Te'`, … ; `'So'` = songs). @example `ds.selectCallType('Be')` */
  selectCallType(code: string): number[] {
    return this.selectStimsByAttr('callType', code);
  }

  /** Selects one stimulus class. @example `ds.selectStimClass('ripple')` */
  selectStimClass(cls: string): number[] {
    return this.selectStimsByAttr('stimClass', cls);
  }

  /** The waveform grid lock applies to waveform stimuli only (`audioFs` is set in both modes). */
  protected override checkContract(): void {
    if (this.returnWaveform) return super.checkContract();
    const fs = this.audioFs;
    this.audioFs = null;
    try {
      super.checkContract();
    } finally {
      this.audioFs = fs;
    }
  }
}
