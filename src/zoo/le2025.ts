/**
 * `Le2025Dataset`: zebra finch auditory pallium single units responding to song motifs whose
 * critical intervals are occluded (Le, Bjoring & Meliza 2025; figshare 29203457): per-unit pprox
 * JSON in two schemas, wavs at 40 / 48 / 44.1 kHz, CSV metadata, the `gammatone` package's
 * gammatone-gram. Layout, processing and quirks: docs/zoo/le2025.md.
 * @module
 */
import { platform } from '#platform';
import { DatasetValidationError, FormatError, ValueError } from '../errors.js';
import type { Meta } from '../contract/types.js';
import type { Tensor } from '../tensor.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { parseCsv } from '../io/csv.js';
import { parseJson, type JsonValue } from '../io/json.js';
import { decodeWav } from '../audio/wav.js';
import { resample } from '../audio/resample.js';
import { cropOrPad, toMono } from '../audio/waveform.js';
import { gammatonegram } from '../spectral/gammatone.js';
import { roundHalfAway } from '../spectral/windows.js';
import { defaultHeap } from '../memory/heap.js';
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import { isSentinel, missingCell } from '../memory/sentinel.js';
import { powersPerNeuron, snrFromPowers } from '../metrics/power.js';
import { roundHalfEven } from '../util/round.js';
import { fileLabel, runAsync, runSync, fs, SourceFileError, type Build } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import { figshareDownload } from '../download/figshare.js';
import { DownloadError } from '../download/errors.js';
import type { DatasetManifest } from '../download/manifest.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';
import { ZEBRA_FINCH_HEARING_HZ, describeRelease, pyFloat, pyInt } from './theunissen.js';

/** The three sub-experiments. @example `new Le2025Dataset({ path, experiment: 'nat8a' })` */
export const LE2025_EXPERIMENTS = ['nat8a', 'nat8b', 'synth8b'] as const;
/** Variant codes. @example `ds.selectVariant('GB')` */
export const LE2025_VARIANTS = ['C', 'G', 'N', 'GB', 'CB', 'GM', 'CM'] as const;
/** figshare DOI of the release. @example `LE2025_FIGSHARE_DOI // '10.6084/m9.figshare.29203457'` */
export const LE2025_FIGSHARE_DOI = '10.6084/m9.figshare.29203457';
/** figshare article id of the release. @example `figshareDownload(LE2025_FIGSHARE_ARTICLE, { root })` */
export const LE2025_FIGSHARE_ARTICLE = '29203457';
/** The folder the release's zip unpacks to. @example `` `${root}/${LE2025_UNPACKED_DIR}` `` */
export const LE2025_UNPACKED_DIR = 'zebf-auditory-restoration-1';
/** Cache sub-folder of Le 2025. @example `defaultCacheDir(LE2025_CACHE_NAME)` */
export const LE2025_CACHE_NAME = 'Le_2025';
/** The paper's gammatone settings: 50 bands, 1–8 kHz, 2.5 ms window. @example `LE2025_PAPER.nBands // 50` */
export const LE2025_PAPER = { nBands: 50, fmin: 1000, fmax: 8000, windowMs: 2.5 } as const;

/** A sub-experiment. @example `const e: Le2025Experiment = 'synth8b'` */
export type Le2025Experiment = (typeof LE2025_EXPERIMENTS)[number];

/** Response folders of each experiment, in cohort order, with their cohort. */
const RESPONSE_DIRS: Record<Le2025Experiment, ReadonlyArray<[string, number]>> = {
  nat8a: [['nat8a-alpha-responses', 1], ['nat8a-beta-responses', 2]],
  nat8b: [['nat8b-responses', 3]],
  synth8b: [['synth8b-responses', 3]],
};
/** nat8a stem conditions → (variant, critical interval). */
const NAT8A_CONDITIONS: Record<string, [string, number | null]> = {
  continuous: ['C', null], gap1: ['G', 1], gap2: ['G', 2], noise1: ['N', 1], noise2: ['N', 2],
  gapnoise1: ['GB', 1], gapnoise2: ['GB', 2], continuousnoise1: ['CB', 1], continuousnoise2: ['CB', 2],
};
const EP_STEM = /^ep_([^_]+)_(C|G|N|GB|CB|GM|CM)(?:_g([A-Za-z0-9]+))?(?:_snr(-?\d+))?$/;
const NAT8A_STEM = /^([^_]+)_([a-z0-9]+)$/;

