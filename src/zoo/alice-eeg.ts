/**
 * `AliceEEGDataset`: 33 subjects of 61-channel scalp EEG listening to the first chapter of
 * *Alice in Wonderland* in 12 segments (Bhattasali et al. 2020; Brennan 2019; the UMd DRUM
 * restructure of Brodbeck et al. 2023), from one MNE raw FIFF file per subject sharded over
 * `eeg.0..2` and 12 WAV segments (docs/zoo/alice-eeg.md).
 *
 * Per subject: EEG channels (bads kept), MNE's default FIR filter (1 Hz high-pass by default),
 * MNE's FFT resampling to 1000/dt Hz, volts; bad channels and `BAD*` annotation windows become
 * NaN; segment k starts at round(onset_k · fs) and spans the stimulus's T bins. Stimuli are
 * Gaussian ERB-rate spectrograms (default) or gammatone-grams, or waveforms at 44.1 kHz.
 * @module
 */
import { platform } from '#platform';
import { zooBuildSync } from './zoo-build.js';
import { DatasetValidationError, FormatError, ValueError } from '../errors.js';
import { tensor, type Tensor } from '../tensor.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { FIFF, mneAnnotationOnsets, readFiffRaw } from '../io/fiff.js';
import { decodeWav } from '../audio/wav.js';
import { resample } from '../audio/resample.js';
import { cropOrPad } from '../audio/waveform.js';
import { gammatonegram } from '../spectral/gammatone.js';
import { gaussianErbSpectrogram } from '../signal/gaussian-erb.js';
import { mneFilter, mneResample } from '../signal/mne.js';
import { roundHalfEven } from '../util/round.js';
import { fileLabel, fs, parsing, runAsync, type Build } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import { downloadDataset } from '../download/download.js';
import type { DatasetManifest } from '../download/manifest.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';

/** Cache folder name. @example `defaultCacheDir(ALICE_EEG_CACHE)` */
export const ALICE_EEG_CACHE = 'Alice_EEG';
/** The EEG shards, in override order (a later shard wins). @example `ALICE_EEG_SHARDS[0] // 'eeg.0'` */
export const ALICE_EEG_SHARDS: readonly string[] = ['eeg.0', 'eeg.1', 'eeg.2'];
/** Number of audiobook segments. @example `ds.stims.length === ALICE_EEG_SEGMENTS` */
export const ALICE_EEG_SEGMENTS = 12;
/**
 * DRUM bitstream UUIDs of the release's four zips (handle 1903/27591).
 * @example `aliceEegManifest().files.map((f) => f.path)`
 */
export const ALICE_EEG_BITSTREAMS: Readonly<Record<string, string>> = Object.freeze({
  'eeg.0.zip': '264ca110-f7f4-4fd5-9b00-896102b841ad',
  'eeg.1.zip': 'bef532d8-cf74-4b9d-9b4c-5c1f81610ce9',
  'eeg.2.zip': '25fc51ae-d1fa-4094-85af-65dd4cf30251',
  'stimuli.zip': 'df241468-26ee-42df-b27f-3f438cfc5a3f',
});

/** Options of {@link AliceEEGDataset}: the reference's keyword arguments, camelCase, same defaults. @example `{ subjects: ['S01'], treatSubjectsAs: 'repeats', hpFreqHz: 0.5 }` */
export interface AliceEEGOptions {
  /** The release folder holding `eeg.0..2/` and `stimuli/` (default: the cache folder `Alice_EEG`). */
  path?: string;
  /** Subject names (`'S01'`, …); default all discovered, sorted. */
  subjects?: readonly string[] | null;
  /** Bin width in ms (default 10): EEG resampled to 1000/dt Hz. */
  dtMs?: number;
  /** Spectrogram bands (default 8). */
  nFrequencyBands?: number;
  /** `'neurons'` (default: one neuron per subject × channel) or `'repeats'` (one per channel, subjects as repeats). */
  treatSubjectsAs?: 'neurons' | 'repeats';
  /** High-pass cut-off in Hz, null for none (default 1). */
  hpFreqHz?: number | null;
  /** Low-pass cut-off in Hz, null for none (default null). */
  lpFreqHz?: number | null;
  /** Spectrogram window in ms (default null: nFft 1024 for 'gaussian', 25 ms for 'heeris'). */
  windowMs?: number | null;
  /** Lowest band centre in Hz (default 80). */
  fmin?: number;
  /** Highest band centre in Hz (default: Nyquist). */
  fmax?: number | null;
  /** `'gaussian'` (default) or `'heeris'` (gammatone-gram). */
  specBackend?: 'gaussian' | 'heeris';
  /** Stimuli as waveforms at `audioFs` (default false). */
  returnWaveform?: boolean;
  /** Waveform rate (default 44 100). */
  audioFs?: number;
  /** Fetch the release first (only with `AliceEEGDataset.load`). */
  download?: boolean;
}

