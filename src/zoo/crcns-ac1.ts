/**
 * `CRCNSAC1Dataset`: rat auditory intracellular recordings of the CRCNS `ac-1` release — Wehr
 * (whole-cell A1, 4 kHz traces, natural-sound fragments) and Asari (whole-cell A1 and
 * cell-attached MGB, 10 kHz, spliced natural-sound sequences). MATLAB v5/v6 files of every byte
 * order; three zip archives extracted lazily (the folder `<archive stem>/` of each, checked by an
 * anchor). Responses: detrended Vm (`subthresh`) or a spike-train PSTH proxy (`spikes`,
 * cell-attached cells) at `dtMs`, artefact-gated repeats; per stimulus T = min(stimulus duration,
 * spectrogram frames, shortest response), responses cropped. See docs/zoo/ac1.md.
 * @module
 */
import { platform } from '#platform';
import { zooBuildSync } from './zoo-build.js';
import { DatasetValidationError, ValueError } from '../errors.js';
import { tensor, type Tensor } from '../tensor.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { defaultHeap } from '../memory/heap.js';
import { missingCell } from '../memory/sentinel.js';
import { readMat } from '../io/mat5.js';
import type { MatStruct, MatValue } from '../io/mat-types.js';
import { roundHalfEven } from '../util/round.js';
import { cropOrPad, prepareWaveform } from '../audio/waveform.js';
import { logFrequencies, logFrequencySpectrogram } from '../spectral/log-frequency.js';
import { defaultCacheDir } from '../download/cache.js';
import { extractArchive } from '../download/archive.js';
import { downloadCrcnsArchives, type CrcnsArchive, type CrcnsServerOptions } from './theunissen.js';
import { fs, fileLabel, parsing, runAsync, SourceFileError, type Build, type ListEntry } from '../sources/build.js';
import type { WritableSource } from '../sources/types.js';
import type { ZooLoadOptions } from './registry.js';
import type { Meta } from '../contract/types.js';
import {
  AC1_DEFAULT_GATING, binRepeats, detectSpikesPsth, gateRepeats, type RejectionCounter, type RepeatGating,
} from './crcns-ac1-repeats.js';

/**
 * The three archives of the release: the zip, the folder it is extracted into, the anchor whose
 * presence means it was extracted, and the data folder the loader reads.
 * @example
 * ```ts
 * AC1_ARCHIVES[0].anchor; // 'crcns-ac1/wehr/Summary.mat'
 * ```
 */
export const AC1_ARCHIVES: readonly { readonly zip: string; readonly folder: string; readonly anchor: string }[] = Object.freeze([
  { zip: 'crcns-ac1.zip', folder: 'crcns-ac1', anchor: 'crcns-ac1/wehr/Summary.mat' },
  { zip: 'crcns-ac1-asari-results-1.zip', folder: 'crcns-ac1-asari-results-1', anchor: 'crcns-ac1-asari-results-1/asari-results-1' },
  { zip: 'crcns-ac1-asari-results-2.zip', folder: 'crcns-ac1-asari-results-2', anchor: 'crcns-ac1-asari-results-2/asari-results-2' },
]);
/**
 * The AC1 download through a CRCNS account: each zip fetched when its anchor is missing and
 * unpacked into its folder.
 * @example
 * ```ts
 * await downloadCrcnsArchives('/data/CRCNS_AC1', AC1_DOWNLOAD, { username, password });
 * ```
 */
export const AC1_DOWNLOAD: readonly CrcnsArchive[] = AC1_ARCHIVES.map((a) => ({ remote: `ac-1/${a.zip}`, anchor: a.anchor, extract: { into: a.folder } }));
const WEHR_DIR = 'crcns-ac1/wehr';
const WEHR_STIM_SUBFOLDERS = ['fragments', 'category1', 'category2', 'category3'];
const WEHR_TRIGGER_TYPES = new Set(['naturalsound', 'nauralsound', 'natural']);
const ASARI_ROOTS = ['crcns-ac1-asari-results-1/asari-results-1', 'crcns-ac1-asari-results-2/asari-results-2'];
const ASARI_STIM_DIR = 'crcns-ac1/asari/Stimuli';
const ASARI_TRIGGER_TYPES = new Set(['naturalsound', 'natural sound']);
const SEQUENCE = /^Sequence\s*(\d+)\s*:\s*(\d+(?:\s+\d+)*)/;
const RAMP_MS = 5;
const NOT_FOUND_HINT = 'download the three ac-1 zips from CRCNS (free account) into this folder';

