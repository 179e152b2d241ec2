/**
 * `CRCNSAA5Dataset`: awake, freely behaving zebra finches (Robotka, Gahr & Theunissen; CRCNS
 * aa-5), read from the prepared cache that the reference's `prepare_aa5` writes (per site
 * `manifest.json`, `playbacks.json`, `units.json`, `spikes.npz`; `stimuli/index.json` + WAVs).
 * Every trial is the fixed window −0.5 … 4.5 s around the playback onset (`T = 5000 / dtMs`
 * bins, the sound starting at `onsetBin`). Processing, options, metadata and quirks:
 * docs/zoo/aa5.md.
 * @module
 */
import { platform } from '#platform';
import { FormatError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { Meta } from '../contract/types.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { defaultHeap } from '../memory/heap.js';
import { missingCell } from '../memory/sentinel.js';
import { parseJson, type JsonValue } from '../io/json.js';
import { readNpz } from '../io/npy.js';
import { roundHalfEven } from '../util/round.js';
import { fs, runAsync, runSync, type Build } from '../sources/build.js';
import type { FileSource } from '../sources/types.js';
import { defaultCacheDir } from '../download/cache.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';
import { AA5_BIRDS, AA5_STIM_CLASSES, AA5_WINDOW_S, parseAA5Site } from './aa5-sites.js';
import { aa5StimInfo, checkAA5Compression, loadAA5Stim, type AA5StimSettings } from './aa5-stimuli.js';
import { aa5PlaybackFlags, aa5PlaybackMeta, aa5SiteResponses, type AA5Spikes } from './aa5-responses.js';

/** Options of {@link CRCNSAA5Dataset}: the reference's keyword arguments in camelCase, same defaults. */
export interface CRCNSAA5DatasetOptions {
  /** The prepared cache folder (default: the cache folder `AA5`). */
  path?: string;
  /** Birds (`'all'` = the four, in `AA5_BIRDS` order), or one bird. Default `'all'`. */
  animals?: 'all' | string | readonly string[];
  /** Site folder names to keep (default: every prepared site of the birds). */
  sites?: readonly string[] | null;
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
  /** The raw release (pandas pickles): not readable here; prepare it with the Python `prepare_aa5`. */
  rawPath?: string | null;
  /**
   * Not supported (throws ValueError): the raw release must be prepared by the Python
   * `prepare_aa5`; fetch its archives with `downloadAA5Archives` (docs/zoo/aa5.md).
   */
  download?: boolean;
}

/** Options of {@link CRCNSAA5Dataset.load}. */
export type CRCNSAA5LoadOptions = CRCNSAA5DatasetOptions & ZooLoadOptions;

/** What the build returns: everything the constructor assigns. */
interface AA5Built {
  stims: Tensor[];
  stimMeta: Meta[];
  responses: Tensor[][];
  nrnMeta: Meta[];
  trialIds: number[][][];
  playbackMeta: Record<string, Meta[]>;
  sites: string[];
}

interface Resolved extends AA5StimSettings {
  animals: string[];
  sites: readonly string[] | null;
  stimuli: string[];
  dtMs: number;
  smooth: boolean;
  windowMs: number;
  minTrials: number;
  dropMisaligned: boolean;
  misalignTolMs: number;
  dropNextPlaybackOverlap: boolean;
  onsetBin: number;
}

const BUILT = Symbol('built');
const list = (v: string | readonly string[]): string[] => (typeof v === 'string' ? [v] : [...v]);

/** Checks and completes the options (the reference's ValueErrors), before any file is read. */
function resolve(o: CRCNSAA5DatasetOptions): Resolved {
  const animals = o.animals === undefined || o.animals === 'all' ? [...AA5_BIRDS] : list(o.animals);
  const badBirds = animals.filter((b) => !AA5_BIRDS.includes(b));
  if (badBirds.length) throw new ValueError(`CRCNSAA5Dataset: unknown bird(s) ${badBirds.join(', ')} (known: ${AA5_BIRDS.join(', ')})`);
  const stimuli = list(o.stimuli ?? AA5_STIM_CLASSES);
  const badClasses = stimuli.filter((c) => !AA5_STIM_CLASSES.includes(c));
  if (badClasses.length) throw new ValueError(`CRCNSAA5Dataset: unknown stimulus class(es) ${badClasses.join(', ')} (known: ${AA5_STIM_CLASSES.join(', ')})`);
  if (o.rawPath) {
    throw new ValueError('CRCNSAA5Dataset: rawPath is not supported: the raw release is pandas pickles; prepare the cache with the Python deepSTRF `prepare_aa5(raw_path, path)` and load `path` (docs/zoo/aa5.md)');
  }
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
  const windowMs = o.windowMs ?? 10;
  const minTrials = o.minTrials ?? 1;
  return {
    animals, sites: o.sites ?? null, stimuli, dtMs, smooth: o.smooth ?? true, windowMs, minTrials,
    dropMisaligned: o.dropMisaligned ?? true, misalignTolMs: o.misalignTolMs ?? 25,
    dropNextPlaybackOverlap: o.dropNextPlaybackOverlap ?? true,
    T: Math.round(nBins), onsetBin: roundHalfEven((0.5 * 1000) / dtMs), hop, audioFs,
    returnWaveform: o.returnWaveform ?? false, nMels: o.nMels ?? 32,
    nFft: Math.max(roundHalfEven(windowMs * 1e-3 * audioFs), hop), compression: o.compression ?? 'cubic',
  };
}

function* need(path: string): Build<Uint8Array> {
  const st = yield* fs.stat(path);
  if (!st || st.kind !== 'file') throw new FormatError(path, 'file not found in the AA5 cache (prepare it with the Python `prepare_aa5`; see docs/zoo/aa5.md)');
  return yield* fs.read(path);
}

function* jsonOf(path: string): Build<JsonValue> {
  return parseJson(yield* need(path), path);
}

function asArray(v: JsonValue, file: string): Array<Record<string, JsonValue>> {
  if (!Array.isArray(v) || v.some((e) => e === null || typeof e !== 'object' || Array.isArray(e))) throw new FormatError(file, 'expected a JSON array of objects');
  return v as Array<Record<string, JsonValue>>;
}

function spikesOf(bytes: Uint8Array, file: string): AA5Spikes {
  const z = readNpz(bytes, file, { int64AsNumber: true });
  const get = (k: string) => {
    const a = z[k];
    if (!a || a.shape.length !== 1) throw new FormatError(file, `member ${k}.npy is ${a ? `of shape (${a.shape.join(', ')})` : 'missing'}, expected a 1-D array`);
    return a.data as ArrayLike<number>;
  };
  const sp = { unit: get('unit'), trial: get('trial'), start: get('start'), stop: get('stop'), spikeTimes: get('spike_times') };
  const n = sp.unit.length;
  if (sp.trial.length !== n || sp.start.length !== n || sp.stop.length !== n) {
    throw new FormatError(file, `unit, trial, start and stop must have one entry per trial record, got ${n}, ${sp.trial.length}, ${sp.start.length}, ${sp.stop.length}`);
  }
  for (let r = 0; r < n; r++) {
    if (!(sp.start[r] >= 0 && sp.start[r] <= sp.stop[r] && sp.stop[r] <= sp.spikeTimes.length)) {
      throw new FormatError(file, `record ${r}: spike slice [${sp.start[r]}, ${sp.stop[r]}) is outside spike_times (length ${sp.spikeTimes.length})`);
    }
  }
  return sp;
}

/** The build: one pass over the cache, every file parsed once. */
function* buildAA5(o: Resolved): Build<AA5Built> {
  // Sites: per bird (given order), the sorted folders holding a manifest.json.
  const sites: Array<{ bird: string; site: string }> = [];
  for (const bird of o.animals) {
    const names = (yield* fs.list(bird)).filter((e) => e.kind === 'directory' && !e.name.startsWith('.')).map((e) => e.name).sort();
    for (const site of names) {
      if (o.sites !== null && !o.sites.includes(site)) continue;
      if ((yield* fs.stat(`${bird}/${site}/manifest.json`))?.kind === 'file') sites.push({ bird, site });
    }
  }
  if (sites.length === 0) {
    throw new FormatError(`${o.animals.join(', ')}`, `no prepared AA5 site found${o.sites ? ` among ${o.sites.join(', ')}` : ''} (expected <bird>/<site>/manifest.json in the cache; see docs/zoo/aa5.md)`);
  }
  // Kept playbacks per site and the stimulus set, ordered by (class, file name).
  const playbacks = new Map<string, Array<Record<string, JsonValue>>>();
  const files = new Set<string>();
  for (const { bird, site } of sites) {
    const path = `${bird}/${site}/playbacks.json`;
    const kept = asArray(yield* jsonOf(path), path).filter((pb) => o.stimuli.includes(aa5StimInfo(String(pb.file)).stimClass as string));
    kept.forEach((pb) => files.add(String(pb.file)));
    playbacks.set(site, kept);
  }
  const classRank = (f: string) => AA5_STIM_CLASSES.indexOf(aa5StimInfo(f).stimClass as string);
  const stimFiles = [...files].sort((a, b) => classRank(a) - classRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const stimIndex = new Map(stimFiles.map((f, s) => [f, s]));
  const index = (yield* jsonOf('stimuli/index.json')) as Record<string, JsonValue>;
  const stims: Tensor[] = [];
  const stimMeta: Meta[] = [];
  for (const file of stimFiles) {
    const entry = index?.[file];
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new FormatError('stimuli/index.json', `no entry for stimulus ${file}`);
    const { stim, meta } = loadAA5Stim(yield* need(`stimuli/${file}`), file, entry, o);
    stims.push(stim);
    stimMeta.push(meta);
  }
  // Responses, site by site.
  const columns: Array<Map<number, Tensor>> = [];
  const trialCols: Array<Map<number, number[]>> = [];
  const nrnMeta: Meta[] = [];
  const playbackMeta: Record<string, Meta[]> = {};
  for (const { bird, site } of sites) {
    const info = parseAA5Site(site);
    const unitsPath = `${bird}/${site}/units.json`;
    const units = asArray(yield* jsonOf(unitsPath), unitsPath);
    const npz = `${bird}/${site}/spikes.npz`;
    const sp = spikesOf(yield* need(npz), npz);
    for (let r = 0; r < sp.unit.length; r++) {
      if (!(sp.unit[r] >= 0 && sp.unit[r] < units.length)) throw new FormatError(npz, `record ${r}: unit ${sp.unit[r]} is not an index of units.json (${units.length} units)`);
    }
    const stimOfTrial = new Map<number, number>();
    playbackMeta[site] = (playbacks.get(site) ?? []).map((pb) => {
      const flags = aa5PlaybackFlags(pb, o);
      if (!flags.dropped) stimOfTrial.set(Number(pb.trial), stimIndex.get(String(pb.file)) as number);
      return aa5PlaybackMeta(pb, flags);
    });
    for (const u of aa5SiteResponses(sp, units.length, stimOfTrial, o)) {
      const m = units[u.unit];
      const animal = typeof m.bird === "string" ? m.bird : info.bird;
      columns.push(new Map([...u.groups].map(([s, g]) => [s, g.counts])));
      trialCols.push(new Map([...u.groups].map(([s, g]) => [s, g.trials])));
      nrnMeta.push({
        cellId: m.cell_id ?? null, animalId: animal, sex: animal.slice(-1), site, depthTurns: info.depthTurns,
        depthUm: info.depthUm, recordingDate: info.date, electrode: m.electrode ?? null, cluster: m.cluster ?? null,
        sortId: m.sort ?? null, spikeSnr: m.spike_snr ?? null, rateThreshold: m.rate_threshold ?? null,
        kdeBw: m.kde_bw ?? null, auditoryZ: u.auditoryZ, nTrials: u.nTrials, spikeShape: m.spike_shape ?? null,
        spikeStd: m.spike_std ?? null,
      });
    }
  }
  const sentinel = missingCell(defaultHeap());
  return {
    stims, stimMeta, nrnMeta, playbackMeta, sites: sites.map((s) => s.site),
    responses: stimFiles.map((_, s) => columns.map((c) => c.get(s) ?? sentinel)),
    trialIds: stimFiles.map((_, s) => trialCols.map((c) => c.get(s) ?? [])),
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
      if (options.download) throw new ValueError('CRCNSAA5Dataset: download: true is not supported: fetch the archives with `downloadAA5Archives` and prepare them with the Python `prepare_aa5` (docs/zoo/aa5.md)');
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
    this.stims = built.stims;
    this.stimMeta = built.stimMeta;
    this.responses = built.responses;
    this.nrnMeta = built.nrnMeta;
    this.nNeurons = built.nrnMeta.length;
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
    if (options.download) {
      throw new ValueError('CRCNSAA5Dataset: download: true is not supported: the raw release is pandas pickles; fetch the site archives with `downloadAA5Archives` (or the Python `download_aa5`), prepare them with the Python `prepare_aa5`, then load the cache (docs/zoo/aa5.md)');
    }
    const path = options.path ?? defaultCacheDir('AA5');
    const source: FileSource = options.source ?? (await platform.openWritableSource(path));
    const built = await runAsync(buildAA5(o), source);
    return new CRCNSAA5Dataset({ ...options, path: options.source ? options.source.root : path, [BUILT]: built } as CRCNSAA5DatasetOptions);
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

/**
 * The registry entry of CRCNS-AA5.
 * @example
 * ```ts
 * const ds = await aa5Entry.load({ path: '/data/AA5', animals: ['ZF6M'] });
 * ```
 */
export const aa5Entry: DatasetEntry = {
  name: 'aa5',
  className: 'CRCNSAA5Dataset',
  description: 'CRCNS-AA5: awake freely-behaving zebra finch auditory pallium, calls/songs/ripples (prepared cache)',
  species: 'zebra finch',
  area: 'auditory pallium (Field L, CLM, NCM, CMM), sorted single + multi units',
  size: '≈163 GB raw (50 site archives); ≈90 MB prepared cache',
  licence: 'CRCNS data sharing terms (free account)',
  citation: 'Robotka H, Gahr M, Theunissen FE (CRCNS aa-5), doi:10.6080/K0TT4P5Q',
  accountNeeded: true,
  cacheFolder: 'AA5',
  manifest: () => null,
  load: (options) => CRCNSAA5Dataset.load(options as CRCNSAA5LoadOptions),
};