interface Resolved {
  subjects: readonly string[] | null;
  dtMs: number;
  F: number;
  treat: 'neurons' | 'repeats';
  hp: number | null;
  lp: number | null;
  windowMs: number | null;
  fmin: number;
  fmax: number | null;
  backend: 'gaussian' | 'heeris';
  returnWaveform: boolean;
  audioFs: number;
}

type Meta = Record<string, unknown>;

interface AliceBuilt {
  stims: Tensor[];
  stimMeta: Meta[];
  nrnMeta: Meta[];
  responses: Tensor<'float32'>[][];
  subjects: string[];
}

const BUILT = Symbol('built');

function resolve(o: AliceEEGOptions): Resolved {
  const treat = o.treatSubjectsAs ?? 'neurons';
  if (treat !== 'neurons' && treat !== 'repeats') throw new ValueError(`AliceEEGDataset: treatSubjectsAs must be 'neurons' or 'repeats', got '${String(treat)}'`);
  const backend = o.specBackend ?? 'gaussian';
  if (backend !== 'gaussian' && backend !== 'heeris') throw new ValueError(`AliceEEGDataset: specBackend must be 'gaussian' or 'heeris', got '${String(backend)}'`);
  const dtMs = o.dtMs ?? 10;
  if (!(dtMs > 0)) throw new ValueError(`AliceEEGDataset: dtMs must be positive, got ${dtMs}`);
  const F = o.nFrequencyBands ?? 8;
  if (!Number.isInteger(F) || F < 1) throw new ValueError(`AliceEEGDataset: nFrequencyBands must be a positive integer, got ${F}`);
  return {
    subjects: o.subjects ?? null, dtMs, F, treat, backend,
    hp: o.hpFreqHz === undefined ? 1 : o.hpFreqHz, lp: o.lpFreqHz ?? null, windowMs: o.windowMs ?? null,
    fmin: o.fmin ?? 80, fmax: o.fmax ?? null, returnWaveform: o.returnWaveform ?? false, audioFs: o.audioFs ?? 44100,
  };
}

/** Subject → FIFF path, over the shards in order (a later shard overrides an earlier one). */
function* discoverSubjects(): Build<Map<string, string>> {
  const found = new Map<string, string>();
  for (const shard of ALICE_EEG_SHARDS) {
    if ((yield* fs.stat(`${shard}/eeg`))?.kind !== 'directory') continue;
    const dirs = (yield* fs.list(`${shard}/eeg`)).filter((e) => e.kind === 'directory').map((e) => e.name).sort();
    for (const s of dirs) {
      const rel = `${shard}/eeg/${s}/${s}_alice-raw.fif`;
      if ((yield* fs.stat(rel))?.kind === 'file') found.set(s, rel);
    }
  }
  return found;
}

/** One subject's EEG segments (channels × T_s per stimulus) and channel info. */
interface SubjectEeg { names: string[]; xyz: ([number, number, number] | null)[]; segments: Float32Array[] }

