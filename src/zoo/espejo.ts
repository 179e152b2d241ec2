/**
 * `EspejoDataset`: ferret A1 single units (Lopez-Espejo, Schwartz & David 2019), natural sounds
 * (NAT, 18-band cochleagrams) or vocalisation-modulated noise (VMN, 2-band envelopes), from the
 * per-site NEMS archives of Zenodo record 3445557 (docs/zoo/espejo.md). A cell recorded in
 * several sessions is one neuron whose repeats are concatenated; stimuli are split by their
 * repeat count (the most repeated at a site = `test`).
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
import { zenodoManifest } from '../download/zenodo.js';
import { downloadEspejoNatWaveforms, ESPEJO_WAVEFORM_DIR } from '../download/bitbucket.js';
import { FormatError, ValueError } from '../errors.js';
import { epochBounds, openRecordingArchive, sourceDir, type NemsEpochs, type NemsRaster } from '../io/nems.js';
import { fileLabel, fs, runAsync, type Build } from '../sources/build.js';
import { tensor, type Tensor } from '../tensor.js';
import { roundHalfEven } from '../util/round.js';
import { BUILT, describeRelease, lowerBound, missing, parseEspejoCellId, placeAfterSilence, sortedTimes } from './david-lab.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';

/** Zenodo record of the release. @example `zenodoFileUrl(ESPEJO_ZENODO_RECORD, 'A1_voc_mod_noise.tgz')` */
export const ESPEJO_ZENODO_RECORD = '3445557';
/** Per stimulus set: archive, folder of site archives, bands, expected `stimfmt`. @example `ESPEJO_SETS.vmn.F // 2` */
export const ESPEJO_SETS = {
  nat: { archive: 'A1_natural_sounds.tgz', subdir: 'A1_natural_sounds/NAT', F: 18, stimfmt: 'ozgf' },
  vmn: { archive: 'A1_voc_mod_noise.tgz', subdir: 'A1_voc_mod_noise/VMN', F: 2, stimfmt: 'envelope' },
} as const;
/** Silence before each NAT sound in its epoch (s). @example `round(ESPEJO_NAT_PRESTIM_S * 44100) // 22050` */
export const ESPEJO_NAT_PRESTIM_S = 0.5;
const BIN_S = 0.01;

/** Options of {@link EspejoDataset} (the reference's keyword arguments in camelCase, same defaults). @example `{ stimuli: 'vmn', subset: 'test' }` */
export interface EspejoDatasetOptions {
  /** Folder of the release (default: the cache folder `Espejo`). */
  path?: string;
  /** `'nat'` (default) or `'vmn'`. */
  stimuli?: 'nat' | 'vmn';
  /** Bin width: 10 ms only. */
  dtMs?: number;
  /** `'all'` (default), `'estimation'` or `'test'`. */
  subset?: 'all' | 'estimation' | 'test';
  /** Only these cell ids (default: all). */
  cells?: readonly string[] | null;
  /** 21 ms Hann smoothing (identity at 10 ms). Default false. */
  smooth?: boolean;
  /** NAT only: waveforms from `nat_waveforms/` (fetched from the LBHB Bitbucket mirror by `load({ download: true })`). */
  returnWaveform?: boolean;
  /** Waveform rate (default 44 100 Hz). */
  audioFs?: number;
  /** Fetch missing files first (only through `EspejoDataset.load`). */
  download?: boolean;
  /** Base URL replacing the LBHB Bitbucket `@NaturalSounds` folder for the NAT waveforms (`load` with `download: true`). */
  waveformMirror?: string;
  /** Warnings (waveforms not found on the mirror). */
  onWarning?: (message: string) => void;
}

/**
 * The Espejo dataset (NAT or VMN).
 * @example
 * ```ts
 * const vmn = new EspejoDataset({ path: '/data/Espejo', stimuli: 'vmn' });
 * vmn.selectStimsByAttr('split', 'test');
 * const nat = await EspejoDataset.load({ download: true, returnWaveform: true });
 * ```
 */
