/**
 * `Downer2025Dataset`: squirrel-monkey auditory cortex multi-unit activity (Downer et al. 2025 /
 * Ahmed et al. 2025) to TIMIT sentences and monkey vocalisations (mVocs), from the Zenodo release
 * `auditory_cortex_data/` (docs/zoo/downer2025.md): `sessions_metadata.yml`, one MAT file per
 * channel (`trial` and `spike` structs), the TIMIT sentences in `sentdet` and the mVocs WAV.
 *
 * Stimuli are Kaldi fbank spectrograms (`kaldiFbank`, 80 bins, Hann window, 25 ms frames, 0–8 kHz,
 * frame shift = dt up to 10 ms, else 10 ms frames average-pooled), z-scored per band and cropped
 * or zero-padded to round(duration·1000/dt) bins; responses are spike counts per bin from each
 * trial's onset, `(R, T)` per channel and stimulus, `(1, 1)` NaN where a session never played it.
 * @module
 */
import { platform } from '#platform';
import { zooBuildSync } from './zoo-build.js';
import { DatasetValidationError, FormatError, ValueError } from '../errors.js';
import { tensor, type Tensor } from '../tensor.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { readMat } from '../io/mat5.js';
import type { MatStruct, MatValue } from '../io/mat-types.js';
import { parseYaml, type YamlValue } from '../io/yaml.js';
import { decodeWav } from '../audio/wav.js';
import { resample } from '../audio/resample.js';
import { cropOrPad } from '../audio/waveform.js';
import { kaldiFbank } from '../spectral/kaldi-fbank.js';
import { roundHalfEven } from '../util/round.js';
import { fileLabel, fs, parsing, runAsync, type Build } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import { downloadDataset } from '../download/download.js';
import type { DatasetManifest } from '../download/manifest.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';

/** Zenodo record of the release. @example `downerManifest().files[0].url` */
export const DOWNER2025_ZENODO_RECORD = '16175377';
/** Cache folder name. @example `defaultCacheDir(DOWNER2025_CACHE)` */
export const DOWNER2025_CACHE = 'Downer2025';
/** The folder the archive unpacks to (the loader's `path`). @example `${cache}/${DOWNER2025_ROOT}` */
export const DOWNER2025_ROOT = 'auditory_cortex_data';

/**
 * Fine area of each session (the reference hard-codes them; the YAML holds them only as comments).
 * @example `DOWNER2025_SESSION_AREAS['191219'] // 'CL'`
 */
export const DOWNER2025_SESSION_AREAS: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(([
  ['A1', '180627 180719 180810 180814 180720 180731 190604 190606 190726 190801 191209 200313 191113 191125 191206 200206 200207 180808'],
  ['R', '180807 200213 180501'],
  ['CL', '191219'],
  ['ML', '180613 190703 200219 191115 200205'],
  ['AL', '180622 191211 180413 180420'],
  ['CPB', '180724 200318 191121'],
  ['RPB', '180502 180728 190605 191210 180717 180730 200212'],
] as const).flatMap(([area, ids]) => ids.split(' ').map((id) => [id, area]))));

const YAML_FILE = 'sessions_metadata.yml';
const TIMIT_FILE = 'stimuli/out_sentence_details_timit_all_loudness.mat';
const MVOC_CODES_FILE = 'stimuli/SqMoPhys_MVOCStimcodes.mat';
const MVOC_WAV = 'stimuli/MonkVocs_15Blocks.wav';
const CHANNEL_TOKEN = /^Ch(\d+)([A-Za-z][A-Za-z0-9]*)?$/;
const TRIAL_FIELDS = ['stimon', 'timitStimcode', 'mVocStimcode', 'spktimes'];

