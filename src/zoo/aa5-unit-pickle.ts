/**
 * One CRCNS-AA5 unit file (`goodPlayback-e<E>-c<C>.pkl`: three pickles `unitInfo`, `dfAbsTime`,
 * `dfRelTime` written by pandas 1.x) read without Python (src/io/pickle.ts), and turned into what
 * the preparer stores: the `units.json` entry, and per stimulus row its waveform, rate, trials
 * (trial id + spike times) and labels. See docs/zoo/aa5.md ("Preparing the raw release").
 * @module
 */
import { FormatError } from '../errors.js';
import { loadPickles, PickleDataError, type PyKey, type PyValue } from '../io/pickle.js';
import { NDArray } from '../io/pickle-numpy.js';
import { PdDataFrame } from '../io/pickle-pandas.js';
import { pickleToPyJson, pyFloatArray, pyFloatOrNull, pyIntOrNull, pyRoundedList } from '../io/pickle-convert.js';
import type { PyJson } from '../io/py-json.js';
import { roundHalfEven } from '../util/round.js';
import { parseAA5Site } from './aa5-sites.js';

const UNIT_FILE = /goodPlayback-e(\d+)-c(\d+)\.pkl$/;

/** One `dfRelTime` row: a stimulus and the unit's trials of it. @example `row.trials[0] // { trial: 4, spikes: Float64Array [...] }` */
export interface AA5StimulusRow {
  /** Stimulus file name (`file`). */
  file: string;
  /** `round(1 / (tStim[1] − tStim[0]))`. */
  fs: number;
  /** `stimWav` as float64 (int16 units, −0.5 … 4.5 s). */
  wav: Float64Array;
  /** `zip(trialInd, spikeTimes)`: trial id (`int`) and spike times (s re. onset). */
  trials: Array<{ trial: number; spikes: Float64Array }>;
  callType: PyJson;
  relationShort: PyJson;
  /** `micWav[k]`: the cage-mic recording of the row's k-th trial (25 kHz, float64). @throws PickleDataError when there is none */
  mic(k: number): Float64Array;
}

/** A unit file read: its `units.json` entry, its stimulus rows, and the absolute times of its playbacks. @example `u.unit.cell_id // 'ZF4F_..._e3-c12'` */
export interface AA5UnitFile {
  unit: { [key: string]: PyJson };
  rows: AA5StimulusRow[];
  /** `dfAbsTime.loc[trial]`: `start_time` and `duration` as `_as_float` (null if absent or not finite), or null when the trial is not in the index. */
  absTimes(trial: number): { startTime: number | null; duration: number | null } | null;
}

/** `_as_float`: Python float, null when not convertible or not finite. */
const finiteOrNull = (v: PyValue): number | null => {
  const x = pyFloatOrNull(v);
  return x !== null && Number.isFinite(x) ? x : null;
};

function sequence(v: PyValue, what: string): PyValue[] {
  if (v instanceof NDArray) {
    if (v.shape.length !== 1) throw new PickleDataError(`${what} is a ${v.shape.length}-D array, expected 1-D`);
    return Array.from({ length: v.size }, (_, i) => v.item(i));
  }
  if (Array.isArray(v)) return [...(v as readonly PyValue[])];
  throw new PickleDataError(`${what} is not a list or array`);
}

/** The `units.json` entry of a unit (the preparer's field rules; docs/zoo/aa5.md). */
function unitEntry(info: Map<PyKey, PyValue>, fileName: string, site: string): { [key: string]: PyJson } {
  const m = UNIT_FILE.exec(fileName);
  const get = (k: string): PyValue => info.get(k) ?? null;
  const electrode = pyIntOrNull(get('Electrode'));
  const nStim = pyIntOrNull(get('nStim'));
  return {
    cell_id: `${site}_${fileName.slice(13, -4)}`,
    file: fileName,
    bird: info.has('Bird') ? pickleToPyJson(get('Bird'), 'unitInfo Bird') : parseAA5Site(site).bird,
    site,
    electrode: electrode ? electrode : m ? BigInt(m[1]) : null,
    cluster: m ? BigInt(m[2]) : null,
    sort: pyIntOrNull(get('Sort')),
    spike_snr: finiteOrNull(get('SpikeSNR')),
    rate_threshold: finiteOrNull(get('RateThreshold')),
    kde_bw: finiteOrNull(get('KDE_BW')),
    n_stim: nStim ? nStim : 0n,
    spike_shape: pyRoundedList(info.has('SpikeShape') ? get('SpikeShape') : [], 4, 'unitInfo SpikeShape'),
    spike_std: pyRoundedList(info.has('SpikeStd') ? get('SpikeStd') : [], 4, 'unitInfo SpikeStd'),
  };
}

