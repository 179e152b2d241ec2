/**
 * `NS1Dataset`: ferret A1 responses to 20 natural sounds (Harper et al. 2016; Rahman et al.
 * 2019/2020), built from the authors' raw release — one MATLAB v5 metadata file, 119 per-unit
 * spike files and 20 extension-less float WAVs (layout and options: docs/zoo/ns1.md).
 *
 * Responses: spike times rounded to whole ms (half to even, as NumPy), kept in [0, 4995) ms, a
 * 1 ms raster (coincident spikes count once) summed per 5 ms bin → `(R, 999)` per unit and sound;
 * every unit heard every sound (no sentinels). Stimuli: waveforms resampled 48 828 → `audioFs`
 * and cropped/padded to 999 hops (waveform mode); in spectrogram mode, DNet's precomputed
 * cochleagram when `test_data_5ms.mat` is present, else the causal mel cochleagram of the
 * waveforms (34 bands, 500–22 627 Hz, 10 ms window, 5 ms hop, log floor 1e-4).
 * @module
 */
import { platform } from '#platform';
import { zooBuildSync } from './zoo-build.js';
import { DatasetValidationError, FormatError, ValueError } from '../errors.js';
import { tensor, type Tensor } from '../tensor.js';
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
import { downloadDataset } from '../download/download.js';
import { ns1Manifest } from '../download/manifests/ns1.js';
import { NS1_RELEASE_FILES } from '../download/manifests/ns1-files.js';
import { fs, fileLabel, parsing, runAsync, SourceFileError, type Build } from '../sources/build.js';
import { checkRelease, enforceRelease, readExpected, type ExpectedFile, type PartialUseOptions } from './integrity.js';
import type { ZooLoadOptions } from './registry.js';
import type { Meta } from '../contract/types.js';

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

/**
 * Options of {@link NS1Dataset}.
 * @example
 * ```ts
 * const o: NS1DatasetOptions = { path: '/data/NS1', singleUnitsOnly: true, smooth: false };
 * ```
 */
export interface NS1DatasetOptions extends PartialUseOptions {
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
  /** Keep only the 73 single units of the authors' filter ({@link NS1Dataset.isSingleUnit}). Default false. */
  singleUnitsOnly?: boolean;
  /**
   * Spectrogram source in spectrogram mode: `'dnet'` = the reference's precomputed cochleagram
   * `X_nfht` of `test_data_5ms.mat` (DNet repository; F from its second axis); `'causal-mel'` =
   * `CausalMelSpectrogram` of the release's sounds (34 bands, NS1 settings); `'auto'` (default) =
   * `'dnet'` when that file is in the folder, else `'causal-mel'`.
   */
  spectrogram?: 'auto' | 'dnet' | 'causal-mel';
  /**
   * Every file the build reads is first checked against the release's manifest (present, the
   * listed size; sounds: header rate 48 828 Hz, mono, the listed length, finite samples). A
   * damaged or missing file is an error naming it. With `allowPartial: true`, units whose spike
   * file is missing or damaged are skipped instead (one `onWarning` lists them), and so are the
   * sounds when the DNet spectrogram replaces them; the metadata is always required, the sounds
   * in waveform and causal-mel modes too. See docs/zoo/README.md.
   */
  allowPartial?: boolean;
  /**
   * Arithmetic of the resampling kernel (48 828 → `audioFs`): `'float32'` (default) builds it as
   * torchaudio does for deepSTRF's float32 waveforms, so stimuli match the reference's;
   * `'float64'` uses the exact kernel (differences up to ~7e-4 per sample on these sounds).
   */
  resampleKernel?: 'float32' | 'float64';
  /** Receives the list of what `allowPartial` skipped. */
  onWarning?: (message: string) => void;
}

/**
 * Options of the async factory {@link NS1Dataset.load}: the dataset's own and the zoo's
 * (`source`, `download`, `onProgress`, `mirror`, `signal` — see `ZooLoadOptions`).
 * @example
 * ```ts
 * const o: NS1LoadOptions = { source: new HttpSource(url, { files: NS1_RELEASE_FILES }), returnWaveform: true };
 * ```
 */
export interface NS1LoadOptions extends NS1DatasetOptions, ZooLoadOptions {}