/** Options of {@link Downer2025Dataset}: the reference's keyword arguments, camelCase, same defaults. @example `{ stimuli: 'mvocs', areas: ['primary'], subset: 'test' }` */
export interface Downer2025Options {
  /** The `auditory_cortex_data` folder (default: `<cache>/Downer2025/auditory_cortex_data`). */
  path?: string;
  /** `'timit'` (default) or `'mvocs'`. */
  stimuli?: 'timit' | 'mvocs';
  /** Bin width in ms (default 5; above 10 it must be a multiple of 10). */
  dtMs?: number;
  /** Mel bins of the Kaldi fbank (default 80). */
  nMels?: number;
  /** Accepted for parity; a no-op for all three values (the features are already log). Default `'log1p'`. */
  compression?: 'cubic' | 'log1p' | 'none';
  /** Z-score each band over time (default true). */
  specZscore?: boolean;
  /** 21 ms Hann smoothing of the responses (default true). */
  smooth?: boolean;
  /** `'all'` (default), `'estimation'` or `'test'`. */
  subset?: 'all' | 'estimation' | 'test';
  /** `'all'` (default) or animal letters (`['b', 'c']`). */
  animals?: 'all' | string | readonly string[];
  /** Area groups or fine areas (`core`, `non-primary`, `A1`, …; `primary` = `core`); default all. */
  areas?: readonly string[] | null;
  /** Session ids to keep (default all). */
  sessions?: readonly (string | number)[] | null;
  /** Sample rate the sounds are resampled to before the fbank (default 16 000). */
  audioFs?: number;
  /** High edge of the fbank in Hz (default 8000). */
  fmax?: number;
  /** Fbank frame length in ms (default 25). */
  windowMs?: number;
  /** Stimuli as `(1, T·hop)` waveforms at `audioFs` instead of spectrograms (default false). */
  returnWaveform?: boolean;
  /** Fetch the release first (only with `Downer2025Dataset.load`). */
  download?: boolean;
}

interface Resolved {
  stimuli: 'timit' | 'mvocs';
  dtMs: number;
  nMels: number;
  compression: 'cubic' | 'log1p' | 'none';
  specZscore: boolean;
  subset: 'all' | 'estimation' | 'test';
  animals: Set<string> | null;
  areas: Set<string> | null;
  sessions: Set<string> | null;
  audioFs: number;
  fmax: number;
  windowMs: number;
  returnWaveform: boolean;
}

type Meta = Record<string, unknown>;

/** What the build returns (plain data; the constructor assigns it). */
interface DownerBuilt {
  stims: Tensor[];
  stimMeta: Meta[];
  nrnMeta: Meta[];
  responses: Tensor<'float32'>[][];
  sessionMeta: Record<string, Meta>;
}

const BUILT = Symbol('built');

function resolve(o: Downer2025Options): Resolved {
  const stimuli = o.stimuli ?? 'timit';
  if (stimuli !== 'timit' && stimuli !== 'mvocs') throw new ValueError(`Downer2025Dataset: stimuli must be 'timit' or 'mvocs', got '${String(stimuli)}'`);
  const subset = o.subset ?? 'all';
  if (subset !== 'all' && subset !== 'estimation' && subset !== 'test') throw new ValueError(`Downer2025Dataset: subset must be 'all', 'estimation' or 'test', got '${String(subset)}'`);
  const compression = o.compression ?? 'log1p';
  if (compression !== 'cubic' && compression !== 'log1p' && compression !== 'none') throw new ValueError(`Downer2025Dataset: compression must be 'cubic', 'log1p' or 'none', got '${String(compression)}'`);
  const positive = (name: string, v: number) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`Downer2025Dataset: ${name} must be positive, got ${v}`);
    return v;
  };
  const nMels = positive('nMels', o.nMels ?? 80);
  if (!Number.isInteger(nMels)) throw new ValueError(`Downer2025Dataset: nMels must be an integer, got ${nMels}`);
  const audioFs = positive('audioFs', o.audioFs ?? 16000);
  if (!Number.isInteger(audioFs)) throw new ValueError(`Downer2025Dataset: audioFs must be an integer, got ${audioFs}`);
  const animals = o.animals === undefined || o.animals === 'all' ? null : new Set(typeof o.animals === 'string' ? [o.animals] : o.animals);
  const areas = o.areas ? new Set(o.areas.map((a) => (a === 'primary' ? 'core' : a))) : null;
  return {
    stimuli, subset, compression, nMels, audioFs, animals, areas,
    dtMs: positive('dtMs', o.dtMs ?? 5),
    specZscore: o.specZscore ?? true,
    sessions: o.sessions ? new Set(o.sessions.map(String)) : null,
    fmax: positive('fmax', o.fmax ?? 8000),
    windowMs: positive('windowMs', o.windowMs ?? 25),
    returnWaveform: o.returnWaveform ?? false,
  };
}

/** Frame shift (ms) and pooling factor of the fbank for a bin width. */
function fbankShift(dtMs: number): { shift: number; pool: number } {
  if (dtMs <= 10) return { shift: dtMs, pool: 1 };
  const pool = roundHalfEven(dtMs / 10);
  if (Math.abs(pool * 10 - dtMs) > 1e-9) throw new ValueError(`Downer2025Dataset: dtMs above 10 must be a multiple of 10 (the fbank runs at 10 ms and is pooled), got ${dtMs}`);
  return { shift: 10, pool };
}

