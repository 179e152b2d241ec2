/**
 * `NS1Dataset`: ferret A1 responses to 20 natural sounds (Harper et al. 2016; Rahman et al.
 * 2019/2020), built from the authors' raw release — one MATLAB v5 metadata file, 119 per-unit
 * spike files and 20 extension-less float WAVs (see the NS1 layout in the dataset zoo spec).
 *
 * Responses: spike times rounded to whole ms (half to even, as NumPy), kept in [0, 4995) ms, a
 * 1 ms raster (coincident spikes count once) summed per 5 ms bin → `(R, 999)` per unit and sound;
 * every unit heard every sound (no sentinels). Stimuli: waveforms resampled 48 828 → `audioFs`
 * and cropped/padded to 999 hops (waveform mode), or the causal mel cochleagram of those
 * waveforms (34 bands, 500–22 627 Hz, 10 ms window, 5 ms hop, log floor 1e-4; spectrogram mode).
 * @module
 */
import { platform } from '#platform';
import { DatasetValidationError, FormatError } from '../errors.js';
import { tensor } from '../tensor.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import { defaultHeap } from '../memory/heap.js';
import { readMat } from '../io/mat5.js';
import { roundHalfEven } from '../util/round.js';
import type { MatStruct, MatValue } from '../io/mat-types.js';
import { decodeWav } from '../audio/wav.js';
import { prepareWaveform } from '../audio/waveform.js';
import { CausalMelSpectrogram } from '../spectral/causal-mel.js';
import { defaultCacheDir } from '../download/cache.js';
import { downloadDataset, type DownloadProgress } from '../download/download.js';
import { ns1Manifest } from '../download/manifests/ns1.js';