/**
 * Options of {@link Le2025Dataset} (the reference's keyword arguments, camelCase).
 * @example
 * ```ts
 * const o: Le2025Options = { path: '/data/Le_2025/zebf-auditory-restoration-1', experiment: 'nat8a', dtMs: 1 };
 * ```
 */
export interface Le2025Options {
  /** The unpacked release (holding `metadata/`); required unless `download` (then `<cache>/Le_2025/zebf-auditory-restoration-1`). */
  path?: string;
  /** `'nat8a'`, `'nat8b'` (default) or `'synth8b'`; another value → `ValueError`. */
  experiment?: string;
  /** Bin width and gammatone hop in ms (default 5; the paper uses 1). */
  dtMs?: number;
  /** Gammatone bands (default 50). */
  nBands?: number;
  /** Lowest centre frequency in Hz (default 1000). */
  fmin?: number;
  /** Highest centre frequency in Hz (default 8000). */
  fmax?: number;
  /** Gammatone RMS window in ms (default 2.5). */
  windowMs?: number;
  /** 21 ms Hanning smoothing (default true; kernel sum 2 at 5 ms). */
  smooth?: boolean;
  /** Keep only units whose `area` is listed (default: all). */
  keepAreas?: readonly string[] | null;
  /** Per-neuron Sahani–Linden `signalPower`, `noisePower`, `snr` in `nrnMeta` (default true). */
  computeReliability?: boolean;
  /** Fetch the release first (`Le2025Dataset.load` only). With `path`, downloads into `path` and uses `<path>/zebf-auditory-restoration-1`. */
  download?: boolean;
  /** Waveform stimuli `(1, T·hop)` (default false). */
  returnWaveform?: boolean;
  /** Waveform rate in Hz (default 48000; hop 240 at 5 ms). */
  audioFs?: number;
  /** Called for each skipped wav, folder or unit (the reference's warnings). */
  onWarning?: (message: string) => void;
}

interface Resolved {
  experiment: Le2025Experiment;
  dtMs: number;
  nBands: number;
  fmin: number;
  fmax: number;
  windowMs: number;
  smooth: boolean;
  keepAreas: ReadonlySet<string> | null;
  computeReliability: boolean;
  returnWaveform: boolean;
  audioFs: number;
  warn: (message: string) => void;
}

interface Le2025Built {
  stims: Tensor[];
  responses: Tensor[][];
  stimMeta: Meta[];
  nrnMeta: Meta[];
}

interface BirdInfo { uuid: string | null; sex: string | null; group: string | null; ageDays: number | null; cohort: number | null; sire: string | null }
interface SongInfo { cis: Map<number, [number, number]>; uuid: string | null; group: string | null; bird: string }
interface SiteInfo { bird: string | null; probe: string | null; stimulusSet: string | null; hemisphere: string | null; area: string }
interface StimRecord { name: string; motif: string; ci: number | string | null; variant: string; rel: string }

const BUILT = Symbol('built');

function resolve(o: Le2025Options): Resolved {
  const experiment = o.experiment ?? 'nat8b';
  if (!(LE2025_EXPERIMENTS as readonly string[]).includes(experiment)) {
    throw new ValueError(`experiment must be one of nat8a, nat8b, synth8b, got '${experiment}'`);
  }
  const r: Resolved = {
    experiment: experiment as Le2025Experiment, dtMs: o.dtMs ?? 5, nBands: o.nBands ?? LE2025_PAPER.nBands, fmin: o.fmin ?? LE2025_PAPER.fmin,
    fmax: o.fmax ?? LE2025_PAPER.fmax, windowMs: o.windowMs ?? LE2025_PAPER.windowMs, smooth: o.smooth ?? true,
    keepAreas: o.keepAreas ? new Set(o.keepAreas) : null, computeReliability: o.computeReliability ?? true,
    returnWaveform: o.returnWaveform ?? false, audioFs: o.audioFs ?? 48000, warn: o.onWarning ?? (() => undefined),
  };
  if (!(r.dtMs > 0)) throw new ValueError(`dtMs must be positive, got ${r.dtMs}`);
  return r;
}