/** Parsed `sessions_metadata.yml`. */
interface SessionsYaml {
  animal: Map<string, { animal: string; hemisphere: string }>;
  group: Map<string, string>;
  coords: Map<string, [number, number]>;
  bad: Set<string>;
  repeats: { timit: number; mVocs: number };
}

function parseSessions(bytes: Uint8Array, file: string): SessionsYaml {
  const y = parseYaml(bytes, file);
  if (y === null || typeof y !== 'object' || Array.isArray(y)) throw new FormatError(file, 'expected a mapping at the top level');
  const ids = (v: YamlValue | undefined, what: string): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw new FormatError(file, `${what} must be a list of session ids`);
    return v.map((x) => String(x));
  };
  const map = (v: YamlValue | undefined, what: string): Record<string, YamlValue> => {
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw new FormatError(file, `${what} must be a mapping`);
    return v;
  };
  const animal = new Map<string, { animal: string; hemisphere: string }>();
  for (const key of Object.keys(y)) {
    const m = /^([a-z])_(RH|LH)_sessions$/.exec(key);
    if (m) for (const id of ids(y[key], key)) animal.set(id, { animal: m[1], hemisphere: m[2] });
  }
  const group = new Map<string, string>();
  for (const [g, list] of Object.entries(map(y.area_wise_sessions, 'area_wise_sessions'))) {
    for (const id of ids(list, `area_wise_sessions.${g}`)) group.set(id, g);
  }
  const coords = new Map<string, [number, number]>();
  for (const [id, xy] of Object.entries(map(y.session_coordinates, 'session_coordinates'))) {
    if (!Array.isArray(xy) || xy.length < 2 || typeof xy[0] !== 'number' || typeof xy[1] !== 'number') {
      throw new FormatError(file, `session_coordinates.${id} must be [x, y], got ${JSON.stringify(xy)}`);
    }
    coords.set(id, [xy[0], xy[1]]);
  }
  const reps = map(y.stim_wise_num_repeats, 'stim_wise_num_repeats');
  const num = (v: YamlValue | undefined, what: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new FormatError(file, `stim_wise_num_repeats.${what} must be an integer, got ${JSON.stringify(v ?? null)}`);
    return v;
  };
  return { animal, group, coords, bad: new Set(ids(y.bad_sessions, 'bad_sessions')), repeats: { timit: num(reps.timit, 'timit'), mVocs: num(reps.mVocs, 'mVocs') } };
}

/** `<animal>_<session>_Ch<N>[<suffix>]_MUspk.mat` → its parts, or null when not a channel file. @example `parseDownerChannelFile('b_180413_Ch1p_MUspk.mat') // { animal: 'b', session: '180413', channel: 1, suffix: 'p' }` */
export function parseDownerChannelFile(name: string): { animal: string; session: string; channel: number; suffix: string | null } | null {
  if (!name.endsWith('_MUspk.mat')) return null;
  const parts = name.slice(0, -'_MUspk.mat'.length).split('_');
  if (parts.length < 3) return null;
  const m = CHANNEL_TOKEN.exec(parts[2]);
  if (!m) return null;
  return { animal: parts[0], session: parts[1], channel: Number(m[1]), suffix: m[2] ?? null };
}

interface Channel { file: string; meta: Meta }
interface Session { id: string; channels: Channel[]; stimon: Float64Array; codes: Float64Array }
interface Entry { name: string; stimId: number; sound: Float32Array; soundf: number; durationS: number; type: 'timit' | 'mvoc'; extra: Meta }

function structOf(v: MatValue | undefined, file: string, what: string): MatStruct {
  if (!v || v.kind !== 'struct') throw new FormatError(file, `${what} is ${v ? `a ${v.kind}` : 'missing'}, expected a struct`);
  return v;
}
function numbersOf(v: MatValue | undefined, file: string, what: string): Float64Array {
  if (!v || (v.kind !== 'numeric' && v.kind !== 'logical')) throw new FormatError(file, `${what} is ${v ? `a ${v.kind}` : 'missing'}, expected numbers`);
  const d = v.data;
  if (d instanceof Float64Array) return d;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Float64Array.from(d, Number);
  return Float64Array.from(d);
}
function textOf(v: MatValue | undefined, file: string, what: string): string {
  if (!v || v.kind !== 'char') throw new FormatError(file, `${what} is ${v ? `a ${v.kind}` : 'missing'}, expected text`);
  return v.text;
}