function subjectEeg(bytes: Uint8Array, file: string, o: Resolved, T: number[]): SubjectEeg {
  const raw = readFiffRaw(bytes, file, { picks: (c) => c.kind === FIFF.CH_EEG });
  const C = raw.picks.length;
  const names = raw.picks.map((i) => raw.channels[i].name);
  const montage = raw.dig.length > 0;
  const xyz = raw.picks.map((i): [number, number, number] | null => (montage ? [raw.channels[i].loc[0], raw.channels[i].loc[1], raw.channels[i].loc[2]] : null));
  const onsetsAll = mneAnnotationOnsets(raw);
  const desc = raw.annotations?.description ?? [];
  const seg: Array<[number, number]> = [];
  desc.forEach((d, i) => {
    if (/^\d+$/.test(d) && Number(d) >= 1 && Number(d) <= ALICE_EEG_SEGMENTS) seg.push([Number(d), onsetsAll[i]]);
  });
  seg.sort((a, b) => a[0] - b[0]);
  if (seg.length !== ALICE_EEG_SEGMENTS) throw new FormatError(file, `expected ${ALICE_EEG_SEGMENTS} segment-onset annotations ('1' … '12'), found ${seg.length}`);
  let data = raw.data, n = raw.nSamples;
  if (o.hp !== null || o.lp !== null) mneFilter(data, C, n, raw.sfreq, o.hp, o.lp);
  const fsNew = 1000 / o.dtMs;
  if (fsNew !== raw.sfreq) ({ data, n } = mneResample(data, C, n, raw.sfreq, fsNew));
  const bads = new Set(raw.bads);
  names.forEach((name, c) => { if (bads.has(name)) data.fill(Number.NaN, c * n, (c + 1) * n); });
  desc.forEach((d, i) => {
    if (!d.toLowerCase().startsWith('bad')) return;
    const dur = Math.max(raw.annotations!.duration[i], 0);
    const a = Math.max(roundHalfEven(onsetsAll[i] * fsNew), 0), b = Math.min(Math.max(roundHalfEven((onsetsAll[i] + dur) * fsNew), 0), n);
    for (let c = 0; c < C; c++) data.fill(Number.NaN, c * n + a, c * n + Math.max(a, b));
  });
  const segments = seg.map(([, onset], k) => {
    const start = roundHalfEven(onset * fsNew), len = T[k];
    const out = new Float32Array(C * len).fill(Number.NaN);
    for (let c = 0; c < C; c++) {
      for (let t = Math.max(0, -start); t < len && start + t < n; t++) out[c * len + t] = data[c * n + start + t];
    }
    return out;
  });
  return { names, xyz, segments };
}

function stimSpectrogram(wave: Float32Array, sr: number, o: Resolved): Tensor<'float32'> {
  if (o.backend === 'gaussian') {
    return gaussianErbSpectrogram(wave, { sampleRate: sr, dtMs: o.dtMs, nBands: o.F, windowMs: o.windowMs, fMin: o.fmin, fMax: o.fmax });
  }
  const { spec } = gammatonegram(wave, { sampleRate: sr, windowMs: o.windowMs ?? 25, hopMs: o.dtMs, channels: o.F, fMin: o.fmin, fMax: o.fmax ?? sr / 2 });
  for (let i = 0; i < spec.data.length; i++) spec.data[i] = Math.log(spec.data[i] + 1e-8);
  return spec;
}

const allNaN = (a: Float32Array) => a.every(Number.isNaN);
const sentinel = () => tensor('float32', [1, 1], Float32Array.of(Number.NaN));