/** `<y>y<d>d` (either part optional) → 365·y + d; `unknown`, empty or another form → null. */
function ageDays(age: string | null | undefined): number | null {
  if (!age || age === 'unknown') return null;
  const m = /^(?:(\d+)y)?(?:(\d+)d)?$/.exec(age);
  if (!m) return null;
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0);
}

/** Rows of a header CSV as records (Python's csv.DictReader: plain strings). */
function dictRows(bytes: Uint8Array, file: string): Array<Record<string, string>> {
  const t = parseCsv(bytes, file, { header: true });
  const header = t.header ?? [];
  return t.rows.filter((r) => !(r.length === 1 && r[0] === '')).map((r) => Object.fromEntries(header.map((h, i) => [h, String(r[i] ?? '')])));
}

function column(row: Record<string, string>, key: string, file: string): string {
  const v = row[key];
  if (v === undefined) throw new FormatError(file, `no "${key}" column`);
  return v;
}

const orNull = (v: string | undefined): string | null => (v === undefined ? null : v);

/** A metadata CSV, or null (with a warning) when absent. */
function* optionalCsv(rel: string, root: string, r: Resolved, what: string): Build<Array<Record<string, string>> | null> {
  const st = yield* fs.stat(rel);
  if (st?.kind !== 'file') {
    r.warn(`missing ${fileLabel(root, rel)}; ${what}`);
    return null;
  }
  return dictRows(yield* fs.read(rel), fileLabel(root, rel));
}

/** A stimulus stem → motif, critical interval, variant; null when it does not parse. */
function parseStem(stem: string, experiment: Le2025Experiment): Omit<StimRecord, 'name' | 'rel'> | string {
  if (experiment === 'nat8a') {
    const m = NAT8A_STEM.exec(stem);
    if (!m) return `unrecognised nat8a stim stem: '${stem}'`;
    const c = NAT8A_CONDITIONS[m[2]];
    if (!Object.prototype.hasOwnProperty.call(NAT8A_CONDITIONS, m[2])) return `unknown nat8a condition '${m[2]}' in '${stem}'`;
    return { motif: m[1], variant: c[0], ci: c[1] };
  }
  const m = EP_STEM.exec(stem);
  if (!m) return `unrecognised ${experiment} stim stem: '${stem}'`;
  const variant = m[2];
  let ci: number | string | null = null;
  if (variant !== 'C' && variant !== 'CM' && m[3] !== undefined) ci = pyInt(m[3]) ?? m[3];
  return { motif: m[1], variant, ci };
}

/** Python tuple order of (motif, (0, str(ci)) or (1, ''), variant). */
function compareStims(a: StimRecord, b: StimRecord): number {
  const key = (s: StimRecord): [string, number, string, string] => [s.motif, s.ci === null ? 1 : 0, s.ci === null ? '' : String(s.ci), s.variant];
  const ka = key(a), kb = key(b);
  for (let i = 0; i < 4; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

const isRecord = (v: JsonValue | undefined): v is { [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Python truthiness of a JSON value, for `a or b`. */
const truthy = (v: JsonValue | undefined): boolean => !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0));
const textOrNull = (v: JsonValue | undefined): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** Spike times of a trial as numbers (`[]` when absent); a non-numeric entry is a FormatError. */
function numbers(v: JsonValue | undefined, file: string, what: string): number[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x, i) => {
    if (typeof x === 'number') return x;
    const n = typeof x === 'string' ? pyFloat(x) : null;
    if (n === null) throw new FormatError(file, `${what}[${i}] is not a number`);
    return n;
  });
}