/** The build: one generator run by `runSync` (constructor) or `runAsync` (`load`). */
function* buildDowner(o: Resolved): Build<DownerBuilt> {
  const root = yield* fs.root();
  const at = (rel: string) => fileLabel(root, rel);
  const mat = (rel: string, bytes: Uint8Array, opts: Parameters<typeof readMat>[2]) => parsing(root, rel, () => readMat(bytes, at(rel), opts));
  // The source is the release folder, or holds it as `auditory_cortex_data/` (the folder above
  // it, or the Zenodo archive itself opened as a ZipSource).
  let base = '';
  if ((yield* fs.stat('sessions'))?.kind !== 'directory') {
    base = `${DOWNER2025_ROOT}/`;
    if ((yield* fs.stat(`${base}sessions`))?.kind !== 'directory') {
      throw new DatasetValidationError(`Downer2025Dataset: ${at('sessions')} not found; download the release with \`await Downer2025Dataset.load({ download: true })\``);
    }
  }
  const r = (rel: string) => base + rel;
  const ymlBytes = yield* fs.read(r(YAML_FILE));
  const yml = parsing(root, r(YAML_FILE), () => parseSessions(ymlBytes, at(r(YAML_FILE))));
  const { shift, pool } = fbankShift(o.dtMs);

  // 1. Neurons.
  const sessions: Session[] = [];
  const nrnMeta: Meta[] = [];
  const sessionMeta: Record<string, Meta> = {};
  const dirs = (yield* fs.list(r('sessions'))).filter((e) => e.kind === 'directory').map((e) => e.name).sort();
  for (const id of dirs) {
    if ((o.sessions && !o.sessions.has(id)) || yml.bad.has(id)) continue;
    const files = (yield* fs.list(r(`sessions/${id}`))).filter((e) => e.kind === 'file' && e.name.includes('MUspk')).map((e) => e.name).sort();
    const info = yml.animal.get(id);
    const group = yml.group.get(id) ?? null;
    const area = DOWNER2025_SESSION_AREAS[id] ?? null;
    const parsed = files.map((f) => ({ f, p: parseDownerChannelFile(f) }));
    const animal = info?.animal ?? parsed.find((x) => x.p)?.p?.animal ?? null;
    if (o.animals && (animal === null || !o.animals.has(animal))) continue;
    if (o.areas && !((group !== null && o.areas.has(group)) || (area !== null && o.areas.has(area)))) continue;
    const xy = yml.coords.get(id);
    const channels: Channel[] = [];
    for (const { f, p } of parsed) {
      if (!p) continue;
      const cellId = `${p.animal}_${p.session}_Ch${p.channel}${p.suffix ?? ''}`;
      channels.push({
        file: r(`sessions/${id}/${f}`),
        meta: {
          cellId, sessionId: id, animalId: animal, hemisphere: info?.hemisphere ?? null, areaGroup: group, area,
          channel: p.channel, channelSuffix: p.suffix, nChannelsInSession: files.length,
          coordX: xy ? xy[0] : null, coordY: xy ? xy[1] : null, recordingType: 'multi-unit',
        },
      });
    }
    if (channels.length === 0) continue;
    sessions.push({ id, channels, stimon: new Float64Array(0), codes: new Float64Array(0) });
    sessionMeta[id] = { animalId: animal, hemisphere: info?.hemisphere ?? null, areaGroup: group, area, nChannels: files.length, coordX: xy ? xy[0] : null, coordY: xy ? xy[1] : null };
    for (const c of channels) nrnMeta.push(c.meta);
  }
  if (nrnMeta.length === 0) throw new DatasetValidationError(`Downer2025Dataset: no channel of ${at('sessions')} passes the session / animal / area filters`);

  // 2. Trial structs (and the first channel's spikes, so that file is read once).
  const codeField = o.stimuli === 'timit' ? 'timitStimcode' : 'mVocStimcode';
  const firstSpikes: Float64Array[] = [];
  for (const s of sessions) {
    const file = s.channels[0].file;
    const vars = mat(file, yield* fs.read(file), { variables: ['trial', 'spike'], keepFields: TRIAL_FIELDS, copy: false });
    const trial = structOf(vars.trial, at(file), 'trial').elements[0];
    s.stimon = numbersOf(trial?.stimon, at(file), 'trial.stimon');
    s.codes = numbersOf(trial?.[codeField], at(file), `trial.${codeField}`);
    if (s.codes.length !== s.stimon.length) throw new FormatError(at(file), `trial.${codeField} has ${s.codes.length} values but trial.stimon has ${s.stimon.length}`);
    firstSpikes.push(spikeTimes(vars, at(file)));
  }

  // 3. Stimulus entries and the test split.
  const entries = o.stimuli === 'timit' ? yield* timitEntries(root, r(TIMIT_FILE)) : yield* mvocEntries(root, r(MVOC_CODES_FILE), r(MVOC_WAV));
  const needed = o.stimuli === 'timit' ? yml.repeats.timit : yml.repeats.mVocs;
  const test = new Set<number>();
  if (o.stimuli === 'timit') {
    for (const s of sessions) {
      const count = new Map<number, number>();
      for (const c of s.codes) if (c !== 0) count.set(c, (count.get(c) ?? 0) + 1);
      for (const [c, n] of count) if (n >= needed) test.add(c);
    }
  } else {
    for (const e of entries) if (e.extra.nRepsInWav === needed) test.add(e.stimId);
  }
  const kept = entries.filter((e) => o.subset === 'all' || (o.subset === 'test') === test.has(e.stimId));
  if (kept.length === 0) throw new DatasetValidationError(`Downer2025Dataset: no ${o.stimuli} stimulus in subset '${o.subset}'`);

  // 4. Stimuli.
  const stims: Tensor[] = [];
  const stimMeta: Meta[] = [];
  const T = kept.map((e) => roundHalfEven((e.durationS * 1000) / o.dtMs));
  kept.forEach((e, i) => {
    const wave = e.soundf === o.audioFs ? e.sound : resample(e.sound, e.soundf, o.audioFs, { kernelDtype: 'float32' }); // torchaudio on float32 sounds
    if (o.returnWaveform) {
      const hop = roundHalfEven((o.audioFs * o.dtMs) / 1000);
      stims.push(tensor('float32', [1, T[i] * hop], cropOrPad(wave, T[i] * hop)));
    } else {
      stims.push(fbankStim(wave, o, shift, pool, T[i]));
    }
    const split = test.has(e.stimId) ? 'test' : 'estimation';
    stimMeta.push({
      name: e.name, type: e.type, stimId: e.stimId, durationS: e.durationS, nSamples: e.sound.length, split,
      nRepsCanonical: split === 'test' ? needed : 1, befaftS: [0, 0], ...e.extra,
    });
  });

  // 5. Responses.
  const index = new Map(kept.map((e, i) => [e.stimId, i]));
  const responses: Tensor<'float32'>[][] = kept.map(() => []);
  const dtS = o.dtMs / 1000;
  let n0 = 0;
  for (const [si, s] of sessions.entries()) {
    const onsets = new Map<number, number[]>();
    s.codes.forEach((c, k) => {
      if (c !== 0 && index.has(c)) {
        const list = onsets.get(c) ?? [];
        list.push(s.stimon[k]);
        onsets.set(c, list);
      }
    });
    for (const [ci, ch] of s.channels.entries()) {
      let spikes: Float64Array;
      if (ci === 0) spikes = firstSpikes[si];
      else spikes = spikeTimes(mat(ch.file, yield* fs.read(ch.file), { variables: ['spike'], keepFields: ['spktimes'], copy: false }), at(ch.file));
      spikes = Float64Array.from(spikes).sort();
      kept.forEach((e, i) => {
        const on = onsets.get(e.stimId);
        responses[i][n0 + ci] = on ? binSpikes(spikes, on, T[i], dtS) : tensor('float32', [1, 1], Float32Array.of(Number.NaN));
      });
    }
    n0 += s.channels.length;
  }
  return { stims, stimMeta, nrnMeta, responses, sessionMeta };
}

