/**
 * `NAT4Dataset`: ferret A1 or PEG single units and 593 natural sounds (Pennington & David
 * 2022/2023), from the Zenodo release 8044773 (docs/zoo/nat4.md). Estimation responses come
 * from the population recording (10 ms rates, globally min–max normalised); validation
 * responses are raw spike counts from the per-site 1 kHz spike times, summed per 10 ms.
 * @module
 */
import { platform } from '#platform';
import { DavidLabDataset, davidLabLoadPath } from './david-lab-dataset.js';
import { zooBuildSync } from './zoo-build.js';
import type { BuiltData } from '../contract/types.js';
import type { Meta } from '../contract/types.js';
import { defaultCacheDir } from '../download/cache.js';
import { downloadDataset } from '../download/download.js';
import type { DatasetManifest } from '../download/manifest.js';
import { zenodoManifest, type ZenodoFile } from '../download/zenodo.js';
import { FormatError, ValueError } from '../errors.js';
import {
  epochBounds, epochNamesMatching, extractEpoch, locateRecording, openRecordingArchive, sourceDir, type NemsRecording,
} from '../io/nems.js';
import { fileLabel, fs, runAsync, type Build } from '../sources/build.js';
import { tensor, type Tensor } from '../tensor.js';
import { roundHalfEven } from '../util/round.js';
import {
  BUILT, describeRelease, lowerBound, minMaxNormalize, missing, parseNat4CellId, placeAfterSilence,
  readAuditoryFlags, wavIndex, withZippedFolder,
} from './david-lab.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';

/** Zenodo record of the release. @example `zenodoFileUrl(NAT4_ZENODO_RECORD, 'wav.zip')` */
export const NAT4_ZENODO_RECORD = '8044773';
/** The two areas of the release. @example `new NAT4Dataset({ area: NAT4_AREAS[1] })` */
export const NAT4_AREAS = ['A1', 'PEG'] as const;
/** Stimulus and population-recording rate: 10 ms bins. @example `NAT4_DT_MS === 10` */
export const NAT4_DT_MS = 10;
/** Spectrogram bands of the population recording. @example `ds.F === NAT4_F` */
export const NAT4_F = 18;
const SITE_BLOCK = 10; // 1 kHz samples per 10 ms bin
const popName = (area: string) => `${area}_NAT4_ozgf.fs100.ch18`;

/** Options of {@link NAT4Dataset} (the reference's keyword arguments in camelCase, same defaults). @example `{ area: 'PEG', subset: 'val' }` */
export interface NAT4DatasetOptions {
  /** Folder of the release (default: the cache folder `NAT4`). */
  path?: string;
  /** `'A1'` (default) or `'PEG'`; build two instances and concatenate to pool them. */
  area?: 'A1' | 'PEG';
  /** Bin width: 10 ms only. */
  dtMs?: number;
  /** 21 ms Hann smoothing (the identity kernel at 10 ms). Default false. */
  smooth?: boolean;
  /** `'all'` (default), `'est'` or `'val'`. */
  subset?: 'all' | 'est' | 'val';
  /** Waveform stimuli from `wav/` instead of the 18-band spectrograms. Default false. */
  returnWaveform?: boolean;
  /** Waveform rate (default 44 100 Hz, hop 441). */
  audioFs?: number;
  /** Fetch missing files first (only through `NAT4Dataset.load`). */
  download?: boolean;
}

/**
 * The NAT4 dataset.
 * @example
 * ```ts
 * const a1 = new NAT4Dataset({ path: '/data/NAT4', area: 'A1' }); // Node, synchronous
 * const peg = await NAT4Dataset.load({ area: 'PEG', download: true }); // Node or browser
 * a1.selectStimsByAttr('subset', 'val');
 * ```
 */
export class NAT4Dataset extends DavidLabDataset {
  /** The area loaded. */
  readonly area: 'A1' | 'PEG';

  constructor(options: NAT4DatasetOptions & { [BUILT]?: BuiltData } = {}) {
    const path = options.path ?? defaultCacheDir('NAT4');
    super(path, options, NAT4_DT_MS, NAT4_F, options[BUILT] ?? zooBuildSync('NAT4Dataset', options, path, () => buildNat4(options)));
    this.area = options.area ?? 'A1';
  }