export class EspejoDataset extends DavidLabDataset {
  /** The stimulus set loaded. */
  readonly stimuli: 'nat' | 'vmn';

  constructor(options: EspejoDatasetOptions & { [BUILT]?: BuiltData } = {}) {
    const path = options.path ?? defaultCacheDir('Espejo');
    super(path, options, 10, ESPEJO_SETS[options.stimuli ?? 'nat'].F, options[BUILT] ?? zooBuildSync('EspejoDataset', options, path, () => buildEspejo(options)));
    this.stimuli = options.stimuli ?? 'nat';
  }

  /**
   * Builds from any source; with `download: true` fetches the set's archive (and, in NAT
   * waveform mode, the sounds from the mirror) first.
   * @example
   * ```ts
   * const ds = await EspejoDataset.load({ stimuli: 'vmn', download: true });
   * ```
   */
  static async load(options: EspejoDatasetOptions & ZooLoadOptions = {}): Promise<EspejoDataset> {
    const path = davidLabLoadPath('EspejoDataset', 'Espejo', options);
    const stimuli = options.stimuli ?? 'nat';
    if (options.download) {
      await downloadDataset(espejoManifest({ stimuli, base: options.mirror }), { root: path, onProgress: options.onProgress, signal: options.signal });
    }
    const source = options.source ?? (await platform.openWritableSource(path));
    if (options.download && options.returnWaveform && stimuli === 'nat') {
      const names = await runAsync(espejoStimNames(options), source);
      const store = await platform.openWritableSource(path);
      await downloadEspejoNatWaveforms(names, store, { base: options.waveformMirror, signal: options.signal, onWarning: options.onWarning });
    }
    const built = await runAsync(buildEspejo(options), source);
    return new EspejoDataset({ ...options, path, [BUILT]: built });
  }
}

/**
 * The Espejo archive of one stimulus set on Zenodo, unpacked in place (anchor: its site folder).
 * @example
 * ```ts
 * await downloadDataset(espejoManifest({ stimuli: 'vmn' }), { root: '/data/Espejo' });
 * ```
 */
export function espejoManifest(o: { stimuli?: 'nat' | 'vmn'; base?: string } = {}): DatasetManifest {
  const stimuli = o.stimuli ?? 'nat';
  if (stimuli !== 'nat' && stimuli !== 'vmn') throw new ValueError(`EspejoDataset: stimuli must be 'nat' or 'vmn', got ${JSON.stringify(stimuli)}`);
  const set = ESPEJO_SETS[stimuli];
  return zenodoManifest('Espejo', ESPEJO_ZENODO_RECORD, [{ name: set.archive, archive: 'tar.gz', extractTo: '', anchor: set.subdir }], o.base);
}

interface Site {
  label: string;
  chans: string[];
  fs: number;
  epochs: NemsEpochs;
  spikes: Map<string, Float64Array> | null;
  raster: NemsRaster | null;
  cochleagrams: Map<string, { F: number; T: number; data: Float64Array }>;
  counts: Map<string, number>;
}

function check(o: EspejoDatasetOptions): { set: (typeof ESPEJO_SETS)['nat' | 'vmn']; stimuli: 'nat' | 'vmn' } {
  const stimuli = o.stimuli ?? 'nat';
  if (stimuli !== 'nat' && stimuli !== 'vmn') throw new ValueError(`EspejoDataset: stimuli must be 'nat' or 'vmn', got ${JSON.stringify(stimuli)}`);
  const subset = o.subset ?? 'all';
  if (!['all', 'estimation', 'test'].includes(subset)) throw new ValueError(`EspejoDataset: subset must be 'all', 'estimation' or 'test', got ${JSON.stringify(subset)}`);
  if ((o.dtMs ?? 10) !== 10) throw new ValueError(`EspejoDataset: dtMs must be 10 (the only bin width of the release), got ${o.dtMs}`);
  if (o.returnWaveform) {
    if (stimuli !== 'nat') throw new ValueError('EspejoDataset: waveform mode exists only for the NAT set (VMN has no source audio)');
    const hop = ((o.audioFs ?? 44100) * 10) / 1000;
    if (!Number.isInteger(hop) || hop <= 0) throw new ValueError(`EspejoDataset: audioFs · dtMs / 1000 = ${hop} must be a positive integer number of samples`);
  }
  return { set: ESPEJO_SETS[stimuli], stimuli };
}