function* buildAlice(o: Resolved): Build<AliceBuilt> {
  const root = yield* fs.root();
  const at = (rel: string) => fileLabel(root, rel);
  const eegOf = (rel: string, bytes: Uint8Array, T: number[]) => parsing(root, rel, () => subjectEeg(bytes, at(rel), o, T));
  const found = yield* discoverSubjects();
  const all = [...found.keys()].sort();
  if (all.length === 0) throw new DatasetValidationError(`AliceEEGDataset: no subject under ${at('eeg.{0,1,2}/eeg/')}; download the release with \`await AliceEEGDataset.load({ download: true })\``);
  const missing = (o.subjects ?? []).filter((s) => !found.has(s));
  if (missing.length) throw new DatasetValidationError(`AliceEEGDataset: subjects ${missing.join(', ')} not found; available: ${all.join(', ')}`);
  const subjects = o.subjects ? [...o.subjects] : all;

  // Stimuli first: their lengths drive the EEG segmentation.
  const wavs = (yield* fs.stat('stimuli'))?.kind === 'directory' ? (yield* fs.list('stimuli')).filter((e) => e.kind === 'file' && e.name.endsWith('.wav')).map((e) => e.name) : [];
  const bad = wavs.find((w) => !/^\d+$/.test(w.slice(0, -4)));
  if (bad) throw new DatasetValidationError(`AliceEEGDataset: ${at(`stimuli/${bad}`)}: every stimulus WAV must have an integer name`);
  if (wavs.length !== ALICE_EEG_SEGMENTS) throw new DatasetValidationError(`AliceEEGDataset: expected ${ALICE_EEG_SEGMENTS} WAV files in ${at('stimuli')}, found ${wavs.length}`);
  wavs.sort((a, b) => Number(a.slice(0, -4)) - Number(b.slice(0, -4)));
  const stims: Tensor[] = [];
  const stimMeta: Meta[] = [];
  const T: number[] = [];
  for (const w of wavs) {
    const bytes = yield* fs.read(`stimuli/${w}`);
    const wav = parsing(root, `stimuli/${w}`, () => decodeWav(bytes, { name: at(`stimuli/${w}`) }));
    const C = wav.data.shape[0], N = wav.data.shape[1];
    const mono = new Float32Array(N);
    for (let c = 0; c < C; c++) for (let i = 0; i < N; i++) mono[i] += wav.data.data[c * N + i];
    if (C > 1) for (let i = 0; i < N; i++) mono[i] /= C;
    const spec = stimSpectrogram(mono, wav.sampleRate, o);
    const Ts = spec.shape[1];
    T.push(Ts);
    if (o.returnWaveform) {
      const hop = roundHalfEven((o.audioFs * o.dtMs) / 1000);
      const x = wav.sampleRate === o.audioFs ? mono : resample(mono, wav.sampleRate, o.audioFs, { kernelDtype: 'float32' });
      stims.push(tensor('float32', [1, Ts * hop], cropOrPad(x, Ts * hop)));
    } else {
      stims.push(tensor('float32', [1, o.F, Ts], spec.data));
    }
    stimMeta.push({ name: w, type: 'alice_chapter1', sampleRate: wav.sampleRate, nSamples: N, durationS: N / wav.sampleRate });
  }

  const S = wavs.length;
  const responses: Tensor<'float32'>[][] = Array.from({ length: S }, () => []);
  const nrnMeta: Meta[] = [];
  if (o.treat === 'neurons') {
    for (const s of subjects) {
      const rel = found.get(s)!;
      const eeg = eegOf(rel, yield* fs.read(rel), T);
      eeg.names.forEach((name, c) => {
        nrnMeta.push({ channelId: name, subject: s, area: 'EEG', xyz: eeg.xyz[c] });
        for (let k = 0; k < S; k++) {
          const row = eeg.segments[k].slice(c * T[k], (c + 1) * T[k]);
          responses[k].push(allNaN(row) ? sentinel() : tensor('float32', [1, T[k]], row));
        }
      });
    }
  } else {
    // One pass per subject: keep each subject's segments, then stack per canonical channel.
    const per: SubjectEeg[] = [];
    const channels: string[] = [];
    const xyz = new Map<string, [number, number, number] | null>();
    for (const s of subjects) {
      const rel = found.get(s)!;
      const eeg = eegOf(rel, yield* fs.read(rel), T);
      per.push(eeg);
      eeg.names.forEach((n, c) => { if (!xyz.has(n)) { channels.push(n); xyz.set(n, eeg.xyz[c]); } });
    }
    const R = subjects.length;
    for (const name of channels) {
      nrnMeta.push({ channelId: name, subject: null, area: 'EEG', xyz: xyz.get(name) ?? null });
      for (let k = 0; k < S; k++) {
        const slab = new Float32Array(R * T[k]).fill(Number.NaN);
        per.forEach((eeg, r) => {
          const c = eeg.names.indexOf(name);
          if (c >= 0) slab.set(eeg.segments[k].subarray(c * T[k], (c + 1) * T[k]), r * T[k]);
        });
        responses[k].push(allNaN(slab) ? sentinel() : tensor('float32', [R, T[k]], slab));
      }
    }
  }
  return { stims, stimMeta, nrnMeta, responses, subjects };
}

/**
 * The Alice EEG dataset (continuous voltages in volts, not spike counts).
 * @example
 * ```ts
 * const ds = new AliceEEGDataset({ path: '/data/Alice_EEG', subjects: ['S01'] }); // N = 61 channels
 * const byChannel = await AliceEEGDataset.load({ download: true, treatSubjectsAs: 'repeats' });
 * ```
 */