/** Raw response window: spike times in [0, 4995) ms. @example `NS1_RAW_LEN_MS / 5 === NS1_BINS` */
export const NS1_RAW_LEN_MS = 4995;
/** Natural sounds (the first 20 of the 32 stimulus sets in each spike file). @example `ns1.getS() === NS1_NAT_SOUNDS` */
export const NS1_NAT_SOUNDS = 20;
/** Response bins of 5 ms per sound. @example `ns1.responses[0][0].shape[1] === NS1_BINS` */
export const NS1_BINS = 999;
/** Header sample rate of the sounds (the hardware's true rate is 48 828.125 Hz). @example `resample(x, NS1_WAV_NATIVE_FS, 48000)` */
export const NS1_WAV_NATIVE_FS = 48828;
/** Folder of the 20 sounds inside the release. @example `` `${NS1_WAV_DIR}/${NS1_WAV_NAMES[0]}` `` */
export const NS1_WAV_DIR = 'spikesandwav/SH.En.C';
/** The 20 sound files, in stimulus order. @example `NS1_WAV_NAMES[12] // 'source.2.sound.0.snr.0.token.0.fw.1.frozen.1'` */
export const NS1_WAV_NAMES: readonly string[] = [
  ...Array.from({ length: 12 }, (_, i) => `source.1.sound.0.snr.0.token.0.fw.2.frozen.${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `source.2.sound.0.snr.0.token.0.fw.1.frozen.${i + 1}`),
];
/** Rahman et al. train/validation stimuli. @example `ns1.selectStims(NS1_RAHMAN_TRAINVAL)` */
export const NS1_RAHMAN_TRAINVAL: readonly number[] = [0, 1, 2, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18];
/** Rahman et al. test stimuli. @example `ns1.selectStims(NS1_RAHMAN_TEST)` */
export const NS1_RAHMAN_TEST: readonly number[] = [3, 6, 9, 19];
const STIM_TYPES: Record<number, string> = {
  0: 'water_sounds', 19: 'water_sounds', 3: 'ferret_vocalization', 6: 'insects_buzzing',
  8: 'human_speech', 9: 'human_speech', 10: 'human_speech', 11: 'human_speech',
};

/** Reads a file of the release by its path relative to the dataset folder; `undefined` if absent. */
export type NS1FileReader = (relativePath: string) => Uint8Array | undefined;

/** Options of {@link NS1Dataset}. */
export interface NS1DatasetOptions {
  /** Folder holding `MetadataSHEnCneurons.mat` and `spikesandwav/` (default: the cache folder `NS1`). */
  path?: string;
  /** Fetch missing files first. Needs the async factory `NS1Dataset.load` (a constructor cannot wait). */
  download?: boolean;
  /** Stimuli as `(1, 999·hop)` waveforms instead of `(1, 34, 999)` spectrograms. Default false. */
  returnWaveform?: boolean;
  /** Waveform rate in Hz (default 48 000, hop 240); must give an integer hop at 5 ms. */
  audioFs?: number;
  /** Response bin width; NS1 exists only at 5 ms. */
  dtMs?: number;
  /** Hanning-smooth responses (21 ms, the reference default). Default true. */
  smooth?: boolean;
  /** Keep only the 73 units of the authors' filter (`singleT` Yes/Maybe and depth ≥ 0). Default false. */
  singleUnitsOnly?: boolean;
  /**
   * Spectrogram source in spectrogram mode: `'dnet'` = the reference's precomputed cochleagram
   * `X_nfht` of `test_data_5ms.mat` (DNet repository; F from its second axis); `'causal-mel'` =
   * `CausalMelSpectrogram` of the release's sounds (34 bands, NS1 settings); `'auto'` (default) =
   * `'dnet'` when that file is in the folder, else `'causal-mel'`.
   */
  spectrogram?: 'auto' | 'dnet' | 'causal-mel';
  /** Where file bytes come from (default: the folder `path`, read synchronously; Node only). */
  readFile?: NS1FileReader;
  /** Called for each unit skipped because its spike file is missing. */
  onWarning?: (message: string) => void;
}

/** Options of the async factory {@link NS1Dataset.load}. */
export interface NS1LoadOptions extends Omit<NS1DatasetOptions, 'readFile'> {
  /** Download progress (with `download: true`). */
  onProgress?: (p: DownloadProgress) => void;
  /** Mirror base URL for the download (see `ns1Manifest`). */
  mirror?: string;
  signal?: AbortSignal;
}

const META_FILE = 'MetadataSHEnCneurons.mat';
/** The DNet repository's precomputed spectrogram (not part of the OSF release). @example `new NS1Dataset({ path, spectrogram: 'dnet' }) // reads NS1_DNET_FILE` */
export const NS1_DNET_FILE = 'test_data_5ms.mat';

/**
 * The NS1 dataset (119 units, 20 natural sounds, 20 repeats, 5 ms bins).
 * @example
 * ```ts
 * const ns1 = new NS1Dataset({ path: '/data/NS1', singleUnitsOnly: true }); // Node, synchronous
 * const wave = await NS1Dataset.load({ download: true, returnWaveform: true }); // Node or browser
 * ns1.selectStims(NS1Dataset.rahmanSplit().test);
 * ```
 */
export class NS1Dataset extends AudioNeuralDataset {
  /** Where the files were read from. */
  readonly options: Readonly<NS1DatasetOptions>;
  /** Where the spectrograms came from (`null` in waveform mode). */
  readonly spectrogramSource: 'dnet' | 'causal-mel' | null;

  constructor(options: NS1DatasetOptions = {}) {
    const path = options.path ?? defaultCacheDir('NS1');
    super(path, options.dtMs ?? 5);
    this.options = options;
    if (this.dtMs !== 5) throw new DatasetValidationError(`NS1Dataset: dtMs must be 5 (the only bin width of the release), got ${this.dtMs}`);
    if (options.download) {
      throw new DatasetValidationError('NS1Dataset: download: true needs the async factory: `await NS1Dataset.load({ download: true, ... })`');
    }
    const read = options.readFile ?? folderReader(path);
    const need = (rel: string): Uint8Array => {
      const bytes = read(rel);
      if (!bytes) throw new FormatError(joinPath(path, rel), 'file not found (download it with `deepstrf download ns1` or `NS1Dataset.load({ download: true })`)');
      return bytes;
    };
    this.hearingRangeHz = [200, 40000];
    // The DNet cochleagram, when present (or demanded): F comes from it, as in the reference.
    const mode = options.spectrogram ?? 'auto';
    const dnetBytes = mode === 'causal-mel' ? undefined : read(NS1_DNET_FILE);
    if (mode === 'dnet' && !dnetBytes) need(NS1_DNET_FILE);
    const dnet = dnetBytes ? readDnet(dnetBytes, joinPath(path, NS1_DNET_FILE)) : null;
    this.F = dnet ? dnet.F : 34;
    this.returnWaveform = options.returnWaveform ?? false;
    const audioFs = options.audioFs ?? 48000;
    this.audioFs = this.returnWaveform ? audioFs : null;

    // Units: metadata first, so the single-unit filter skips their spike files entirely.
    const units = readUnits(need(META_FILE), joinPath(path, META_FILE));
    const kept = options.singleUnitsOnly ? units.filter((u) => (u.singleT === 'Yes' || u.singleT === 'Maybe') && u.depthUm >= 0) : units;
    const rows: HeapTensor[][] = Array.from({ length: NS1_NAT_SOUNDS }, () => []);
    for (const u of kept) {
      const rel = `spikesandwav/${u.path}`;
      let file = rel;
      let bytes = read(rel);
      if (!bytes) {
        file = rel.replace(/\.mat$/, '_1.mat');
        bytes = read(file);
      }
      if (!bytes) {
        options.onWarning?.(`NS1Dataset: skipping unit ${u.cellId}: neither ${rel} nor ${file} exists`);
        continue;
      }
      const cells = unitResponses(bytes, joinPath(path, file));
      cells.forEach((c, s) => rows[s].push(c));
      this.nrnMeta.push({
        cellId: u.cellId, area: 'A1', depthUm: u.depthUm, noiseRatio: u.noiseRatio, singleT: u.singleT,
        singleN: u.singleN, nElectrodes: u.nElectrodes, electrodeNumber: u.electrodeNumber,
      });
    }
    this.responses = rows;
    this.nNeurons = this.nrnMeta.length;

    // Stimuli: decode, mono, resample to the target rate, lock to 999 hops.
    const fs = this.returnWaveform ? audioFs : 48000;
    const hop = (fs * 5) / 1000;
    if (!Number.isInteger(hop)) {
      throw new DatasetValidationError(`NS1Dataset: audioFs ${fs} Hz gives ${hop} samples per 5 ms bin, not an integer number of samples`);
    }
    this.spectrogramSource = this.returnWaveform ? null : dnet ? 'dnet' : 'causal-mel';
    const mel = this.spectrogramSource === 'causal-mel' ? new CausalMelSpectrogram({ audioFs: fs }) : null;
    NS1_WAV_NAMES.forEach((name, s) => {
      const rel = `${NS1_WAV_DIR}/${name}`;
      const meta = { name: `nat${String(s + 1).padStart(2, '0')}`, type: STIM_TYPES[s] ?? 'unknown', file: rel };
      if (this.spectrogramSource === 'dnet' && dnet) {
        this.stims.push(dnet.stim(s));
        this.stimMeta.push(meta);
        return;
      }
      const wav = decodeWav(need(rel), { name: joinPath(path, rel) });
      const wave = prepareWaveform(wav.data, { fromFs: wav.sampleRate, toFs: fs, length: NS1_BINS * hop });
      if (mel) {
        const spec = mel.forward({ dtype: 'float32', shape: [1, 1, wave.shape[1]], data: wave.data });
        this.stims.push(tensor('float32', [1, 34, NS1_BINS], spec.data));
      } else {
        this.stims.push(wave);
      }
      this.stimMeta.push(meta);
    });
    if (options.smooth ?? true) this.smoothResponses({ windowMs: 21 });
    this.validate();
  }

  /**
   * Reads (and with `download: true` first fetches) the release asynchronously, then builds the
   * dataset: works in Node and in browsers (files in the Origin Private File System there).
   * @example
   * ```ts
   * const ds = await NS1Dataset.load({ download: true, onProgress: (p) => console.log(p.loaded) });
   * ```
   */
  static async load(options: NS1LoadOptions = {}): Promise<NS1Dataset> {
    const path = options.path ?? defaultCacheDir('NS1');
    if (options.download) {
      await downloadDataset(ns1Manifest({ mirror: options.mirror, spectrogram: false, readme: false }), {
        root: path, onProgress: options.onProgress, signal: options.signal,
      });
    }
    const store = await platform.openWritableSource(path);
    const files = new Map<string, Uint8Array>();
    const want = [META_FILE, NS1_DNET_FILE, ...NS1_WAV_NAMES.map((n) => `${NS1_WAV_DIR}/${n}`)];
    const grab = async (rel: string) => {
      if ((await store.stat(rel))?.kind === 'file') files.set(rel, await store.read(rel));
    };
    await Promise.all(want.map(grab));
    const meta = files.get(META_FILE);
    if (meta) {
      for (const u of readUnits(meta, joinPath(path, META_FILE))) {
        const rel = `spikesandwav/${u.path}`;
        await grab(rel);
        if (!files.has(rel)) await grab(rel.replace(/\.mat$/, '_1.mat'));
      }
    }
    const { onProgress: _p, mirror: _m, signal: _s, download: _d, ...rest } = options;
    return new NS1Dataset({ ...rest, path, readFile: (rel) => files.get(rel) });
  }

  /** The Rahman et al. split of the 20 stimuli. */
  static rahmanSplit(): { trainVal: number[]; test: number[] } {
    return { trainVal: [...NS1_RAHMAN_TRAINVAL], test: [...NS1_RAHMAN_TEST] };
  }
}

/**
 * `X_nfht` of the DNet file: (20, F, 1, T), column-major, so element (n, f, 0, t) sits at
 * n + 20·(f + F·t). Returns F and a builder of the `(1, F, T)` float32 stimulus of sound n.
 */
function readDnet(bytes: Uint8Array, file: string): { F: number; stim(n: number): ReturnType<typeof tensor<'float32'>> } {
  const x = readMat(bytes, file, { variables: ['X_nfht'] }).X_nfht;
  if (!x || x.kind !== 'numeric') throw new FormatError(file, `X_nfht is ${x ? `a ${x.kind}` : 'missing'}, expected a numeric (20, F, 1, T) array`);
  const [S, F, H, T] = [...x.shape, 1, 1, 1, 1];
  if (S !== NS1_NAT_SOUNDS || x.shape.length > 4 || H !== 1 || !(F > 0) || !(T > 0)) {
    throw new FormatError(file, `X_nfht has shape [${x.shape.join(', ')}], expected (20, F, 1, T)`);
  }
  const data = x.data;
  return {
    F,
    stim: (n) => {
      const out = new Float32Array(F * T);
      for (let f = 0; f < F; f++) for (let t = 0; t < T; t++) out[f * T + t] = Number(data[n + S * (f + F * t)]);
      return tensor('float32', [1, F, T], out);
    },
  };
}

interface UnitMeta {
  path: string;
  cellId: string;
  depthUm: number;
  noiseRatio: number;
  singleT: string;
  singleN: number;
  nElectrodes: number;
  electrodeNumber: number;
}

/** The `neuron` struct array of MetadataSHEnCneurons.mat. */
function readUnits(bytes: Uint8Array, file: string): UnitMeta[] {
  const vars = readMat(bytes, file, { variables: ['neuron'] });
  const neuron = asStruct(vars.neuron, file, 'neuron');
  const first = neuron.fieldNames[0];
  return neuron.elements.map((el, i) => {
    const where = `neuron(${i + 1})`;
    const idText = charOf(el[first], file, `${where}.${first}`);
    return {
      path: charOf(el.path, file, `${where}.path`),
      cellId: idText.slice(0, -4), // the reference strips the last 4 characters (".mat")
      depthUm: numberOf(el.depth, file, `${where}.depth`),
      noiseRatio: numberOf(el.NoiseRatio, file, `${where}.NoiseRatio`),
      singleT: charOf(el.singleT, file, `${where}.singleT`),
      singleN: numberOf(el.singleN, file, `${where}.singleN`),
      nElectrodes: numberOf(el.NrOfElectrodes, file, `${where}.NrOfElectrodes`),
      electrodeNumber: numberOf(el.ElectrodeNumber, file, `${where}.ElectrodeNumber`),
    };
  });
}

/** `(R, 999)` spike-count cells of the 20 natural sounds of one unit, written straight into the store. */
function unitResponses(bytes: Uint8Array, file: string): HeapTensor[] {
  // Only the repeats' spike times are needed: skip the rest and keep views into the file bytes.
  const vars = readMat(bytes, file, { variables: ['data'], copy: false, skipFields: ['spikes', 'stim_params', 'timestamp', 'repeat_id'] });
  const data = asStruct(vars.data, file, 'data');
  const sets = asStruct(data.elements[0]?.set, file, 'data.set');
  if (sets.elements.length < NS1_NAT_SOUNDS) {
    throw new FormatError(file, `data.set has ${sets.elements.length} stimulus sets, expected at least ${NS1_NAT_SOUNDS}`);
  }
  const repeats = Array.from({ length: NS1_NAT_SOUNDS }, (_, s) => asStruct(sets.elements[s].repeats, file, `data.set(${s + 1}).repeats`));
  // One allocation for the unit's 20 cells, each 16-byte aligned (the kernels' SIMD loops).
  const floats = repeats.map((r) => Math.ceil((r.elements.length * NS1_BINS) / 4) * 4);
  const heap = defaultHeap();
  let ptr = heap.alloc(4 * floats.reduce((a, b) => a + b, 0), 64);
  // A spike marks its millisecond once: `seen[ms] === stamp` replaces clearing a raster per repeat.
  const seen = new Int32Array(NS1_RAW_LEN_MS);
  let stamp = 0;
  return repeats.map((rep, s) => {
    const R = rep.elements.length;
    const cell = new HeapTensor(heap, ptr, [R, NS1_BINS], NaNState.Clean);
    ptr += 4 * floats[s];
    const d = cell.data;
    rep.elements.forEach((el, r) => {
      const t = el.t;
      if (!t || t.kind !== 'numeric') throw new FormatError(file, `data.set(${s + 1}).repeats(${r + 1}).t is ${t ? t.kind : 'missing'}, expected a numeric array of spike times`);
      stamp++;
      const row = r * NS1_BINS;
      const times = t.data;
      for (let k = 0; k < times.length; k++) {
        const ms = roundHalfEven(Number(times[k]));
        if (ms >= 0 && ms < NS1_RAW_LEN_MS && seen[ms] !== stamp) {
          seen[ms] = stamp;
          d[row + Math.floor(ms / 5)] += 1;
        }
      }
    });
    return cell;
  });
}


function asStruct(v: MatValue | undefined, file: string, what: string): MatStruct {
  if (!v || v.kind !== 'struct') throw new FormatError(file, `${what} is ${v ? `a ${v.kind}` : 'missing'}, expected a struct`);
  return v;
}

function charOf(v: MatValue | undefined, file: string, what: string): string {
  if (!v || v.kind !== 'char') throw new FormatError(file, `${what} is ${v ? `a ${v.kind}` : 'missing'}, expected text`);
  return v.text;
}

function numberOf(v: MatValue | undefined, file: string, what: string): number {
  if (!v || v.kind !== 'numeric' || v.data.length < 1) throw new FormatError(file, `${what} is ${v ? `a ${v.kind} of ${'data' in v ? v.data.length : 0} values` : 'missing'}, expected a number`);
  return Number(v.data[0]);
}

function joinPath(root: string, rel: string): string {
  return root.endsWith('/') ? `${root}${rel}` : `${root}/${rel}`;
}

/** Synchronous reads from a folder (Node); browsers must use `NS1Dataset.load`. */
function folderReader(root: string): NS1FileReader {
  return (rel) => platform.readFileSync(joinPath(root, rel));
}