function* siteArchives(subdir: string): Build<string[]> {
  const base = yield* fs.root();
  if ((yield* fs.stat(subdir))?.kind !== 'directory') throw new FormatError(fileLabel(base, subdir), 'folder not found (download it with `EspejoDataset.load({ download: true })`)');
  const names = (yield* fs.list(subdir)).map((e) => e.name).filter((n) => n.endsWith('.tgz') || n.endsWith('.tar.gz')).sort();
  if (names.length === 0) throw new FormatError(fileLabel(base, subdir), 'holds no .tgz / .tar.gz site archive');
  return names;
}

function* loadSite(subdir: string, name: string, stimfmt: string): Build<Site> {
  const rec = yield* openRecordingArchive(sourceDir(subdir, yield* fs.root()), name);
  const meta = yield* rec.meta();
  if (meta.stimfmt !== stimfmt) throw new FormatError(`${rec.label}`, `meta.json stimfmt is ${JSON.stringify(meta.stimfmt)}, expected ${JSON.stringify(stimfmt)}`);
  const attrs = yield* rec.attrs('resp');
  const epochs = yield* rec.epochs('resp');
  const h5 = yield* rec.hdf5('resp');
  let spikes: Map<string, Float64Array> | null = null;
  let raster: NemsRaster | null = null;
  if (h5) spikes = new Map(attrs.chans.map((c) => [c, sortedTimes(h5.get(c).data)]));
  else {
    raster = rec.need(yield* rec.raster('resp'), '.resp.h5');
    if (raster.cols !== attrs.chans.length) throw new FormatError(`${rec.label}/${rec.require('.resp.csv')}`, `has ${raster.cols} columns but chans lists ${attrs.chans.length} cells`);
  }
  const cochleagrams = new Map<string, { F: number; T: number; data: Float64Array }>();
  const sh5 = yield* rec.hdf5('stim');
  if (sh5) {
    for (const n of sh5.names) {
      const a = sh5.get(n);
      if (a.shape.length !== 2) throw new FormatError(`${rec.label}/${rec.require('.stim.h5')}`, `${n} has shape [${a.shape.join(', ')}], expected (F, T)`);
      cochleagrams.set(n, { F: a.shape[0], T: a.shape[1], data: a.data });
    }
  } else {
    const sr = yield* rec.raster('stim');
    if (sr) {
      // Each STIM_ name cut at its first epoch: rows [round(start·fs), round(end·fs)), transposed to (F, T).
      for (let i = 0; i < epochs.name.length; i++) {
        const n = epochs.name[i];
        if (!n.startsWith('STIM_') || cochleagrams.has(n)) continue;
        const a = roundHalfEven(epochs.start[i] * attrs.fs);
        const b = Math.min(roundHalfEven(epochs.end[i] * attrs.fs), sr.rows);
        const T = Math.max(0, b - Math.max(0, a));
        const data = new Float64Array(sr.cols * T);
        for (let t = 0; t < T; t++) for (let f = 0; f < sr.cols; f++) data[f * T + t] = sr.data[(Math.max(0, a) + t) * sr.cols + f];
        cochleagrams.set(n, { F: sr.cols, T, data });
      }
    }
  }
  const counts = new Map<string, number>();
  for (const n of epochs.name) if (n.startsWith('STIM_')) counts.set(n, (counts.get(n) ?? 0) + 1);
  return { label: rec.label, chans: attrs.chans, fs: attrs.fs, epochs, spikes, raster, cochleagrams, counts };
}

interface Registered {
  name: string;
  site: number;
  maxReps: number;
  isTest: boolean;
  sessions: Map<number, number>;
}