export class AliceEEGDataset extends AudioNeuralDataset {
  /** Species of the release. */
  readonly species = 'human';
  /** Behavioural state during recording. */
  readonly behavioralState = 'passive-listening';
  readonly subjects: readonly string[];
  readonly treatSubjectsAs: 'neurons' | 'repeats';
  readonly specBackend: 'gaussian' | 'heeris';
  readonly hpFreqHz: number | null;
  readonly lpFreqHz: number | null;

  constructor(options: AliceEEGOptions & { [BUILT]?: AliceBuilt } = {}) {
    const path = options.path ?? defaultCacheDir(ALICE_EEG_CACHE);
    const o = resolve(options);
    super(path, o.dtMs);
    const b = options[BUILT] ?? zooBuildSync('AliceEEGDataset', options, path, () => buildAlice(o));
    this.subjects = b.subjects;
    this.treatSubjectsAs = o.treat;
    this.specBackend = o.backend;
    this.hpFreqHz = o.hp;
    this.lpFreqHz = o.lp;
    this.F = o.F;
    this.hearingRangeHz = [20, 20000];
    this.returnWaveform = o.returnWaveform;
    this.audioFs = o.returnWaveform ? o.audioFs : null;
    this.assignBuilt(b);
    this.validate();
  }

  /**
   * Builds the dataset from any file source (Node or browser); `download: true` fetches and
   * unpacks the four DRUM zips into the cache first.
   * @example
   * ```ts
   * const ds = await AliceEEGDataset.load({ source: myFolderSource, subjects: ['S01', 'S03'] });
   * ```
   */
  static async load(options: AliceEEGOptions & ZooLoadOptions = {}): Promise<AliceEEGDataset> {
    const o = resolve(options);
    const { source, download, onProgress, mirror, signal, ...rest } = options;
    if (download && source) throw new ValueError('AliceEEGDataset.load: download: true fills the cache folder `path`; it cannot be combined with `source`');
    const path = options.path ?? (source ? source.root : defaultCacheDir(ALICE_EEG_CACHE));
    if (download) await downloadDataset(aliceEegManifest({ mirror }), { root: path, onProgress, signal });
    const b = await runAsync(buildAlice(o), source ?? (await platform.openWritableSource(path)));
    return new AliceEEGDataset({ ...rest, path, [BUILT]: b });
  }
}

/**
 * The DRUM download: four zips (`https://drum.lib.umd.edu/bitstreams/<uuid>/download`), each
 * EEG shard unpacked into its own folder, the stimuli into the release folder. `mirror`
 * replaces the DRUM base and serves `<mirror>/<zip name>`.
 * @example
 * ```ts
 * aliceEegManifest().files[3].extractTo; // ''
 * ```
 */
export function aliceEegManifest(options: { mirror?: string } = {}): DatasetManifest {
  const base = options.mirror?.replace(/\/+$/, '');
  return {
    name: ALICE_EEG_CACHE,
    files: Object.entries(ALICE_EEG_BITSTREAMS).map(([zip, uuid]) => {
      const shard = zip.slice(0, -4);
      const stimuli = shard === 'stimuli';
      return {
        path: zip, url: base ? `${base}/${zip}` : `https://drum.lib.umd.edu/bitstreams/${uuid}/download`, archive: 'zip' as const,
        extractTo: stimuli ? '' : shard, anchor: stimuli ? 'stimuli' : `${shard}/eeg`,
      };
    }),
  };
}

/**
 * Registry entry of {@link AliceEEGDataset}.
 * @example
 * ```ts
 * const ds = await aliceEegEntry.load({ path: '/data/Alice_EEG', subjects: ['S01'] });
 * ```
 */
export const aliceEegEntry: DatasetEntry = {
  name: 'alice-eeg',
  className: 'AliceEEGDataset',
  description: 'Human scalp EEG (61 channels, 33 subjects) listening to an audiobook chapter (Alice; Brennan lab)',
  species: 'human',
  area: 'scalp EEG, 61 channels',
  size: '2.5 GB',
  licence: 'see the DRUM record (hdl.handle.net/1903/27591)',
  citation: 'Bhattasali et al. (2020); Brennan (2019); Brodbeck et al. (2023), UMd DRUM 10.13016/pulf-lndn',
  accountNeeded: false,
  cacheFolder: ALICE_EEG_CACHE,
  manifest: (o) => aliceEegManifest({ mirror: o.mirror }),
  load: (o) => AliceEEGDataset.load(o as AliceEEGOptions & ZooLoadOptions),
};