const META_FILE = 'MetadataSHEnCneurons.mat';
/** The DNet repository's precomputed spectrogram (not part of the OSF release). @example `new NS1Dataset({ path, spectrogram: 'dnet' }) // reads NS1_DNET_FILE` */
export const NS1_DNET_FILE = 'test_data_5ms.mat';
/** Frames of each sound in its WAV header, in stimulus order (the last four hold one more). @example `NS1_WAV_FRAMES[0] // 244140` */
export const NS1_WAV_FRAMES: readonly number[] = NS1_WAV_NAMES.map((_, s) => (s >= 16 ? 244141 : 244140));
const NOT_FOUND_HINT = 'fetch it (again) with `deepstrf download ns1` or `NS1Dataset.load({ download: true })`';
const RELEASE_SIZES = new Map(NS1_RELEASE_FILES.map((f) => [f.path, f.size]));
const expected = (path: string): ExpectedFile => ({ path, size: RELEASE_SIZES.get(path) });
const BUILT = Symbol('NS1 build');

/** What {@link buildNS1} returns: everything the dataset holds, before smoothing. */
interface NS1Built {
  F: number;
  audioFs: number | null;
  spectrogramSource: 'dnet' | 'causal-mel' | null;
  stims: Tensor<'float32'>[];
  stimMeta: Meta[];
  responses: HeapTensor[][];
  nrnMeta: Meta[];
}

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
  /** The options it was built with. */
  readonly options: Readonly<NS1DatasetOptions>;
  /** Where the spectrograms came from (`null` in waveform mode). */
  readonly spectrogramSource: 'dnet' | 'causal-mel' | null;

  constructor(options: NS1DatasetOptions = {}) {
    const path = options.path ?? defaultCacheDir('NS1');
    super(path, options.dtMs ?? 5);
    const { [BUILT]: given, ...kept } = options as NS1DatasetOptions & { [BUILT]?: NS1Built };
    this.options = kept;
    const b = given ?? zooBuildSync('NS1Dataset', options, path, () => buildNS1(checkOptions(options)));
    this.hearingRangeHz = [200, 40000];
    this.F = b.F;
    this.returnWaveform = b.audioFs !== null;
    this.audioFs = b.audioFs;
    this.spectrogramSource = b.spectrogramSource;
    this.assignBuilt(b);
    if (options.smooth ?? true) this.smoothResponses({ windowMs: 21 });
    this.validate();
  }

  /**
   * Builds the dataset asynchronously from any file source (`source`: a picked folder, dropped
   * files, an HTTP mirror, memory), else from the folder `path` (Node) or the OPFS cache
   * (browsers), after fetching missing files with `download: true`. Works in Node and browsers;
   * the same build as the constructor, every file parsed once.
   * @example
   * ```ts
   * const ds = await NS1Dataset.load({ download: true, onProgress: (p) => console.log(p.loaded) });
   * const page = await NS1Dataset.load({ source: new FileListSource(input.files!), singleUnitsOnly: true });
   * ```
   */
  static async load(options: NS1LoadOptions = {}): Promise<NS1Dataset> {
    checkOptions(options);
    const { source, download, onProgress, mirror, signal, ...rest } = options;
    if (download && source) throw new ValueError('NS1Dataset.load: download: true fills the cache folder `path`; it cannot be combined with `source`');
    const path = options.path ?? (source ? source.root : defaultCacheDir('NS1'));
    if (download) {
      await downloadDataset(ns1Manifest({ mirror, spectrogram: false, readme: false }), { root: path, onProgress, signal });
    }
    const built = await runAsync(buildNS1(rest), source ?? (await platform.openWritableSource(path)), { signal });
    return new NS1Dataset({ ...rest, path, [BUILT]: built } as NS1DatasetOptions);
  }

  /**
   * The authors' single-unit filter, the one meaning of "single units" in deepstrf
   * (`singleUnitsOnly`, `deepstrf run ns1`, `deepstrf info ns1`): `singleT` is `Yes` or `Maybe`
   * and the depth is known (`depthUm >= 0`). 73 of the 119 units pass. Each neuron's metadata
   * carries the answer as `singleUnit`.
   * @example
   * ```ts
   * ns1.selectPopByNrnAttr('singleUnit', true); // the 73 single units
   * NS1Dataset.isSingleUnit({ singleT: 'Maybe', depthUm: 250 }); // true
   * ```
   */
  static isSingleUnit(meta: { readonly singleT?: unknown; readonly depthUm?: unknown }): boolean {
    return (meta.singleT === 'Yes' || meta.singleT === 'Maybe') && typeof meta.depthUm === 'number' && meta.depthUm >= 0;
  }

  /** The Rahman et al. split of the 20 stimuli. @example `ns1.selectStims(NS1Dataset.rahmanSplit().test)` */
  static rahmanSplit(): { trainVal: number[]; test: number[] } {
    return { trainVal: [...NS1_RAHMAN_TRAINVAL], test: [...NS1_RAHMAN_TEST] };
  }
}