function spikeTimes(vars: Record<string, MatValue>, file: string): Float64Array {
  const spike = structOf(vars.spike, file, 'spike').elements[0];
  return numbersOf(spike?.spktimes, file, 'spike.spktimes');
}

/** Counts in [onset + i·dt, onset + (i+1)·dt), i < T, per onset → (R, T); `spikes` sorted. */
function binSpikes(spikes: Float64Array, onsets: number[], T: number, dtS: number): Tensor<'float32'> {
  const out = new Float32Array(onsets.length * T);
  const span = T * dtS;
  // Bin edges as np.linspace(0, T·dt, T + 1); np.histogram puts x in [edge_i, edge_{i+1}).
  const edges = new Float64Array(T + 1);
  for (let i = 0; i <= T; i++) edges[i] = i === T ? span : i * (span / T);
  onsets.forEach((on, r) => {
    let lo = 0, hi = spikes.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (spikes[m] - on < 0) lo = m + 1; else hi = m; }
    for (let k = lo; k < spikes.length; k++) {
      const rel = spikes[k] - on;
      if (rel >= span) break;
      if (rel < 0) continue;
      let b = Math.min(T - 1, Math.floor(rel / dtS));
      while (b > 0 && rel < edges[b]) b--;
      while (b < T - 1 && rel >= edges[b + 1]) b++;
      out[r * T + b] += 1;
    }
  });
  return tensor('float32', [onsets.length, T], out);
}