/** The 21 Wehr cells (by `wehrCellIdx`) the reference calls valid (drops 1, 2, 4, 8). @example `ds.selectPopByNrnPredicate((m) => AC1_WEHR_VALID_NEURONS.includes(m.wehrCellIdx as number))` */
export const AC1_WEHR_VALID_NEURONS: readonly number[] = Object.freeze([0, 3, 5, 6, 7, ...Array.from({ length: 15 }, (_, i) => 9 + i), 24]);
/** Per `wehrCellIdx`: (train, val, test) stimulus counts of the reference's natural-sound split. @example `AC1_WEHR_SPLIT_NATURAL[11] // [25, 4, 7]` */
export const AC1_WEHR_SPLIT_NATURAL: readonly (readonly [number, number, number])[] = Object.freeze([
  [7, 2, 2], [5, 1, 1], [3, 1, 1], [7, 1, 1], [1, 1, 1], [6, 1, 1], [3, 1, 1], [1, 1, 1], [4, 1, 1], [7, 1, 2],
  [11, 2, 3], [25, 4, 7], [7, 1, 2], [25, 4, 7], [7, 1, 1], [14, 3, 5], [25, 4, 7], [17, 3, 5], [5, 1, 1], [11, 2, 3],
  [5, 1, 1], [12, 2, 4], [7, 2, 2], [44, 6, 13], [4, 1, 1],
] as const);

/** Experimenter subsets. @example `'wehr'` */
export type AC1Experimenter = 'wehr' | 'asari';
/** Recording sites. @example `'MGB'` */
export type AC1Site = 'A1' | 'MGB';

/**
 * Options of {@link CRCNSAC1Dataset} (the reference's keyword arguments in camelCase, same defaults).
 * @example
 * ```ts
 * const o: CRCNSAC1DatasetOptions = { path: '/data/CRCNS_AC1', experimenter: 'asari', sites: ['MGB'] };
 * ```
 */
export interface CRCNSAC1DatasetOptions {
  /** Folder holding the three zips or their extracted folders (default: the cache folder `CRCNS_AC1`). */
  path?: string;
  /** `'wehr'`, `'asari'` or both (default both). */
  experimenter?: AC1Experimenter | readonly AC1Experimenter[];
  /** `'A1'`, `'MGB'` or both (default both). Wehr cells are all A1. */
  sites?: AC1Site | readonly AC1Site[];
  /** Response bin width in ms (default 5). */
  dtMs?: number;
  /** Lowest spectrogram frequency in Hz (default 100). */
  fmin?: number;
  /** Highest spectrogram frequency in Hz (default 45 000). */
  fmax?: number;
  /** Spectrogram bands per octave (default 6). */
  binsPerOctave?: number;
  /** Spectrogram window in ms (default `2·dtMs`). */
  windowMs?: number;
  /** Median-filter length of the detrending baseline, ms (default 100). */
  detrendMedMs?: number;
  /** Gaussian σ of the detrending baseline, ms (default 10). */
  detrendGaussMs?: number;
  /** Artefact thresholds (default {@link AC1_DEFAULT_GATING}). */
  gating?: Partial<RepeatGating>;
  /** Stimuli as `(1, T·hop)` waveforms at `audioFs` instead of `(1, F, T)` spectrograms. Default false. */
  returnWaveform?: boolean;
  /** Waveform rate in Hz (default 96 000); `audioFs·dtMs/1000` must be an integer. */
  audioFs?: number;
  /** Fetch missing archives first (needs the async factory and a CRCNS account). */
  download?: boolean;
  /** CRCNS user name (default `$CRCNS_USERNAME`). */
  username?: string;
  /** CRCNS password (default `$CRCNS_PASSWORD`). */
  password?: string;
  /** Receives the reference's warnings (unreadable trial files, unknown sequence indices, mixed signal types). Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/**
 * Options of {@link CRCNSAC1Dataset.load}: the dataset's own and the zoo's.
 * @example
 * ```ts
 * const o: CRCNSAC1LoadOptions = { source: new MemorySource(files), experimenter: 'wehr' };
 * ```
 */
export interface CRCNSAC1LoadOptions extends CRCNSAC1DatasetOptions, ZooLoadOptions, CrcnsServerOptions {}

interface Resolved {
  experimenters: AC1Experimenter[];
  sites: AC1Site[];
  dtMs: number;
  fmin: number;
  fmax: number;
  binsPerOctave: number;
  windowMs: number;
  detrendMedMs: number;
  detrendGaussMs: number;
  gating: RepeatGating;
  returnWaveform: boolean;
  audioFs: number;
  warn: (m: string) => void;
}

interface AC1Built {
  F: number;
  stims: Tensor<'float32'>[];
  stimMeta: Meta[];
  responses: Tensor[][];
  nrnMeta: Meta[];
  signalType: 'subthresh' | 'spikes' | 'mixed';
  rejectionCounter: RejectionCounter;
  droppedCellsEmpty: number;
}

const BUILT = Symbol('AC1 build');

/**
 * The CRCNS-AC1 dataset (Wehr and Asari intracellular recordings, rat A1 and MGB).
 * @example
 * ```ts
 * const ds = new CRCNSAC1Dataset({ path: '/data/CRCNS_AC1', experimenter: 'wehr' }); // Node, extracted folders
 * const mgb = await CRCNSAC1Dataset.load({ path: '/data/CRCNS_AC1', sites: 'MGB' });  // extracts the zips if needed
 * ```
 */
export class CRCNSAC1Dataset extends AudioNeuralDataset {
  /** Species of every cell. */
  readonly species = 'rat';
  /** `subthresh`, `spikes`, or `mixed` when both kinds of cells are loaded. */
  readonly signalType: 'subthresh' | 'spikes' | 'mixed';
  /** Spectrogram settings and pipeline parameters it was built with. */
  readonly fmin: number;
  readonly fmax: number;
  readonly binsPerOctave: number;
  readonly windowMs: number;
  readonly detrendMedMs: number;
  readonly detrendGaussMs: number;
  readonly gating: RepeatGating;
  readonly experimenters: readonly AC1Experimenter[];
  readonly sites: readonly AC1Site[];
  /** How many repeats the gating rejected, per reason, and kept. */
  readonly rejectionCounter: Readonly<RejectionCounter>;
  /** Cells left without any stimulus after gating (not added). */
  readonly droppedCellsEmpty: number;