/** The Le 2025 build (docs/zoo/le2025.md, "Processing"). */
function* buildLe2025(r: Resolved, root: string): Build<Le2025Built> {
  // 1. Metadata tables.
  const birds = new Map<string, BirdInfo>();
  const ephysRel = 'metadata/ephys-birds.csv';
  for (const row of (yield* optionalCsv(ephysRel, root, r, 'per-bird metadata will be limited.')) ?? []) {
    const cohort = row.cohort ? pyInt(row.cohort) : null;
    if (row.cohort && cohort === null) throw new SourceFileError(root, ephysRel, `cohort '${row.cohort}' of bird '${row.bird}' is not an integer`);
    birds.set(column(row, 'bird', fileLabel(root, ephysRel)), {
      uuid: orNull(row.uuid), sex: orNull(row.sex), group: orNull(row.group), ageDays: ageDays(row.age), cohort, sire: orNull(row.sire),
    });
  }
  const songs = new Map<string, SongInfo>();
  const songRel = 'metadata/song-birds.csv';
  for (const row of (yield* optionalCsv(songRel, root, r, 'CI timings will be NaN for nat8a/nat8b.')) ?? []) {
    const bird = column(row, 'bird', fileLabel(root, songRel));
    const encoded = row.nat8b_encoding || row.nat8b_coding;
    const gap = pyInt(row.gap ?? ''), start = pyFloat(row.gap_start ?? ''), stop = pyFloat(row.gap_stop ?? '');
    if (gap === null || start === null || stop === null) continue;
    for (const key of [bird, encoded]) {
      if (!key) continue;
      const info = songs.get(key) ?? { cis: new Map(), uuid: null, group: null, bird };
      info.cis.set(gap, [start, stop]);
      info.uuid = orNull(row.uuid);
      info.group = orNull(row.group);
      info.bird = bird;
      songs.set(key, info);
    }
  }
  const sites = new Map<string, SiteInfo>();
  for (const row of (yield* optionalCsv('metadata/recordings.csv', root, r, "area/hemisphere will be 'unknown'.")) ?? []) {
    if (!row.site) continue;
    const area = row.area;
    sites.set(row.site, {
      bird: orNull(row.bird), probe: orNull(row.probe), stimulusSet: orNull(row.stimulus_set), hemisphere: orNull(row.hemisphere),
      area: area && area !== 'N/A' ? area : 'unknown',
    });
  }
  const groupSets = new Map<string, Set<string>>();
  for (const info of songs.values()) {
    if (!info.group || !info.bird) continue;
    const set = groupSets.get(info.group) ?? new Set<string>();
    set.add(info.bird);
    groupSets.set(info.group, set);
  }
  const familiarity = new Map([...groupSets].map(([g, set]) => [g, [...set].sort()]));

  // 2. Stimuli.
  const stimDir = `${r.experiment}-stimuli`;
  const st = yield* fs.stat(stimDir);
  if (st?.kind !== 'directory') throw new SourceFileError(root, stimDir, 'stimulus folder not found');
  const records: StimRecord[] = [];
  for (const e of (yield* fs.list(stimDir)).filter((x) => x.kind === 'file' && x.name.endsWith('.wav')).map((x) => x.name).sort()) {
    const stem = e.slice(0, -'.wav'.length);
    const p = parseStem(stem, r.experiment);
    if (typeof p === 'string') {
      r.warn(`skipping ${e}: ${p}`);
      continue;
    }
    records.push({ ...p, name: stem, rel: `${stimDir}/${e}` });
  }
  if (records.length === 0) throw new SourceFileError(root, stimDir, 'no parseable .wav files');
  records.sort(compareStims);
  const hopW = roundHalfEven((r.audioFs * r.dtMs) / 1000);
  const stims: Tensor[] = [];
  const stimMeta: Meta[] = [];
  const T: number[] = [];
  const index = new Map<string, number>();
  for (const rec of records) {
    const file = fileLabel(root, rec.rel);
    const wav = decodeWav(yield* fs.read(rec.rel), { name: file });
    const sr = wav.sampleRate;
    const mono = toMono(wav.data);
    const n = wav.totalFrames;
    let frames: number;
    if (r.returnWaveform) {
      const nwin = roundHalfAway((r.windowMs / 1000) * sr), hop = roundHalfAway((r.dtMs / 1000) * sr);
      frames = n >= nwin ? 1 + Math.floor((n - nwin) / hop) : 0;
      const w = sr === r.audioFs ? mono : resample(mono, sr, r.audioFs);
      stims.push(cropOrPad(w, frames * hopW));
    } else {
      const { spec } = gammatonegram(mono, { sampleRate: sr, windowMs: r.windowMs, hopMs: r.dtMs, channels: r.nBands, fMin: r.fmin, fMax: r.fmax });
      frames = spec.shape[1];
      for (let i = 0; i < spec.data.length; i++) spec.data[i] = Math.log1p(Math.max(spec.data[i], 0));
      stims.push({ dtype: 'float32', shape: [1, r.nBands, frames], data: spec.data });
    }
    if (frames < 1) throw new FormatError(file, `${n} samples are fewer than one gammatone window`);
    let ciOn = Number.NaN, ciOff = Number.NaN;
    const song = songs.get(rec.motif);
    if (rec.ci !== null && song) {
      const key = typeof rec.ci === 'number' ? rec.ci : pyInt(rec.ci);
      const bounds = key === null ? undefined : song.cis.get(key);
      if (bounds) [ciOn, ciOff] = [bounds[0] / 1000, bounds[1] / 1000];
    }
    index.set(rec.name, T.length);
    T.push(frames);
    stimMeta.push({
      name: rec.name, motif: rec.motif, criticalInterval: rec.ci, variant: rec.variant, syntax: r.experiment === 'synth8b' ? 'scrambled' : 'natural',
      experiment: r.experiment, sampleRateHz: sr, durationS: n / sr, ciOnsetS: ciOn, ciOffsetS: ciOff,
    });
  }

  // 3. Units.
  const sentinel = missingCell(defaultHeap());
  const rows: Tensor[][] = [];
  const nrnMeta: Meta[] = [];
  for (const [dir, cohort] of RESPONSE_DIRS[r.experiment]) {
    const ds = yield* fs.stat(dir);
    if (ds?.kind !== 'directory') {
      r.warn(`response directory missing: ${fileLabel(root, dir)}`);
      continue;
    }
    const names = (yield* fs.list(dir)).filter((x) => x.kind === 'file' && x.name.endsWith('.pprox')).map((x) => x.name).sort();
    if (names.length === 0) {
      r.warn(`no .pprox files under ${fileLabel(root, dir)}`);
      continue;
    }
    for (const name of names) {
      const file = fileLabel(root, `${dir}/${name}`);
      const coll = parseJson(yield* fs.read(`${dir}/${name}`), file);
      if (!isRecord(coll)) throw new FormatError(file, 'expected a JSON object');
      const stem = name.slice(0, -'.pprox'.length);
      const schema = typeof coll.$schema === 'string' ? coll.$schema : '';
      const legacy = schema.endsWith('pprox.json#') || schema.endsWith('pprox.json');
      const trials = Array.isArray(coll.pprox) ? coll.pprox : [];
      const byStim = new Map<string, Array<{ [k: string]: JsonValue }>>();
      const add = (key: string, t: { [k: string]: JsonValue }) => {
        const list = byStim.get(key) ?? [];
        list.push(t);
        byStim.set(key, list);
      };
      let meta: Meta;
      if (legacy) {
        const bird = truthy(coll.bird) ? String(coll.bird) : stem.split('_')[0];
        const info = birds.get(bird);
        const group = coll.familiar;
        meta = {
          cellId: stem, animalId: bird, animalUuid: truthy(coll['bird-uuid']) ? coll['bird-uuid'] : info?.uuid ?? null, cohort, experiment: r.experiment,
          area: truthy(coll.location) ? coll.location : 'unknown', hemisphere: coll.hemisphere ?? null,
          familiarMotifs: truthy(group) ? [...(familiarity.get(String(group)) ?? [])] : [],
          sex: info?.sex || (coll['bird-sex'] ?? null), ageDays: info?.ageDays || ageDays(typeof coll['bird-age'] === 'string' ? coll['bird-age'] : ''),
          pproxFile: name,
        };
        for (const t of trials) {
          if (!isRecord(t) || t.stimulus === undefined || t.stimulus === null || t.condition === undefined || t.condition === null) continue;
          add(`${textOrNull(t.stimulus)}_${textOrNull(t.condition)}`, t);
        }
      } else {
        const parts = stem.split('_');
        const bird = parts[0];
        const site = sites.get(parts.length >= 3 ? parts.slice(0, 3).join('_') : bird);
        const info = birds.get(bird);
        meta = {
          cellId: stem, animalId: bird, animalUuid: truthy(coll.bird) ? coll.bird : info?.uuid ?? null, cohort, experiment: r.experiment,
          area: site?.area ?? 'unknown', hemisphere: site?.hemisphere ?? null, familiarMotifs: [], sex: info?.sex ?? null, ageDays: info?.ageDays ?? null,
          pproxFile: name,
        };
        for (const t of trials) {
          if (!isRecord(t)) continue;
          const s = t.stimulus;
          let key: string | null = null;
          if (isRecord(s)) key = textOrNull(s.name);
          else if (typeof s === 'string') key = pathStem(s);
          if (key) add(key, t);
        }
      }
      const row: Tensor[] = T.map(() => sentinel);
      let matched = false;
      for (const [stim, list] of byStim) {
        const s = index.get(stim);
        if (s === undefined) continue;
        matched = true;
        const width = T[s];
        const cell = HeapTensor.allocate([list.length, width]);
        cell.nanState = NaNState.Clean;
        const d = cell.data;
        list.forEach((t, k) => {
          if (legacy) {
            const on = t.stim_on === undefined ? 0 : numbers(t.stim_on, file, 'stim_on')[0];
            for (const e of numbers(t.event, file, 'event')) {
              const i = Math.floor((e - on) / r.dtMs);
              if (i >= 0 && i < width) d[k * width + i] += 1;
            }
          } else {
            const dtS = r.dtMs * 1e-3;
            for (const e of numbers(t.events, file, 'events')) {
              const i = Math.floor(e / dtS);
              if (i >= 0 && i < width) d[k * width + i] += 1;
            }
          }
        });
        row[s] = cell;
      }
      if (!matched) {
        r.warn(`skipping ${name}: no trials matched any known stimulus`);
        continue;
      }
      if (r.keepAreas && !r.keepAreas.has(String(meta.area))) continue;
      rows.push(row);
      nrnMeta.push(meta);
    }
  }
  if (nrnMeta.length === 0) throw new DatasetValidationError(`Le2025Dataset: no usable units found for experiment '${r.experiment}' under ${root}`);
  return { stims, responses: T.map((_, s) => rows.map((row) => row[s])), stimMeta, nrnMeta };
}