/** Kaldi fbank of one sound → pooled, z-scored, cropped/padded `(1, F, T)`. */
function fbankStim(wave: Float32Array, o: Resolved, shift: number, pool: number, T: number): Tensor<'float32'> {
  const scaled = new Float32Array(wave.length);
  for (let i = 0; i < wave.length; i++) scaled[i] = wave[i] * 32768;
  const fb = kaldiFbank(scaled, {
    numMelBins: o.nMels, windowType: 'hanning', sampleFrequency: o.audioFs, frameLength: o.windowMs,
    frameShift: shift, lowFreq: 0, highFreq: o.fmax,
  });
  const F = o.nMels;
  const frames = Math.floor(fb.shape[0] / pool);
  const spec = new Float64Array(F * frames);
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < F; f++) {
      let acc = 0;
      for (let p = 0; p < pool; p++) acc += fb.data[(t * pool + p) * F + f];
      spec[f * frames + t] = acc / pool;
    }
  }
  const out = new Float32Array(F * T);
  for (let f = 0; f < F; f++) {
    const row = spec.subarray(f * frames, (f + 1) * frames);
    let mean = 0, sd = 1;
    if (o.specZscore && frames > 0) {
      let sum = 0;
      for (let t = 0; t < frames; t++) sum += row[t];
      mean = sum / frames;
      let ss = 0;
      for (let t = 0; t < frames; t++) ss += (row[t] - mean) ** 2;
      sd = Math.max(Math.sqrt(ss / frames), 1e-9);
    }
    for (let t = 0; t < Math.min(T, frames); t++) out[f * T + t] = (row[t] - mean) / sd;
  }
  return tensor('float32', [1, F, T], out);
}

function* timitEntries(root: string, rel: string): Build<Entry[]> {
  const file = fileLabel(root, rel);
  const bytes = yield* fs.read(rel);
  const vars = parsing(root, rel, () => readMat(bytes, file, {
    variables: ['sentdet'], keepFields: ['name', 'sentId', 'sound', 'soundf', 'befaft'], copy: false,
  }));
  const sd = structOf(vars.sentdet, file, 'sentdet');
  return sd.elements.map((el, i) => {
    const w = `sentdet(${i + 1})`;
    const sound = numbersOf(el.sound, file, `${w}.sound`);
    const soundf = numbersOf(el.soundf, file, `${w}.soundf`)[0];
    const befaft = numbersOf(el.befaft, file, `${w}.befaft`);
    if (befaft.length < 2 || !(soundf > 0)) throw new FormatError(file, `${w}: befaft needs 2 values and soundf must be positive, got ${befaft.length} values and ${soundf}`);
    const a = roundHalfEven(befaft[0] * soundf), b = roundHalfEven(befaft[1] * soundf);
    if (a + b >= sound.length) throw new FormatError(file, `${w}: trimming ${a} + ${b} samples of silence leaves nothing of ${sound.length}`);
    const speech = Float32Array.from(sound.subarray(a, sound.length - b));
    return {
      name: textOf(el.name, file, `${w}.name`), stimId: numbersOf(el.sentId, file, `${w}.sentId`)[0], sound: speech, soundf,
      durationS: speech.length / soundf, type: 'timit' as const, extra: {},
    };
  });
}

function* mvocEntries(root: string, codesRel: string, wavRel: string): Build<Entry[]> {
  const codesFile = fileLabel(root, codesRel);
  const bytes = yield* fs.read(codesRel);
  const vars = parsing(root, codesRel, () => readMat(bytes, codesFile, { variables: ['mVocsStimCodes', 'mVocsStimOnTimes'] }));
  const codes = numbersOf(vars.mVocsStimCodes, codesFile, 'mVocsStimCodes');
  const ons = numbersOf(vars.mVocsStimOnTimes, codesFile, 'mVocsStimOnTimes');
  if (codes.length !== ons.length || codes.length === 0) throw new FormatError(codesFile, `mVocsStimCodes has ${codes.length} values and mVocsStimOnTimes ${ons.length}; expected the same non-zero count`);
  const wav = yield* wavReader(root, wavRel);
  const wavDur = wav.frames / wav.rate;
  const slots = new Map<number, { dur: number; on: number; n: number }>();
  codes.forEach((c, k) => {
    const dur = (k + 1 < ons.length ? ons[k + 1] : wavDur) - ons[k];
    const s = slots.get(c);
    if (!s) slots.set(c, { dur, on: ons[k], n: 1 });
    else { s.dur = Math.min(s.dur, dur); s.on = Math.min(s.on, ons[k]); s.n++; }
  });
  const out: Entry[] = [];
  for (const id of [...slots.keys()].sort((a, b) => a - b)) {
    const s = slots.get(id)!;
    const start = roundHalfEven(s.on * wav.rate), n = roundHalfEven(s.dur * wav.rate);
    const sound = yield* wav.read(start, n);
    out.push({
      name: `mvoc_${String(id).padStart(3, '0')}`, stimId: id, sound, soundf: wav.rate, durationS: s.dur, type: 'mvoc',
      extra: { nRepsInWav: s.n },
    });
  }
  return out;
}