  /**
   * Builds from any source (default: the folder `path`; with `download: true`, fetched first).
   * Without an `<area>_single_sites/` folder, the site archives are read inside
   * `<area>_single_sites.zip`, never unpacked.
   * @example
   * ```ts
   * const ds = await NAT4Dataset.load({ source: new MemorySource(files), subset: 'val' });
   * ```
   */
  static async load(options: NAT4DatasetOptions & ZooLoadOptions = {}): Promise<NAT4Dataset> {
    const path = davidLabLoadPath('NAT4Dataset', 'NAT4', options);
    if (options.download) {
      await downloadDataset(nat4Manifest({ area: options.area, wav: options.returnWaveform, base: options.mirror }), { root: path, onProgress: options.onProgress, signal: options.signal });
    }
    const area = options.area ?? 'A1';
    const source = await withZippedFolder(options.source ?? (await platform.openWritableSource(path)), `${area}_single_sites`, `${area}_single_sites.zip`);
    const built = await runAsync(buildNat4(options), source);
    return new NAT4Dataset({ ...options, path, [BUILT]: built });
  }
}

/**
 * The NAT4 files of one area on Zenodo: the population `.tgz` (read in place), the auditory flags,
 * the per-site zip (unpacked into `<area>_single_sites/`) and, for waveforms, `wav.zip` → `wav/`.
 * @example
 * ```ts
 * await downloadDataset(nat4Manifest({ area: 'PEG' }), { root: '/data/NAT4' });
 * ```
 */
export function nat4Manifest(o: { area?: 'A1' | 'PEG'; wav?: boolean; base?: string } = {}): DatasetManifest {
  const area = o.area ?? 'A1';
  if (!(NAT4_AREAS as readonly string[]).includes(area)) throw new ValueError(`NAT4Dataset: area must be 'A1' or 'PEG', got ${JSON.stringify(area)}`);
  const files: ZenodoFile[] = [
    { name: `${popName(area)}.tgz` },
    { name: `${area}_pred_correlation.csv` },
    { name: `${area}_single_sites.zip`, archive: 'zip', extractTo: '', anchor: `${area}_single_sites` },
  ];
  if (o.wav) files.push({ name: 'wav.zip', archive: 'zip', extractTo: '', anchor: 'wav' });
  return zenodoManifest('NAT4', NAT4_ZENODO_RECORD, files, o.base);
}