  constructor(options: CRCNSAC1DatasetOptions = {}) {
    const path = options.path ?? defaultCacheDir('CRCNS_AC1');
    const o = resolveOptions(options);
    super(path, o.dtMs);
    const given = (options as { [BUILT]?: AC1Built })[BUILT];
    const b = given ?? zooBuildSync('CRCNSAC1Dataset', options, path, () => buildAC1(o));
    this.hearingRangeHz = [250, 76000];
    this.F = b.F;
    this.returnWaveform = o.returnWaveform;
    this.audioFs = o.returnWaveform ? o.audioFs : null;
    this.signalType = b.signalType;
    this.fmin = o.fmin;
    this.fmax = o.fmax;
    this.binsPerOctave = o.binsPerOctave;
    this.windowMs = o.windowMs;
    this.detrendMedMs = o.detrendMedMs;
    this.detrendGaussMs = o.detrendGaussMs;
    this.gating = o.gating;
    this.experimenters = o.experimenters;
    this.sites = o.sites;
    this.rejectionCounter = b.rejectionCounter;
    this.droppedCellsEmpty = b.droppedCellsEmpty;
    this.assignBuilt(b);
    this.validate();
  }

  /**
   * Builds the dataset asynchronously from `source` (any file source holding the extracted
   * folders) or from the folder `path`, first extracting any archive whose anchor is missing
   * (the reference's lazy extraction). Node and browsers.
   * @example
   * ```ts
   * const ds = await CRCNSAC1Dataset.load({ path: '/data/CRCNS_AC1', experimenter: 'asari' });
   * ```
   */
  static async load(options: CRCNSAC1LoadOptions = {}): Promise<CRCNSAC1Dataset> {
    const o = resolveOptions(options);
    const { source, download, onProgress: _p, mirror: _m, signal: _s, ...rest } = options;
    const path = options.path ?? (source ? source.root : defaultCacheDir('CRCNS_AC1'));
    if (download) {
      await downloadCrcnsArchives(path, AC1_DOWNLOAD, {
        username: options.username, password: options.password, signal: options.signal, onProgress: options.onProgress, ...options.crcnsServer,
      });
    }
    let src = source;
    if (!src) {
      const store = await platform.openWritableSource(path);
      await ensureExtracted(store);
      src = store;
    }
    const built = await runAsync(buildAC1(o), src);
    return new CRCNSAC1Dataset({ ...rest, path, [BUILT]: built } as CRCNSAC1DatasetOptions);
  }
}

/**
 * The reference's `ensure_extracted`: every archive whose anchor is missing is extracted into
 * its folder; a missing anchor without its zip is an error naming both.
 * @example
 * ```ts
 * await ensureExtracted(await platform.openWritableSource('/data/CRCNS_AC1'));
 * ```
 */
export async function ensureExtracted(store: WritableSource): Promise<void> {
  for (const a of AC1_ARCHIVES) {
    if (await store.stat(a.anchor)) continue;
    if (!(await store.stat(a.zip))) throw missingArchive(store.root, a);
    await extractArchive(store, a.zip, store, { kind: 'zip', into: a.folder });
    if (!(await store.stat(a.anchor))) throw new SourceFileError(store.root, a.zip, `extracted, but ${a.anchor} is not in it`);
  }
}

function missingArchive(root: string, a: (typeof AC1_ARCHIVES)[number]): SourceFileError {
  return new SourceFileError(root, a.anchor, `not found, and neither is ${fileLabel(root, a.zip)} (${NOT_FOUND_HINT})`);
}

const asList = <T extends string>(v: T | readonly T[] | undefined, all: readonly T[], what: string): T[] => {
  const list = v === undefined ? [...all] : typeof v === 'string' ? [v] : [...v];
  for (const x of list) if (!all.includes(x)) throw new ValueError(`CRCNSAC1Dataset: unknown ${what} ${JSON.stringify(x)} (expected ${all.join(' or ')})`);
  return list;
};

/** Option checks and defaults (before any read). */
function resolveOptions(o: CRCNSAC1DatasetOptions): Resolved {
  const dtMs = o.dtMs ?? 5;
  if (!(dtMs > 0)) throw new ValueError(`CRCNSAC1Dataset: dtMs must be positive, got ${dtMs}`);
  const returnWaveform = o.returnWaveform ?? false;
  const audioFs = o.audioFs ?? 96000;
  if (returnWaveform) {
    const ratio = (audioFs * dtMs) / 1000;
    if (!(Number.isInteger(ratio) && ratio > 0)) {
      throw new DatasetValidationError(`CRCNSAC1Dataset: audioFs ${audioFs} Hz × dtMs ${dtMs} / 1000 = ${ratio}, must be a positive integer number of samples`);
    }
  }
  return {
    experimenters: asList(o.experimenter, ['wehr', 'asari'], 'experimenter'),
    sites: asList(o.sites, ['A1', 'MGB'], 'site'),
    dtMs,
    fmin: o.fmin ?? 100,
    fmax: o.fmax ?? 45000,
    binsPerOctave: o.binsPerOctave ?? 6,
    windowMs: o.windowMs ?? 2 * dtMs,
    detrendMedMs: o.detrendMedMs ?? 100,
    detrendGaussMs: o.detrendGaussMs ?? 10,
    gating: { ...AC1_DEFAULT_GATING, ...o.gating },
    returnWaveform,
    audioFs,
    warn: o.onWarning ?? ((m) => console.warn(m)),
  };
}

/** One stimulus of one cell before gating: its raw repeats and, for registration, its stimulus. */
interface Group {
  key: string;
  traces: Float64Array[];
  sfResp: number;
  durationMs: number;
  stim: () => Build<{ wave: Float64Array; sf: number }>;
  meta: Meta;
}
interface Cell {
  meta: Meta;
  spikes: boolean;
  groups: Group[];
}

/** The build, shared by the constructor (sync, a folder) and `load` (any source). */
function* buildAC1(o: Resolved): Build<AC1Built> {
  const root = yield* fs.root();
  for (const a of AC1_ARCHIVES) {
    if (yield* fs.stat(a.anchor)) continue;
    if (!(yield* fs.stat(a.zip))) throw missingArchive(root, a);
    throw new SourceFileError(root, a.anchor, `not extracted yet: \`await CRCNSAC1Dataset.load({ path })\` extracts ${a.zip} (the synchronous constructor reads extracted folders only)`);
  }
  // Each cell is gated and binned as soon as it is read (its raw traces are dropped then); a
  // stimulus is registered (deduplicated by key) when a cell first keeps it, and its spectrogram
  // (or resampled waveform) computed then, to be cropped once every cell is known.
  const counter: RejectionCounter = { range: 0, step: 0, xcorr: 0, kept: 0 };
  const stimIndex = new Map<string, number>();
  const stimRecs: { prepared: Tensor<'float32'>; tSpec: number; durationMs: number; meta: Meta }[] = [];
  const kept: { meta: Meta; cells: Map<number, { R: number; T: number; data: Float32Array }> }[] = [];
  let dropped = 0;
  function* register(cell: Cell): Build<void> {
    const per = new Map<number, { R: number; T: number; data: Float32Array }>();
    for (const g of cell.groups) {
      let reps = gateRepeats(g.traces, g.sfResp, { medMs: o.detrendMedMs, gaussMs: o.detrendGaussMs, gating: o.gating }, counter);
      if (cell.spikes) reps = reps.map((x) => detectSpikesPsth(x, g.sfResp, o.detrendMedMs, o.detrendGaussMs));
      if (reps.length === 0) continue;
      const b = binRepeats(reps, g.sfResp, o.dtMs);
      if (!b) continue;
      let s = stimIndex.get(g.key);
      if (s === undefined) {
        s = stimRecs.length;
        stimIndex.set(g.key, s);
        stimRecs.push({ ...prepareStimulus(yield* g.stim(), o), durationMs: g.durationMs, meta: g.meta });
      }
      per.set(s, b);
    }
    if (per.size === 0) dropped++;
    else kept.push({ meta: cell.meta, cells: per });
  }
  if (o.experimenters.includes('wehr') && o.sites.includes('A1')) yield* wehrCells(o, register);
  if (o.experimenters.includes('asari')) yield* asariCells(o, register);

  // Per stimulus: T = min(duration, spectrogram frames, shortest response); stimuli and responses cropped to it.
  const F = logFrequencies(o.fmin, o.fmax, o.binsPerOctave).length;
  const hopOut = roundHalfEven((o.audioFs * o.dtMs) / 1000);
  const sentinel = missingCell(defaultHeap());
  const stims: Tensor<'float32'>[] = [];
  const responses: Tensor[][] = [];
  stimRecs.forEach((st, s) => {
    const tDur = roundHalfEven(st.durationMs / o.dtMs);
    const tResp = Math.min(...kept.filter((c) => c.cells.has(s)).map((c) => c.cells.get(s)!.T));
    const T = Math.min(...[tDur > 0 ? tDur : Infinity, st.tSpec, tResp].filter((t) => t > 0));
    if (o.returnWaveform) stims.push(cropOrPad(st.prepared, T * hopOut));
    else {
      const [Fs, frames] = st.prepared.shape;
      const out = new Float32Array(Fs * T);
      for (let f = 0; f < Fs; f++) out.set(st.prepared.data.subarray(f * frames, f * frames + T), f * T);
      stims.push(tensor('float32', [1, Fs, T], out));
    }
    responses.push(kept.map((c) => {
      const r = c.cells.get(s);
      if (!r) return sentinel;
      const out = new Float32Array(r.R * T);
      for (let i = 0; i < r.R; i++) out.set(r.data.subarray(i * r.T, i * r.T + T), i * T);
      return tensor('float32', [r.R, T], out);
    }));
  });
  const types = [...new Set(kept.map((c) => c.meta.signalType as 'subthresh' | 'spikes'))];
  if (types.length > 1) o.warn(`CRCNSAC1Dataset: cells of both signal types are loaded (subthresh and spikes); signalType is 'mixed'`);
  return {
    F, stims, stimMeta: stimRecs.map((r) => r.meta), responses, nrnMeta: kept.map((c) => c.meta),
    signalType: types.length === 1 ? types[0] : 'mixed', rejectionCounter: counter, droppedCellsEmpty: dropped,
  };
}

/**
 * A stimulus at registration: its frame count at the native rate (`ceil(len / round(dt·sf/1000))`)
 * and its full log-frequency spectrogram `(F, frames)`, or in waveform mode the waveform
 * resampled from `round(sf)` to `audioFs` as `(1, samples)` (both cropped to T later).
 */
function prepareStimulus(st: { wave: Float64Array; sf: number }, o: Resolved): { prepared: Tensor<'float32'>; tSpec: number } {
  const hopNative = Math.max(roundHalfEven((o.dtMs * st.sf) / 1000), 1);
  const tSpec = Math.ceil(st.wave.length / hopNative);
  const wave32 = Float32Array.from(st.wave);
  const prepared = o.returnWaveform
    ? prepareWaveform(wave32, { fromFs: roundHalfEven(st.sf), toFs: o.audioFs, kernelDtype: 'float32' })
    : logFrequencySpectrogram(wave32, { sampleRate: st.sf, dtMs: o.dtMs, windowMs: o.windowMs, fMin: o.fmin, fMax: o.fmax, binsPerOctave: o.binsPerOctave }).spec;
  return { prepared, tSpec };
}

// ---------------------------------------------------------------------------------------------
// MAT access (the reference's scipy.io.loadmat(squeeze_me=False, struct_as_record=False) view).

/** Element 0 of a struct (array), or undefined. */
const first = (v: MatValue | undefined): Record<string, MatValue> | undefined => (v?.kind === 'struct' ? v.elements[0] : undefined);
const text = (v: MatValue | undefined, what: string): string => {
  if (v?.kind !== 'char') throw new ValueError(`${what} is ${v ? `a ${v.kind}` : 'missing'}, expected text`);
  return v.text;
};
const number = (v: MatValue | undefined, what: string): number => {
  if ((v?.kind !== 'numeric' && v?.kind !== 'logical') || v.data.length < 1) throw new ValueError(`${what} is ${v ? `a ${v.kind}` : 'missing'}, expected a number`);
  return Number(v.data[0]);
};
const numbers = (v: MatValue | undefined, what: string): Float64Array => {
  if (v?.kind !== 'numeric' && v?.kind !== 'logical') throw new ValueError(`${what} is ${v ? `a ${v.kind}` : 'missing'}, expected a numeric array`);
  const d = v.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Float64Array.from(d, Number);
  const out = new Float64Array(d.length);
  out.set(d);
  return out;
};

/** `response.trace × scale` sliced as Python `trace[time−1 : time−1+round(duration·sf/1000)]` (only the window is converted). */
function sliceResponse(resp: Record<string, MatValue> | undefined, time: number, durationMs: number, what: string): { x: Float64Array; sf: number } {
  if (!resp) throw new ValueError(`${what}: response is missing or not a struct`);
  const trace = resp.trace;
  if (trace?.kind !== 'numeric' && trace?.kind !== 'logical') throw new ValueError(`${what}: response.trace is ${trace ? `a ${trace.kind}` : 'missing'}, expected a numeric array`);
  const data = trace.data;
  const scale = number(resp.scale, `${what}: response.scale`);
  const sf = number(resp.sf, `${what}: response.sf`);
  const n = data.length;
  const py = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  const start = Math.trunc(time) - 1;
  const from = py(start), to = py(start + roundHalfEven((durationMs * sf) / 1000));
  const x = new Float64Array(Math.max(0, to - from));
  for (let i = 0; i < x.length; i++) x[i] = Number(data[from + i]) * scale;
  return { x, sf };
}

function* listKind(dir: string, kind: ListEntry['kind']): Build<string[]> {
  const info = yield* fs.stat(dir);
  if (info?.kind !== 'directory') return [];
  return (yield* fs.list(dir)).filter((e) => e.kind === kind).map((e) => e.name).sort(byCodePoint);
}
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Wehr.

interface WehrStim { sub: string; idx: number; path: string; description: string }

/**
 * `description → stimulus` over `Stimuli/{fragments,category1,category2,category3}/<int>.mat`; the
 * first file wins. Only the descriptions are decoded here (`samples` skipped): a stimulus's
 * waveform is read when a cell first keeps it ({@link wehrWave}), so unused stimuli cost no memory.
 */
function* wehrStimulusIndex(root: string): Build<Map<string, WehrStim>> {
  const index = new Map<string, WehrStim>();
  for (const sub of WEHR_STIM_SUBFOLDERS) {
    const dir = `${WEHR_DIR}/Stimuli/${sub}`;
    const files = (yield* listKind(dir, 'file'))
      .filter((f) => /^[+-]?\d+\.mat$/.test(f))
      .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    for (const f of files) {
      const path = `${dir}/${f}`;
      const bytes = yield* fs.read(path);
      const description = parsing(root, path, () => {
        const stim = first(readMat(bytes, fileLabel(root, path), { variables: ['stimulus'], skipFields: ['samples'], onWarning: () => {} }).stimulus);
        if (!stim) throw new ValueError('variable stimulus is missing or not a struct');
        return text(first(stim.param)?.description, 'stimulus.param.description');
      });
      if (!index.has(description)) index.set(description, { sub, idx: parseInt(f, 10), path, description });
    }
  }
  return index;
}

/** A Wehr stimulus file's `stimulus.samples` and `stimulus.param.sf`. */
function* wehrWave(root: string, path: string): Build<{ wave: Float64Array; sf: number }> {
  const bytes = yield* fs.read(path);
  return parsing(root, path, () => {
    const stim = first(readMat(bytes, fileLabel(root, path), { variables: ['stimulus'], onWarning: () => {} }).stimulus);
    if (!stim) throw new ValueError('variable stimulus is missing or not a struct');
    return { wave: numbers(stim.samples, 'stimulus.samples'), sf: number(first(stim.param)?.sf, 'stimulus.param.sf') };
  });
}

function* wehrCells(o: Resolved, register: (cell: Cell) => Build<void>): Build<void> {
  const root = yield* fs.root();
  const index = yield* wehrStimulusIndex(root);
  const sessions = (yield* listKind(`${WEHR_DIR}/Results`, 'directory')).filter((s) => /^\d{4}/.test(s) && s.split('-').length === 3);
  for (let ci = 0; ci < sessions.length; ci++) {
    const session = sessions[ci];
    const dir = `${WEHR_DIR}/Results/${session}`;
    const groups = new Map<string, Group>();
    for (const f of (yield* listKind(dir, 'file')).filter((n) => n.endsWith('.mat'))) {
      const path = `${dir}/${f}`;
      const bytes = yield* fs.read(path);
      let trial: { desc: string; stim: WehrStim; x: Float64Array; sf: number; durationMs: number } | null;
      try {
        const vars = readMat(bytes, fileLabel(root, path), { variables: ['triggers', 'response'], onWarning: () => {} });
        const trig = first(vars.triggers);
        if (!trig) throw new ValueError('triggers is missing or empty');
        const type = text(trig.type, 'triggers(1).type').trim().toLowerCase();
        const param = first(trig.param);
        const desc = param?.description?.kind === 'char' ? param.description.text : '';
        const stim = index.get(desc);
        if (!WEHR_TRIGGER_TYPES.has(type) || !stim) trial = null;
        else {
          const durationMs = number(param!.duration, 'triggers(1).param.duration');
          const r = sliceResponse(first(vars.response), number(trig.time, 'triggers(1).time'), durationMs, fileLabel(root, path));
          trial = { desc, stim, x: r.x, sf: r.sf, durationMs };
        }
      } catch (e) {
        o.warn(`CRCNSAC1Dataset: skipped ${fileLabel(root, path)}: ${(e as Error).message}`);
        continue;
      }
      if (!trial) continue;
      const g = groups.get(trial.desc);
      if (g) {
        g.traces.push(trial.x);
        continue;
      }
      const st = trial.stim;
      groups.set(trial.desc, {
        key: JSON.stringify(['wehr', st.sub, st.idx]), traces: [trial.x], sfResp: trial.sf, durationMs: trial.durationMs,
        stim: () => wehrWave(root, st.path),
        meta: { experimenter: 'wehr', category: st.sub, idx: st.idx, description: st.description, durationS: trial.durationMs / 1000 },
      });
    }
    if (groups.size === 0) continue;
    const [date, , penetration] = session.split('-');
    yield* register({
      spikes: false,
      groups: [...groups.values()],
      meta: {
        experimenter: 'wehr', session, animalId: 'mw', penetration: parseInt(penetration, 10), date, site: 'A1',
        recordingType: 'whole-cell', species: 'rat', signalType: 'subthresh', wehrCellIdx: ci,
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Asari.

/** `class<N>` of a segment path written with `/`, else null. */
const classOf = (p: string): number | null => {
  const m = /^class(\d+)\//.exec(p);
  return m ? parseInt(m[1], 10) : null;
};

/** A segment file's waveform with the 5 ms sin² fade-in and fade-out, and its rate. */
function* loadSegment(root: string, raw: string, cache: Map<string, { wave: Float64Array; sf: number }>): Build<{ wave: Float64Array; sf: number }> {
  const hit = cache.get(raw);
  if (hit) return hit;
  const path = `${ASARI_STIM_DIR}/${raw.replace(/\\/g, '/')}`;
  const bytes = yield* fs.read(path);
  const seg = parsing(root, path, () => {
    const stim = first(readMat(bytes, fileLabel(root, path), { variables: ['stimulus'], onWarning: () => {} }).stimulus);
    if (!stim) throw new ValueError('variable stimulus is missing or not a struct');
    const wave = numbers(stim.sample ?? stim.samples, 'stimulus.sample');
    const sf = number(first(stim.param)?.sf, 'stimulus.param.sf');
    return { wave: applyRamp(wave, sf), sf };
  });
  cache.set(raw, seg);
  return seg;
}

/**
 * The reference's `apply_ramp`: sin² fade-in and fade-out of `n = round(5·sf/1000)` samples
 * (at most half the segment), ramp(k) = sin²(π/2 · k/n), k = 0 … n−1. Returns a new array.
 * @example
 * ```ts
 * applyRamp(new Float64Array(100).fill(1), 1000); // 5-sample ramps: [0, 0.095…, 0.345…, 0.654…, 0.904…, 1, …]
 * ```
 */
export function applyRamp(x: Float64Array, sf: number): Float64Array {
  const out = Float64Array.from(x);
  const n = Math.min(roundHalfEven((RAMP_MS * sf) / 1000), Math.floor(x.length / 2));
  for (let k = 0; k < n; k++) {
    const r = Math.sin(((Math.PI / 2) * k) / n) ** 2;
    out[k] *= r;
    out[x.length - 1 - k] *= r;
  }
  return out;
}

function* asariCells(o: Resolved, register: (cell: Cell) => Build<void>): Build<void> {
  const root = yield* fs.root();
  const segments = new Map<string, { wave: Float64Array; sf: number }>();
  for (const base of ASARI_ROOTS) {
    const sessions = (yield* listKind(base, 'directory')).filter((s) => {
      const parts = s.split('-');
      return parts.length >= 3 && /^\d+$/.test(parts[0]);
    });
    for (const session of sessions) {
      const dir = `${base}/${session}`;
      let site: string | null = null;
      let recType: string | null = null;
      const groups = new Map<string, Group & { paths: string[] }>();
      for (const f of (yield* listKind(dir, 'file')).filter((n) => n.endsWith('.mat'))) {
        const path = `${dir}/${f}`;
        const label = fileLabel(root, path);
        const bytes = yield* fs.read(path);
        let vars: Record<string, MatValue>;
        try {
          vars = readMat(bytes, label, { variables: ['param', 'triggers', 'response'], onWarning: () => {} });
        } catch (e) {
          o.warn(`CRCNSAC1Dataset: skipped ${label}: ${(e as Error).message}`);
          continue;
        }
        const param = first(vars.param);
        const stimulus = param?.stimulus;
        if (!param || stimulus?.kind !== 'struct' || stimulus.elements.length === 0) continue;
        const map = parsing(root, path, () => stimulus.elements.map((e, i) => text(e.file, `param.stimulus(${i + 1}).file`)));
        const rec = first(param.recording);
        if (site === null && rec) {
          site = parsing(root, path, () => text(rec.site, 'param.recording.site'));
          recType = parsing(root, path, () => text(rec.type, 'param.recording.type'));
        }
        const triggers = vars.triggers?.kind === 'struct' ? (vars.triggers as MatStruct).elements : [];
        triggers.forEach((trig, k) => {
          const type = trig.type?.kind === 'char' ? trig.type.text.trim().toLowerCase() : '';
          const tp = first(trig.param);
          const desc = tp?.description?.kind === 'char' ? tp.description.text : '';
          const m = SEQUENCE.exec(desc);
          if (!ASARI_TRIGGER_TYPES.has(type) || !m) return;
          const idx = m[2].trim().split(/\s+/).map((d) => parseInt(d, 10));
          const bad = idx.find((i) => !(i >= 1 && i <= map.length));
          if (bad !== undefined) {
            o.warn(`CRCNSAC1Dataset: ${label}: triggers(${k + 1}) '${desc}' uses segment ${bad}, not in param.stimulus (1..${map.length}); trigger skipped`);
            return;
          }
          const paths = idx.map((i) => map[i - 1]);
          const durationMs = parsing(root, path, () => number(tp!.duration, `triggers(${k + 1}).param.duration`));
          const r = parsing(root, path, () => sliceResponse(first(vars.response), number(trig.time, `triggers(${k + 1}).time`), durationMs, label));
          const key = JSON.stringify(['asari', ...paths]);
          const g = groups.get(key);
          if (g) {
            g.traces.push(r.x);
            return;
          }
          const classes = paths.map(classOf);
          const category = classes[0] !== null && classes.every((c) => c === classes[0]) ? `class${classes[0]}` : 'mixed';
          groups.set(key, {
            key, paths, traces: [r.x], sfResp: r.sf, durationMs,
            stim: () => asariStimulus(root, paths, segments),
            meta: {
              experimenter: 'asari', category, classN: classes[0], segments: idx, segmentFiles: paths, sequence: parseInt(m[1], 10),
              description: `Sequence ${parseInt(m[1], 10)}: ${idx.join(' ')}`, durationS: durationMs / 1000,
            },
          });
        });
      }
      const siteLabel: AC1Site | null = site === null ? null : site.toLowerCase().includes('cortex') ? 'A1' : 'MGB';
      if (siteLabel === null || !o.sites.includes(siteLabel) || groups.size === 0) continue;
      const parts = session.split('-');
      const recordingType = (recType ?? '').toLowerCase().replace(/ /g, '-');
      const spikes = recordingType.includes('attached');
      yield* register({
        spikes,
        groups: [...groups.values()],
        meta: {
          experimenter: 'asari', session, animalId: parts[1], penetration: /^\d+$/.test(parts[2]) ? parseInt(parts[2], 10) : parts[2],
          date: parts[0], site: siteLabel, recordingType, species: 'rat', signalType: spikes ? 'spikes' : 'subthresh',
        },
      });
    }
  }
}

/** The concatenated ramped segments of a sequence; rates more than 1 Hz apart are refused. */
function* asariStimulus(root: string, paths: string[], cache: Map<string, { wave: Float64Array; sf: number }>): Build<{ wave: Float64Array; sf: number }> {
  const segs: { wave: Float64Array; sf: number }[] = [];
  for (const p of paths) segs.push(yield* loadSegment(root, p, cache));
  const sf = segs[0].sf;
  const odd = segs.findIndex((s) => Math.abs(s.sf - sf) > 1);
  if (odd >= 0) {
    throw new ValueError(`CRCNSAC1Dataset: sequence [${paths.join(', ')}] mixes sampling rates (${paths[0]}: ${sf} Hz, ${paths[odd]}: ${segs[odd].sf} Hz)`);
  }
  const wave = new Float64Array(segs.reduce((a, s) => a + s.wave.length, 0));
  let at = 0;
  for (const s of segs) {
    wave.set(s.wave, at);
    at += s.wave.length;
  }
  return { wave, sf };
}