/** Random access to the frames of a (long) WAV: the header once, then byte ranges (mono by channel mean). */
function* wavReader(root: string, rel: string): Build<{ rate: number; frames: number; read(start: number, n: number): Build<Float32Array> }> {
  const file = fileLabel(root, rel);
  const size = (yield* fs.stat(rel))?.size;
  if (size === undefined) throw new FormatError(file, 'file not found');
  let head = yield* fs.read(rel, 0, Math.min(size, 1 << 16));
  // Find the data chunk (its header may sit after large metadata chunks).
  let off = 12, dataAt = -1, dataSize = 0;
  while (off + 8 <= size) {
    if (off + 8 > head.length) head = yield* fs.read(rel, 0, Math.min(size, off + (1 << 16)));
    const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const id = String.fromCharCode(head[off], head[off + 1], head[off + 2], head[off + 3]);
    const len = v.getUint32(off + 4, true);
    if (id === 'data') { dataAt = off + 8; dataSize = Math.min(len, size - dataAt); break; }
    off += 8 + len + (len & 1);
  }
  if (dataAt < 0 || head.length < 12 || String.fromCharCode(...head.subarray(8, 12)) !== 'WAVE') throw new FormatError(file, "no RIFF/WAVE 'data' chunk", 12);
  const header = head.slice(0, dataAt);
  const info = parsing(root, rel, () => decodeWav(header, { name: file, frames: 0 }));
  const frameBytes = (info.format === 'float64' ? 8 : info.format === 'pcm8' ? 1 : info.format === 'pcm24' ? 3 : info.format === 'pcm16' ? 2 : 4) * info.channels;
  const frames = Math.floor(dataSize / frameBytes);
  return {
    rate: info.sampleRate, frames,
    *read(start: number, n: number): Build<Float32Array> {
      if (start < 0 || start + n > frames) throw new FormatError(file, `frames [${start}, ${start + n}) are outside the ${frames} frames of the file`);
      const body = yield* fs.read(rel, dataAt + start * frameBytes, dataAt + (start + n) * frameBytes);
      const bytes = new Uint8Array(header.length + body.length);
      bytes.set(header);
      bytes.set(body, header.length);
      const d = parsing(root, rel, () => decodeWav(bytes, { name: file })).data;
      const C = d.shape[0];
      const mono = new Float32Array(n);
      for (let c = 0; c < C; c++) for (let i = 0; i < n; i++) mono[i] += d.data[c * n + i];
      if (C > 1) for (let i = 0; i < n; i++) mono[i] /= C;
      return mono;
    },
  };
}

/**
 * The Downer 2025 dataset (1718 multi-unit channels of 3 squirrel monkeys, TIMIT or mVocs).
 * @example
 * ```ts
 * const ds = new Downer2025Dataset({ path: '/data/auditory_cortex_data', stimuli: 'timit', areas: ['core'] });
 * const mv = await Downer2025Dataset.load({ download: true, stimuli: 'mvocs', subset: 'test' });
 * ```
 */
export class Downer2025Dataset extends AudioNeuralDataset {
  /** Species of the release. */
  readonly species = 'squirrel monkey';
  /** Behavioural state during recording. */
  readonly behavioralState = 'awake-passive';
  readonly stimuli: 'timit' | 'mvocs';
  readonly subset: 'all' | 'estimation' | 'test';
  readonly fmax: number;
  readonly compression: 'cubic' | 'log1p' | 'none';
  readonly specZscore: boolean;
  readonly windowMs: number;
  readonly smooth: boolean;
  /** The spectrogram rate in Hz (16 000): set in both modes, as the reference. */
  readonly spectrogramFs: number;
  /** Per session: animal, hemisphere, areas, channel count, coordinates. */
  readonly sessionMeta: Readonly<Record<string, Meta>>;