function* buildNat4(o: NAT4DatasetOptions): Build<BuiltData> {
  const area = o.area ?? 'A1';
  const subset = o.subset ?? 'all';
  if (!(NAT4_AREAS as readonly string[]).includes(area)) throw new ValueError(`NAT4Dataset: area must be 'A1' or 'PEG', got ${JSON.stringify(area)}`);
  if (!['all', 'est', 'val'].includes(subset)) throw new ValueError(`NAT4Dataset: subset must be 'all', 'est' or 'val', got ${JSON.stringify(subset)}`);
  if ((o.dtMs ?? NAT4_DT_MS) !== NAT4_DT_MS) throw new ValueError(`NAT4Dataset: dtMs must be 10 (the only bin width of the release), got ${o.dtMs}`);

  // 1. Population recording: the extracted folder, else the .tgz.
  const base = yield* fs.root();
  const root = sourceDir('', base);
  let pop: NemsRecording;
  if ((yield* fs.stat(popName(area)))?.kind === 'directory') pop = yield* locateRecording(root, popName(area));
  else if ((yield* fs.stat(`${popName(area)}.tgz`))?.kind === 'file') pop = yield* openRecordingArchive(root, `${popName(area)}.tgz`);
  else throw new FormatError(fileLabel(base, `${popName(area)}.tgz`), 'not found, nor the extracted folder (download it with `NAT4Dataset.load({ download: true })`)');
  const attrs = yield* pop.attrs('resp');
  const resp = pop.need(yield* pop.raster('resp'), '.resp.csv');
  const stim = pop.need(yield* pop.raster('stim'), '.stim.csv');
  const epochs = yield* pop.epochs('resp');
  const N = attrs.chans.length;
  if (resp.cols !== N) throw new FormatError(`${pop.label}/${pop.require('.resp.csv')}`, `has ${resp.cols} columns but chans lists ${N} cells`);
  const fs100 = attrs.fs;

  // 2. Global NaN-ignoring normalisation.
  for (let i = 0; i < stim.data.length; i++) stim.data[i] = Math.log1p(stim.data[i]);
  minMaxNormalize(stim.data);
  minMaxNormalize(resp.data);

  // 3. Sounds.
  const valSounds = epochNamesMatching(epochs, '^STIM_00cat');
  const estSounds = epochNamesMatching(epochs, '^STIM_cat');
  const sounds: Array<{ name: string; subset: 'est' | 'val' }> = [
    ...(subset !== 'val' ? estSounds.map((name) => ({ name, subset: 'est' as const })) : []),
    ...(subset !== 'est' ? valSounds.map((name) => ({ name, subset: 'val' as const })) : []),
  ];

  // 5. Stimuli: first occurrence of each sound.
  const stims: Tensor[] = [];
  const waveform = o.returnWaveform ?? false;
  const audioFs = o.audioFs ?? 44100;
  let wavs: Map<string, string> | null = null;
  let pre = 0;
  if (waveform) {
    if ((yield* fs.stat('wav'))?.kind !== 'directory') throw new FormatError(fileLabel(base, 'wav'), 'folder not found (waveform mode needs the sounds: `NAT4Dataset.load({ download: true, returnWaveform: true })`)');
    wavs = yield* wavIndex('wav');
    const k = epochs.name.indexOf('PreStimSilence');
    pre = k < 0 ? 0 : roundHalfEven((epochs.end[k] - epochs.start[k]) * audioFs);
  }
  for (const s of sounds) {
    const x = extractEpoch(stim, epochs, s.name, fs100);
    const [, F, T] = x.shape;
    if (waveform && wavs) {
      const hop = Math.round((audioFs * NAT4_DT_MS) / 1000);
      const file = s.name.replace(/^STIM_/, '');
      const rel = wavs.get(file.toLowerCase());
      if (!rel) throw new FormatError(fileLabel(base, `wav/${file}`), 'not found (waveform mode)');
      stims.push(placeAfterSilence(yield* fs.read(rel), rel, audioFs, T * hop, pre));
    } else stims.push(tensor('float32', [1, F, T], Float32Array.from(x.data.subarray(0, F * T))));
  }
  const stimMeta: Meta[] = sounds.map((s) => ({ name: s.name, subset: s.subset }));

  // 6. Neurons.
  const flagsFile = `${area}_pred_correlation.csv`;
  const flags = (yield* fs.stat(flagsFile)) ? readAuditoryFlags(yield* fs.read(flagsFile), fileLabel(base, flagsFile)) : new Map<string, boolean>();
  const nrnMeta: Meta[] = attrs.chans.map((cellId) => ({ cellId, area, auditory: flags.get(cellId) ?? false, ...parseNat4CellId(cellId) }));

  // 7. Estimation responses (normalised rates).
  const responses: Tensor[][] = [];
  for (const s of sounds) {
    if (s.subset !== 'est') continue;
    const x = extractEpoch(resp, epochs, s.name, fs100);
    const T = x.shape[2];
    const row: Tensor[] = [];
    for (let n = 0; n < N; n++) {
      const trace = x.data.subarray(n * T, (n + 1) * T);
      row.push(trace.every(Number.isNaN) ? missing() : tensor('float32', [1, T], Float32Array.from(trace)));
    }
    responses.push(row);
  }

  // 8. Validation responses (raw counts per 10 ms from the per-site spike times).
  if (subset !== 'est') {
    const val = sounds.filter((s) => s.subset === 'val').map((s) => s.name);
    const siteCells = new Map<string, Tensor[]>(); // cell → one (R, T) tensor per val sound; the last site wins
    const dir = `${area}_single_sites`;
    const entries = (yield* fs.list(dir)).map((e) => e.name).sort();
    for (const name of entries) {
      const site = yield* openRecordingArchive(sourceDir(dir, base), name);
      const sa = yield* site.attrs('resp');
      const h5 = site.need(yield* site.hdf5('resp'), '.resp.h5');
      const se = yield* site.epochs('resp');
      const counts = sa.chans.map((c) => spikeSamples(h5.get(c).data, sa.fs, sa.length));
      const perCell: Tensor[][] = sa.chans.map(() => []);
      for (const v of val) {
        const bounds = epochBounds(se, v, sa.fs);
        if (bounds.length === 0) throw new ValueError(`NAT4Dataset: site ${site.label} has no epoch ${JSON.stringify(v)} (every site must play every validation sound)`);
        const Tlen = Math.max(...bounds.map(([a, b]) => b - a));
        counts.forEach((samples, c) => perCell[c].push(binCounts(samples, bounds, Tlen, sa.length)));
      }
      sa.chans.forEach((c, i) => siteCells.set(c, perCell[i]));
    }
    val.forEach((_, k) => responses.push(attrs.chans.map((c) => siteCells.get(c)?.[k] ?? missing())));
  }
  return { stims, responses, stimMeta, nrnMeta };
}