function registry(sites: Site[]): Map<string, Registered> {
  const reg = new Map<string, Registered>();
  sites.forEach((s, si) => {
    let siteMax = 0;
    for (const c of s.counts.values()) siteMax = Math.max(siteMax, c);
    for (const [name, count] of s.counts) {
      const isTest = count === siteMax && siteMax > 1;
      const r = reg.get(name);
      if (!r) {
        if (!s.cochleagrams.has(name)) continue; // no cochleagram at its first site: skipped there
        reg.set(name, { name, site: si, maxReps: count, isTest, sessions: new Map([[si, count]]) });
      } else {
        r.maxReps = Math.max(r.maxReps, count);
        r.isTest = r.isTest || isTest;
        r.sessions.set(si, count);
      }
    }
  });
  return reg;
}

/** Names of the stimuli the dataset will keep (for fetching their waveforms). */
function* espejoStimNames(o: EspejoDatasetOptions): Build<string[]> {
  const { set } = check({ ...o, returnWaveform: false });
  const sites: Site[] = [];
  for (const n of yield* siteArchives(set.subdir)) sites.push(yield* loadSite(set.subdir, n, set.stimfmt));
  return kept(registry(sites), o.subset ?? 'all').map((r) => r.name);
}

function kept(reg: Map<string, Registered>, subset: string): Registered[] {
  const names = [...reg.keys()].sort();
  const out = names.map((n) => reg.get(n) as Registered).filter((r) => subset === 'all' || (subset === 'test') === r.isTest);
  if (out.length === 0) throw new ValueError(`EspejoDataset: no stimulus in subset ${JSON.stringify(subset)}`);
  return out;
}

function* buildEspejo(o: EspejoDatasetOptions): Build<BuiltData> {
  const { set, stimuli } = check(o);
  const sites: Site[] = [];
  for (const n of yield* siteArchives(set.subdir)) sites.push(yield* loadSite(set.subdir, n, set.stimfmt));

  // Cells: sorted ids; each with the sites (archive order) where it was recorded.
  const allow = o.cells ? new Set(o.cells) : null;
  const cellSites = new Map<string, number[]>();
  sites.forEach((s, si) => s.chans.forEach((c) => {
    if (allow && !allow.has(c)) return;
    const l = cellSites.get(c) ?? [];
    if (!l.includes(si)) l.push(si);
    cellSites.set(c, l);
  }));
  const cells = [...cellSites.keys()].sort();
  if (cells.length === 0) throw new ValueError('EspejoDataset: no cell selected (check the cells option)');
  const nrnMeta: Meta[] = cells.map((cellId) => {
    const p = parseEspejoCellId(cellId);
    return { cellId, experimentSet: stimuli, site: p.site, animalId: p.animalId, channel: p.channel, unit: p.unit };
  });

  const stims: Tensor[] = [];
  const stimMeta: Meta[] = [];
  const responses: Tensor[][] = [];
  const audioFs = o.audioFs ?? 44100;
  for (const r of kept(registry(sites), o.subset ?? 'all')) {
    const coch = sites[r.site].cochleagrams.get(r.name) as { F: number; T: number; data: Float64Array };
    const T = coch.T;
    if (coch.F !== set.F) throw new FormatError(sites[r.site].label, `the cochleagram of ${r.name} has ${coch.F} bands, expected ${set.F}`);
    if (o.returnWaveform) {
      const file = r.name.replace(/^STIM_/, '');
      const rel = `${ESPEJO_WAVEFORM_DIR}/${file}`;
      if ((yield* fs.stat(rel))?.kind !== 'file') throw new FormatError(fileLabel(yield* fs.root(), rel), 'not found (waveform mode: `EspejoDataset.load({ download: true, returnWaveform: true })` fetches it from the LBHB mirror)');
      const hop = (audioFs * 10) / 1000;
      stims.push(placeAfterSilence(yield* fs.read(rel), rel, audioFs, T * hop, roundHalfEven(ESPEJO_NAT_PRESTIM_S * audioFs)));
    } else stims.push(tensor('float32', [1, coch.F, T], Float32Array.from(coch.data)));
    stimMeta.push({ name: r.name, type: stimuli, nRepeats: r.maxReps, split: r.isTest ? 'test' : 'estimation', durationS: T * BIN_S, nSamples: T });
    responses.push(cells.map((c) => cellResponse(sites, cellSites.get(c) as number[], c, r, T)));
  }
  return { stims, responses, stimMeta, nrnMeta };
}