  constructor(options: Downer2025Options & { [BUILT]?: DownerBuilt } = {}) {
    const path = options.path ?? `${defaultCacheDir(DOWNER2025_CACHE)}/${DOWNER2025_ROOT}`;
    const o = resolve(options);
    super(path, o.dtMs);
    const b = options[BUILT] ?? zooBuildSync('Downer2025Dataset', options, path, () => buildDowner(o));
    this.stimuli = o.stimuli;
    this.subset = o.subset;
    this.fmax = o.fmax;
    this.compression = o.compression;
    this.specZscore = o.specZscore;
    this.windowMs = o.windowMs;
    this.smooth = options.smooth ?? true;
    this.spectrogramFs = o.audioFs;
    this.sessionMeta = b.sessionMeta;
    this.F = o.nMels;
    this.returnWaveform = o.returnWaveform;
    this.audioFs = o.returnWaveform ? o.audioFs : null;
    this.hearingRangeHz = null;
    this.assignBuilt(b);
    if (this.smooth) this.smoothResponses({ windowMs: 21 });
    this.validate();
  }

  /**
   * Builds the dataset from any file source (Node or browser); `download: true` fetches and
   * unpacks the Zenodo archive first, into the folder above `path` (default: the cache folder
   * `Downer2025`), skipping both when `auditory_cortex_data/sessions` is already there.
   * @example
   * ```ts
   * const ds = await Downer2025Dataset.load({ source: myFolderSource, stimuli: 'mvocs' });
   * ```
   */
  static async load(options: Downer2025Options & ZooLoadOptions = {}): Promise<Downer2025Dataset> {
    const o = resolve(options);
    const { source, download, onProgress, mirror, signal, ...rest } = options;
    if (download && source) throw new ValueError('Downer2025Dataset.load: download: true fills the cache folder; it cannot be combined with `source`');
    const path = options.path ?? (source ? source.root : `${defaultCacheDir(DOWNER2025_CACHE)}/${DOWNER2025_ROOT}`);
    if (download) {
      // The archive unpacks `auditory_cortex_data/` into the folder above `path`.
      const parts = path.replace(/\/+$/, '').split('/');
      if (parts[parts.length - 1] !== DOWNER2025_ROOT) throw new ValueError(`Downer2025Dataset.load: with download: true, path must end with '${DOWNER2025_ROOT}' (the archive's folder), got '${path}'`);
      await downloadDataset(downer2025Manifest({ mirror }), { root: parts.slice(0, -1).join('/') || '.', onProgress, signal });
    }
    const b = await runAsync(buildDowner(o), source ?? (await platform.openWritableSource(path)));
    return new Downer2025Dataset({ ...rest, path, [BUILT]: b });
  }
}

/**
 * The Zenodo download: one ZIP64 archive unpacked into the cache folder (anchor `sessions/`).
 * `mirror` replaces `https://zenodo.org/records/16175377/files`.
 * @example
 * ```ts
 * downer2025Manifest().files[0].url; // 'https://zenodo.org/records/16175377/files/auditory_cortex_data.zip/content'
 * ```
 */
export function downer2025Manifest(options: { mirror?: string } = {}): DatasetManifest {
  const base = options.mirror?.replace(/\/+$/, '') ?? `https://zenodo.org/records/${DOWNER2025_ZENODO_RECORD}/files`;
  const name = 'auditory_cortex_data.zip';
  return {
    name: DOWNER2025_CACHE,
    files: [{ path: name, url: options.mirror ? `${base}/${name}` : `${base}/${name}/content`, archive: 'zip', extractTo: '', anchor: `${DOWNER2025_ROOT}/sessions` }],
  };
}

/**
 * Registry entry of {@link Downer2025Dataset}.
 * @example
 * ```ts
 * const ds = await downer2025Entry.load({ path: '/data/auditory_cortex_data' });
 * ```
 */
export const downer2025Entry: DatasetEntry = {
  name: 'downer2025',
  className: 'Downer2025Dataset',
  description: 'Squirrel monkey auditory cortex multi-unit activity to TIMIT sentences and monkey vocalisations (Downer/Ahmed 2025)',
  species: 'squirrel monkey',
  area: 'A1, R (core); CL, ML, AL, CPB, RPB (non-primary); multi-unit',
  size: '29 GB',
  licence: 'CC BY 4.0',
  citation: 'Downer J. D. et al. (2025), Zenodo 10.5281/zenodo.16175377; Ahmed et al. (2025)',
  accountNeeded: false,
  cacheFolder: DOWNER2025_CACHE,
  manifest: (o) => downer2025Manifest({ mirror: o.mirror }),
  load: (o) => Downer2025Dataset.load(o as Downer2025Options & ZooLoadOptions),
};