/** Sample indices `floor(t·fs)` of spike times, kept in [0, total), sorted. */
function spikeSamples(times: Float64Array, fs: number, total: number): Int32Array {
  const out: number[] = [];
  for (const t of times) {
    const i = Math.floor(t * fs);
    if (i >= 0 && i < total) out.push(i);
  }
  return Int32Array.from(out).sort();
}

/**
 * `(R, floor(T/10))` counts: each occurrence's 1 kHz raster rows [a, b) (NaN past the recording's
 * end or the occurrence's length, as `extract_epoch` pads) summed per 10 samples.
 */
function binCounts(samples: Int32Array, bounds: Array<[number, number]>, Tlen: number, total: number): Tensor {
  const K = Math.floor(Tlen / SITE_BLOCK);
  const out = new Float32Array(bounds.length * K);
  bounds.forEach(([a, b], r) => {
    for (let k = 0; k < K; k++) {
      const lo = a + k * SITE_BLOCK;
      const hi = lo + SITE_BLOCK;
      if (lo < 0 || hi > b || hi > total) out[r * K + k] = Number.NaN;
    }
    for (let j = lowerBound(samples, a); j < samples.length && samples[j] < b; j++) {
      const k = Math.floor((samples[j] - a) / SITE_BLOCK);
      if (k < K) out[r * K + k] += 1;
    }
  });
  return tensor('float32', [bounds.length, K], out);
}

/**
 * Registry entry of NAT4.
 * @example
 * ```ts
 * const ds = await nat4Entry.load({ path: '/data/NAT4', area: 'PEG' });
 * ```
 */
export const nat4Entry: DatasetEntry = {
  name: 'nat4',
  className: 'NAT4Dataset',
  description: 'Ferret A1/PEG single units, 593 natural sounds (575 est + 18 val, 20 repeats), 10 ms, 18-band spectrograms (Pennington & David)',
  species: 'ferret (awake)',
  area: 'A1 or PEG single units, 593 natural sounds (575 est x 1 + 18 val x 20 repeats)',
  size: 'A1 108 MB, PEG 50 MB (+ wav.zip for waveforms)',
  licence: 'as stated on Zenodo record 8044773',
  citation: 'Pennington & David 2023, PLoS Comput Biol',
  accountNeeded: false,
  cacheFolder: 'NAT4',
  flags: [
    { name: 'area', option: 'area', kind: 'string', commands: ['download', 'info', 'run', 'fit', 'export'], help: 'A1 (default) or PEG', metavar: 'AREA' },
    { name: 'waveform', option: 'returnWaveform', kind: 'boolean', commands: ['download', 'info', 'run', 'fit', 'export'], help: 'waveform stimuli (needs wav.zip)' },
  ],
  manifest: (opts) => nat4Manifest({ area: opts.area as 'A1' | 'PEG' | undefined, wav: opts.returnWaveform === true, base: opts.mirror }),
  describe: (path, opts) => describeRelease('nat4', nat4Manifest({ area: opts.area as 'A1' | 'PEG' | undefined, wav: opts.returnWaveform === true }), path ?? defaultCacheDir('NAT4')),
  mainJob: (o) => ({ load: { ...(o.area === undefined ? {} : { area: o.area }), ...(o.returnWaveform ? { returnWaveform: true } : {}) } }),
  load: (opts) => NAT4Dataset.load(opts as NAT4DatasetOptions & ZooLoadOptions),
};