/** Option checks that need no file (before any read). */
function checkOptions<O extends NS1DatasetOptions>(o: O): O {
  const dtMs = o.dtMs ?? 5;
  if (dtMs !== 5) throw new DatasetValidationError(`NS1Dataset: dtMs must be 5 (the only bin width of the release), got ${dtMs}`);
  const fs = o.returnWaveform ? o.audioFs ?? 48000 : 48000;
  if (!Number.isInteger((fs * 5) / 1000)) {
    throw new DatasetValidationError(`NS1Dataset: audioFs ${fs} Hz gives ${(fs * 5) / 1000} samples per 5 ms bin, not an integer number of samples`);
  }
  return o;
}

/**
 * The NS1 build, run by the constructor (synchronously, from a folder) and by `load` (from any
 * source). Order: metadata; every file to be read checked against the manifest; the sounds
 * (decoded, checked, resampled, spectrogram); then the units' responses (written into the store).
 */
function* buildNS1(o: NS1DatasetOptions): Build<NS1Built> {
  const root = yield* fs.root();
  const mode = o.spectrogram ?? 'auto';
  const returnWaveform = o.returnWaveform ?? false;
  const audioFs = returnWaveform ? o.audioFs ?? 48000 : 48000;

  // The metadata: required, checked, parsed once.
  const metaCheck = yield* checkRelease([expected(META_FILE)]);
  enforceRelease(metaCheck, { dataset: 'NS1', root, skippable: () => false, hint: NOT_FOUND_HINT });
  const metaBytes = yield* readExpected(root, expected(META_FILE));
  const units = parsing(root, META_FILE, () => readUnits(metaBytes, fileLabel(root, META_FILE)));
  const kept = o.singleUnitsOnly ? units.filter(NS1Dataset.isSingleUnit) : units;

  // The DNet cochleagram, when present (or demanded): F comes from it, as in the reference.
  const dnetInfo = mode === 'causal-mel' ? null : yield* fs.stat(NS1_DNET_FILE);
  if (mode === 'dnet' && dnetInfo?.kind !== 'file') throw new SourceFileError(root, NS1_DNET_FILE, `file not found (${NOT_FOUND_HINT})`);
  const useDnet = !returnWaveform && dnetInfo?.kind === 'file';

  // Every other file the build reads, against the manifest, before any is parsed.
  // (The sounds are checked in every mode; the DNet mode does not read them, so there they may be skipped.)
  const wavFiles = NS1_WAV_NAMES.map((n) => expected(`${NS1_WAV_DIR}/${n}`));
  const unitFiles = kept.map((u) => expected(`spikesandwav/${u.path}`));
  const twin = (p: string) => (p.endsWith('.mat') ? p.replace(/\.mat$/, '_1.mat') : undefined);
  const check = yield* checkRelease([...wavFiles, ...unitFiles], { alias: twin });
  const skipped = enforceRelease(check, {
    dataset: 'NS1', root, allowPartial: o.allowPartial, onWarning: o.onWarning, hint: NOT_FOUND_HINT,
    skippable: (p) => useDnet || !p.startsWith(`${NS1_WAV_DIR}/`),
  });

  // The files in the order they are read (async sources fetch a few ahead).
  const unitReads = unitFiles.filter((f) => !skipped.has(f.path)).map((f) => check.found.get(f.path)!);
  yield* fs.prefetch([...(useDnet ? [NS1_DNET_FILE] : wavFiles.map((f) => f.path)), ...unitReads]);

  // Stimuli: the DNet arrays, or each sound decoded, checked, resampled, locked to 999 hops.
  const stims: Tensor<'float32'>[] = [];
  const stimMeta: Meta[] = [];
  let F = 34;
  if (useDnet) {
    const bytes = yield* readExpected(root, { path: NS1_DNET_FILE });
    const dnet = parsing(root, NS1_DNET_FILE, () => readDnet(bytes, fileLabel(root, NS1_DNET_FILE)));
    F = dnet.F;
    for (let s = 0; s < NS1_NAT_SOUNDS; s++) stims.push(dnet.stim(s));
  } else {
    const hop = (audioFs * 5) / 1000;
    const mel = returnWaveform ? null : new CausalMelSpectrogram({ audioFs });
    for (let s = 0; s < NS1_NAT_SOUNDS; s++) {
      const file = wavFiles[s];
      const bytes = yield* readExpected(root, file);
      stims.push(parsing(root, file.path, () => {
        const wav = decodeWav(bytes, { name: fileLabel(root, file.path) });
        checkSound(wav, s, root, file.path);
        const wave = prepareWaveform(wav.data, { fromFs: wav.sampleRate, toFs: audioFs, length: NS1_BINS * hop, kernelDtype: o.resampleKernel ?? 'float32' });
        if (!mel) return wave;
        const spec = mel.forward({ dtype: 'float32', shape: [1, 1, wave.shape[1]], data: wave.data });
        return tensor('float32', [1, 34, NS1_BINS], spec.data);
      }));
    }
  }
  NS1_WAV_NAMES.forEach((name, s) => {
    stimMeta.push({ name: `nat${String(s + 1).padStart(2, '0')}`, type: STIM_TYPES[s] ?? 'unknown', file: `${NS1_WAV_DIR}/${name}` });
  });

  // Units: their spike files (skipped ones listed by allowPartial's warning).
  const responses: HeapTensor[][] = Array.from({ length: NS1_NAT_SOUNDS }, () => []);
  const nrnMeta: Meta[] = [];
  for (let i = 0; i < kept.length; i++) {
    const u = kept[i];
    const file = unitFiles[i];
    if (skipped.has(file.path)) continue;
    const at = check.found.get(file.path)!;
    const bytes = yield* readExpected(root, file, at);
    const cells = parsing(root, at, () => unitResponses(bytes, fileLabel(root, at)));
    cells.forEach((c, s) => responses[s].push(c));
    nrnMeta.push({
      cellId: u.cellId, area: 'A1', depthUm: u.depthUm, noiseRatio: u.noiseRatio, singleT: u.singleT,
      singleN: u.singleN, nElectrodes: u.nElectrodes, electrodeNumber: u.electrodeNumber, singleUnit: NS1Dataset.isSingleUnit(u),
    });
  }
  return {
    F, audioFs: returnWaveform ? audioFs : null, spectrogramSource: returnWaveform ? null : useDnet ? 'dnet' : 'causal-mel',
    stims, stimMeta, responses, nrnMeta,
  };
}

/** A sound as the release has it: mono, header rate 48 828 Hz, its listed length, finite samples. */
function checkSound(wav: ReturnType<typeof decodeWav>, s: number, root: string, path: string): void {
  const bad = (msg: string) => new SourceFileError(root, path, msg);
  if (wav.sampleRate !== NS1_WAV_NATIVE_FS) throw bad(`'fmt ' chunk: sample rate ${wav.sampleRate} Hz, expected ${NS1_WAV_NATIVE_FS} (the release's rate)`);
  if (wav.channels !== 1) throw bad(`'fmt ' chunk: ${wav.channels} channels, expected 1 (mono)`);
  if (wav.totalFrames !== NS1_WAV_FRAMES[s]) throw bad(`'data' chunk: ${wav.totalFrames} frames, expected ${NS1_WAV_FRAMES[s]}`);
  const d = wav.data.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) throw bad(`'data' chunk: sample ${i} is ${d[i]}; the sounds must be finite`);
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