/** A stimulus file name stored under `stimuli/`: a plain name, never a path. */
function stimulusName(v: PyValue, row: number): string {
  if (typeof v !== 'string') throw new PickleDataError(`dfRelTime row ${row}: file is not a string`);
  if (v === '' || v === '.' || v === '..' || v === 'index.json' || /[/\\\0]/.test(v)) throw new PickleDataError(`dfRelTime row ${row}: file '${v}' is not a plain stimulus file name`);
  return v;
}

function rowsOf(rel: PdDataFrame): AA5StimulusRow[] {
  const col = (name: string) => rel.column(name);
  const [file, tStim, stimWav, trialInd, spikeTimes, callType, relation] = ['file', 'tStim', 'stimWav', 'trialInd', 'spikeTimes', 'call_type', 'relation_short'].map(col);
  const micWav = rel.columns.includes('micWav') ? col('micWav') : null;
  return file.map((f, r) => {
    const t = pyFloatArray(tStim[r], `dfRelTime row ${r} tStim`);
    if (t.length < 2) throw new PickleDataError(`dfRelTime row ${r}: tStim has ${t.length} sample(s), at least 2 are needed for the rate`);
    const fs = roundHalfEven(1 / (t[1] - t[0]));
    if (!Number.isFinite(fs) || fs < 1 || fs > 2 ** 24) throw new PickleDataError(`dfRelTime row ${r}: tStim steps give a sample rate of ${fs}`);
    const ids = sequence(trialInd[r], `dfRelTime row ${r} trialInd`);
    const spikes = sequence(spikeTimes[r], `dfRelTime row ${r} spikeTimes`);
    const trials = ids.slice(0, Math.min(ids.length, spikes.length)).map((ti, k) => {
      const id = pyIntOrNull(ti);
      if (id === null || id < -(2n ** 31n) || id >= 2n ** 31n) throw new PickleDataError(`dfRelTime row ${r}: trialInd[${k}] is not an int32 trial id`);
      return { trial: Number(id), spikes: pyFloatArray(spikes[k], `dfRelTime row ${r} spikeTimes[${k}]`) };
    });
    return {
      file: stimulusName(f, r), fs, wav: pyFloatArray(stimWav[r], `dfRelTime row ${r} stimWav`), trials,
      callType: pickleToPyJson(callType[r], `dfRelTime row ${r} call_type`),
      relationShort: pickleToPyJson(relation[r], `dfRelTime row ${r} relation_short`),
      mic: (k: number) => {
        if (!micWav) throw new PickleDataError("dfRelTime has no column 'micWav'");
        const mics = sequence(micWav[r], `dfRelTime row ${r} micWav`);
        if (k >= mics.length) throw new PickleDataError(`dfRelTime row ${r}: micWav has ${mics.length} recording(s), trial ${k} has none`);
        return pyFloatArray(mics[k], `dfRelTime row ${r} micWav[${k}]`);
      },
    };
  });
}

/**
 * Reads a unit file (`load_unit_pickle` of the reference, without executing anything) and
 * extracts what the preparer stores.
 * @param fileName the member's base name (`goodPlayback-e3-c12.pkl`): gives `cell_id`, `cluster`, the fallback `electrode`
 * @param site the site name (gives `cell_id`, the fallback `bird`)
 * @throws FormatError naming the file: pickle errors, a global that is not whitelisted, missing columns, values of the wrong kind
 * @example
 * ```ts
 * const u = readAA5UnitFile(bytes, 'goodPlayback-e3-c12.pkl', 'ZF4F_2t_190611_160843');
 * u.unit.cell_id; // 'ZF4F_2t_190611_160843_e3-c12'
 * ```
 */
export function readAA5UnitFile(bytes: Uint8Array, fileName: string, site: string): AA5UnitFile {
  const [info, abs, rel] = loadPickles(bytes, fileName, 3);
  try {
    if (!(info instanceof Map)) throw new PickleDataError('the first pickle (unitInfo) is not a dict');
    if (!(abs instanceof PdDataFrame)) throw new PickleDataError('the second pickle (dfAbsTime) is not a DataFrame');
    if (!(rel instanceof PdDataFrame)) throw new PickleDataError('the third pickle (dfRelTime) is not a DataFrame');
    const unit = unitEntry(info, fileName, site);
    const rows = rowsOf(rel);
    const start = abs.column('start_time');
    const duration = abs.column('duration');
    return {
      unit, rows,
      absTimes: (trial) => {
        const i = abs.rowOf(BigInt(trial));
        if (i < 0) return null;
        // A repeated label makes `dfAbsTime.loc[trial]` a frame: `float()` of its column fails → null.
        if (abs.countOf(BigInt(trial)) > 1) return { startTime: null, duration: null };
        return { startTime: finiteOrNull(start[i]), duration: finiteOrNull(duration[i]) };
      },
    };
  } catch (e) {
    if (e instanceof PickleDataError) throw new FormatError(fileName, e.message);
    throw e;
  }
}