/** One row per presentation, over the cell's sessions that played the stimulus; none → sentinel. */
function cellResponse(sites: Site[], cellSites: number[], cell: string, r: Registered, T: number): Tensor {
  const rows: Float32Array[] = [];
  for (const si of cellSites) {
    if (!r.sessions.has(si)) continue;
    const s = sites[si];
    for (let i = 0; i < s.epochs.name.length; i++) {
      if (s.epochs.name[i] !== r.name) continue;
      const start = s.epochs.start[i];
      const end = s.epochs.end[i];
      const row = new Float32Array(T);
      if (s.spikes) {
        const Tep = roundHalfEven((end - start) / BIN_S);
        const ts = s.spikes.get(cell) as Float64Array;
        for (let j = lowerBound(ts, start); j < ts.length; j++) {
          const bin = Math.floor((ts[j] - start) / BIN_S);
          if (bin >= Tep) break;
          if (bin >= 0 && bin < Tep && bin < T) row[bin] += 1;
        }
      } else {
        const ras = s.raster as NemsRaster;
        const col = s.chans.indexOf(cell);
        const [[a, b]] = epochBounds({ start: Float64Array.of(start), end: Float64Array.of(end), name: [r.name] }, r.name, s.fs);
        const per = Math.max(1, roundHalfEven(BIN_S * s.fs)); // samples per bin (1 at 100 Hz)
        for (let k = Math.max(0, a); k < Math.min(b, ras.rows); k++) {
          const bin = Math.floor((k - a) / per);
          if (bin < T) row[bin] += ras.data[k * ras.cols + col];
        }
      }
      rows.push(row);
    }
  }
  if (rows.length === 0) return missing();
  const out = new Float32Array(rows.length * T);
  rows.forEach((row, k) => out.set(row, k * T));
  return tensor('float32', [rows.length, T], out);
}

/**
 * Registry entry of Espejo.
 * @example
 * ```ts
 * const ds = await espejoEntry.load({ path: '/data/Espejo', stimuli: 'vmn' });
 * ```
 */
export const espejoEntry: DatasetEntry = {
  name: 'espejo',
  className: 'EspejoDataset',
  description: 'Ferret A1 single units, natural sounds (NAT, 18 bands) or vocalisation-modulated noise (VMN, 2 bands), 10 ms (Lopez-Espejo et al. 2019)',
  species: 'ferret (awake passive)',
  area: 'A1 single units, natural sounds (NAT, 18 bands) or vocalisation-modulated noise (VMN, 2 bands)',
  size: 'NAT 638 MB, VMN 25 MB',
  licence: 'as stated on Zenodo record 3445557',
  citation: 'Lopez Espejo et al. 2019, PLoS Comput Biol',
  accountNeeded: false,
  cacheFolder: 'Espejo',
  flags: [{ name: 'stimuli', option: 'stimuli', kind: 'string', commands: ['download', 'info', 'run', 'fit', 'export'], help: 'nat (default) or vmn', metavar: 'SET' }],
  manifest: (opts) => espejoManifest({ stimuli: opts.stimuli as 'nat' | 'vmn' | undefined, base: opts.mirror }),
  describe: (path, opts) => describeRelease('espejo', espejoManifest({ stimuli: opts.stimuli as 'nat' | 'vmn' | undefined }), path ?? defaultCacheDir('Espejo')),
  mainJob: (o) => ({ load: o.stimuli === undefined ? {} : { stimuli: o.stimuli } }),
  load: (opts) => EspejoDataset.load(opts as EspejoDatasetOptions & ZooLoadOptions),
};