/** Python's `Path(s).stem`: the last path component without its last suffix. */
function pathStem(s: string): string {
  const base = s.slice(s.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Per-neuron Sahani–Linden signal and noise power over its real cells, padded into one
 * `(S_eff, 1, R_max, T_max)` NaN tensor (length-weighted across stimuli), and SNR = SP / max(NP, 1e-12).
 */
function attachReliability(responses: Tensor[][], nrnMeta: Meta[]): void {
  nrnMeta.forEach((meta, n) => {
    const cells = responses.map((row) => row[n]).filter((c) => !isSentinel(c));
    if (cells.length === 0) {
      Object.assign(meta, { signalPower: Number.NaN, noisePower: Number.NaN, snr: Number.NaN });
      return;
    }
    const R = Math.max(...cells.map((c) => c.shape[0])), T = Math.max(...cells.map((c) => c.shape[1]));
    const big = new Float32Array(cells.length * R * T).fill(Number.NaN);
    cells.forEach((c, i) => {
      const [Ri, Ti] = c.shape;
      for (let k = 0; k < Ri; k++) big.set(c.data.subarray(k * Ti, (k + 1) * Ti) as Float32Array, (i * R + k) * T);
    });
    const t: Tensor<'float32'> = { dtype: 'float32', shape: [cells.length, 1, R, T], data: big };
    const { sp, np } = powersPerNeuron(t);
    Object.assign(meta, { signalPower: sp[0], noisePower: np[0], snr: snrFromPowers(sp, np)[0] });
  });
}

/**
 * The Le 2025 download: the figshare article's single zip (≈ 105 MB), unpacked in place, skipped
 * when `zebf-auditory-restoration-1/` exists. The file URL comes from the figshare API at
 * download time, so fetch with {@link Le2025Dataset.load} (`download: true`) or
 * `figshareDownload`; this manifest (whose URL is the article's API URL) describes the folder
 * and is not fetched as is.
 * @example
 * ```ts
 * le2025Manifest().files[0].anchor; // 'zebf-auditory-restoration-1'
 * ```
 */
export function le2025Manifest(): DatasetManifest {
  return {
    name: LE2025_CACHE_NAME,
    files: [{ path: `${LE2025_UNPACKED_DIR}.zip`, url: `https://api.figshare.com/v2/articles/${LE2025_FIGSHARE_ARTICLE}`, archive: 'zip', extractTo: '', anchor: LE2025_UNPACKED_DIR }],
  };
}

/**
 * Le, Bjoring & Meliza (2025): zebra finch auditory restoration, one sub-experiment per instance.
 * @example
 * ```ts
 * const ds = new Le2025Dataset({ path: '/data/Le_2025/zebf-auditory-restoration-1', experiment: 'nat8b' });
 * ds.selectRestorationQuartet('nat8mk0', 1); // C, CB, GB, GM of motif nat8mk0, CI 1
 * const dl = await Le2025Dataset.load({ download: true, returnWaveform: true });
 * ```
 */
export class Le2025Dataset extends AudioNeuralDataset {
  /** The sub-experiment. */
  readonly experiment: Le2025Experiment;
  /** Species. */
  readonly species = 'zebra finch';
  /** Behavioural state during the recordings. */
  readonly behavioralState = 'anesthetized';
  /** Gammatone band edges (Hz) and window (ms). */
  readonly fmin: number;
  readonly fmax: number;
  readonly windowMs: number;

  constructor(options: Le2025Options & { [BUILT]?: Le2025Built } = {}) {
    const r = resolve(options);
    const b0 = options[BUILT];
    if (!b0 && options.download) throw new DatasetValidationError('Le2025Dataset: download: true needs the async factory: `await Le2025Dataset.load({ download: true, ... })`');
    if (options.path === undefined) throw new ValueError('Provide `path` or set `download: true` (with `Le2025Dataset.load`).');
    super(options.path, r.dtMs);
    const b = b0 ?? runSync(buildLe2025(r, options.path), platform.folderSource(options.path));
    this.experiment = r.experiment;
    this.fmin = r.fmin;
    this.fmax = r.fmax;
    this.windowMs = r.windowMs;
    this.F = r.nBands;
    this.returnWaveform = r.returnWaveform;
    this.audioFs = r.returnWaveform ? r.audioFs : null;
    this.hearingRangeHz = [...ZEBRA_FINCH_HEARING_HZ];
    this.assignBuilt(b);
    if (r.smooth) this.smoothResponses({ windowMs: 21 });
    if (r.computeReliability) attachReliability(this.responses, this.nrnMeta);
    this.validate();
  }

  /**
   * Builds from any file source; with `download: true` first fetches the figshare zip into
   * `path` (default the cache folder `Le_2025`) and reads `<that>/zebf-auditory-restoration-1`.
   * @example
   * ```ts
   * const ds = await Le2025Dataset.load({ download: true, experiment: 'synth8b' });
   * ```
   */
  static async load(options: Le2025Options & ZooLoadOptions & { figshareApi?: string } = {}): Promise<Le2025Dataset> {
    const r = resolve(options);
    let source = options.source;
    let path = options.path ?? source?.root;
    if (options.download) {
      const base = options.path ?? defaultCacheDir(LE2025_CACHE_NAME);
      await figshareDownload(LE2025_FIGSHARE_ARTICLE, {
        root: base, api: options.figshareApi, archive: 'zip', anchor: LE2025_UNPACKED_DIR, cacheName: LE2025_CACHE_NAME,
        onProgress: options.onProgress, signal: options.signal,
      });
      const store = await platform.openWritableSource(base);
      if ((await store.stat(LE2025_UNPACKED_DIR))?.kind !== 'directory') {
        throw new DownloadError(LE2025_UNPACKED_DIR, `figshare article ${LE2025_FIGSHARE_ARTICLE}`, `unpacking did not produce ${LE2025_UNPACKED_DIR}/ under ${base}`);
      }
      path = `${base.replace(/\/+$/, '')}/${LE2025_UNPACKED_DIR}`;
      source = undefined;
    }
    if (path === undefined) throw new ValueError('Provide `path` or `source`, or set `download: true`.');
    source ??= await platform.openWritableSource(path);
    const built = await runAsync(buildLe2025(r, source.root), source);
    return new Le2025Dataset({ ...options, path, download: false, [BUILT]: built });
  }

  /** Restricts iteration to one variant code (e.g. `'GB'`); returns the selected indices. @example `ds.selectVariant('GB')` */
  selectVariant(variant: string): number[] {
    return this.selectStimsByAttr('variant', variant);
  }

  /** Restricts iteration to every variant of one motif. @example `ds.selectMotif('nat8mk0')` */
  selectMotif(motif: string): number[] {
    return this.selectStimsByAttr('motif', motif);
  }

  /** Restricts iteration to one critical interval (`null` for the C / CM variants). @example `ds.selectCriticalInterval(1)` */
  selectCriticalInterval(ci: number | string | null): number[] {
    return this.selectStimsByAttr('criticalInterval', ci);
  }

  /**
   * Selects the paper's restoration set of one (motif, CI): stimuli of `motif` whose variant is
   * wanted and whose CI is `ci` (C and CM, CI-independent, whatever their CI). Returns the sorted indices.
   * @example
   * ```ts
   * ds.selectRestorationQuartet('nat8mk0', 1); // C, CB, GB, GM
   * ```
   */
  selectRestorationQuartet(motif: string, ci: number | string | null, variants: readonly string[] = ['C', 'CB', 'GB', 'GM']): number[] {
    const wanted = new Set(variants);
    const keep = this.stimMeta.flatMap((m, i) =>
      m.motif === motif && wanted.has(String(m.variant)) && (m.criticalInterval === ci || m.variant === 'C' || m.variant === 'CM') ? [i] : []);
    this.selectStims(keep);
    return [...keep];
  }
}

/**
 * The Le 2025 registry entry.
 * @example
 * ```ts
 * const ds = await le2025Entry.load({ download: true, experiment: 'nat8a' });
 * ```
 */
export const le2025Entry: DatasetEntry = {
  name: 'le2025',
  className: 'Le2025Dataset',
  description: 'Le, Bjoring & Meliza 2025: zebra finch auditory pallium, song motifs with occluded critical intervals',
  species: 'zebra finch',
  area: 'auditory pallium (NCM/L3, L2a/b, CM/L1); single units',
  size: '105 MB',
  licence: 'CC BY 4.0',
  citation: 'Le M. T., Bjoring M. C., Meliza C. D. (2025). The zebra finch auditory cortex reconstructs occluded syllables in conspecific song. Nature Communications. doi:10.1038/s41467-025-63182-y; data doi:10.6084/m9.figshare.29203457',
  accountNeeded: false,
  cacheFolder: LE2025_CACHE_NAME,
  manifest: () => le2025Manifest(),
  download: async (path, o) => {
    const r = await figshareDownload(LE2025_FIGSHARE_ARTICLE, {
      root: path, archive: 'zip', anchor: LE2025_UNPACKED_DIR, cacheName: LE2025_CACHE_NAME, onProgress: o.onProgress, signal: o.signal,
    });
    return r.result ? `${r.name} fetched and unpacked into ${path}` : `${LE2025_UNPACKED_DIR}/ already present in ${path}`;
  },
  // The CLI's folder is the download folder (the cache `Le_2025`): the release is the folder inside it.
  load: async (options) => {
    const o = options as Le2025Options & ZooLoadOptions;
    if (o.source || o.download) return Le2025Dataset.load(o);
    const base = o.path ?? defaultCacheDir(LE2025_CACHE_NAME);
    const inner = (await (await platform.openWritableSource(base)).stat(LE2025_UNPACKED_DIR))?.kind === 'directory';
    return Le2025Dataset.load({ ...o, path: inner ? `${base.replace(/\/+$/, '')}/${LE2025_UNPACKED_DIR}` : base });
  },
  describe: (path) => {
    const base = path ?? defaultCacheDir(LE2025_CACHE_NAME);
    const p = `${base.replace(/\/+$/, '')}/${LE2025_UNPACKED_DIR}`;
    return describeRelease(base, [LE2025_UNPACKED_DIR], 'le2025', () => Le2025Dataset.load({ path: p, smooth: false }));
  },
};
