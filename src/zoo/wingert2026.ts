/**
 * `Wingert2026Dataset`: ferret A1/PEG/AC/HC Kilosort units and 20–22 s natural-sound sequences,
 * from `cell_list.csv` and the per-site NEMS archives of Zenodo record 18331549
 * (docs/zoo/wingert2026.md). Stimuli are per (session, sound); spectrograms log-compressed and
 * min–max scaled per band over all stimuli, responses min–max scaled per neuron.
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
import { parseCsv, parseCsvNumber, PANDAS_NA_VALUES } from '../io/csv.js';
import { openRecordingArchive, parseSignalAttrs, sourceDir, type NemsRecording } from '../io/nems.js';
import { scanTgz } from '../io/nems-tgz.js';
import { fileLabel, fs, runAsync, type Build } from '../sources/build.js';
import { tensor, type Tensor } from '../tensor.js';
import { roundHalfEven } from '../util/round.js';
import {
  BUILT, cellSession, describeRelease, lowerBound, missing, parseWingertCellId, placeAfterSilence, sortedTimes,
  wavIndex, withZippedFolder,
} from './david-lab.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';

/** Zenodo record of the release. @example `zenodoFileUrl(WINGERT2026_ZENODO_RECORD, 'cell_list.csv')` */
export const WINGERT2026_ZENODO_RECORD = '18331549';
/** Area labels of `cell_list.csv`. @example `new Wingert2026Dataset({ area: ['A1', 'PEG'] })` */
export const WINGERT2026_AREAS = ['A1', 'PEG', 'AC', 'HC'] as const;
/** Gammatone bands of the stimuli. @example `ds.F === WINGERT2026_F` */
export const WINGERT2026_F = 32;
type Area = (typeof WINGERT2026_AREAS)[number];

/** Options of {@link Wingert2026Dataset} (the reference's keyword arguments in camelCase, same defaults). @example `{ area: ['A1', 'PEG'], subset: 'est' }` */
export interface Wingert2026DatasetOptions {
  /** Folder of the release (default: the cache folder `Wingert2026`). */
  path?: string;
  /** Area(s) to keep (default: all four labels). */
  area?: Area | readonly Area[] | null;
  /** `siteid`(s) to keep (e.g. `'SLJ032a-B'`); every one must exist. */
  site?: string | readonly string[] | null;
  /** Bin width: 10 ms only. */
  dtMs?: number;
  /** `'all'` (default), `'est'` or `'val'` (applied after normalisation). */
  subset?: 'all' | 'est' | 'val';
  /** 21 ms Hann smoothing (identity at 10 ms). Default false. */
  smooth?: boolean;
  /** ln((x + d)/d) with d = 10^adj before the per-band scaling. Default true. */
  logCompress?: boolean;
  /** The NEMS log offset (default −1 ⇒ d = 0.1). */
  logOffset?: number;
  /** Keep the 131 cells without an area label. Default false. */
  includeUnlabeled?: boolean;
  /** Waveform stimuli from `wav/` (not normalised). Default false. */
  returnWaveform?: boolean;
  /** Waveform rate (default 44 100 Hz). */
  audioFs?: number;
  /** Silence before each sequence in the gammatone-gram (ms; default 1000). */
  prestimMs?: number;
  /** Fetch missing files first (only through `Wingert2026Dataset.load`). */
  download?: boolean;
  /** Warnings (duplicate archives of a session). */
  onWarning?: (message: string) => void;
}

/**
 * The Wingert 2026 dataset.
 * @example
 * ```ts
 * const a1 = new Wingert2026Dataset({ path: '/data/Wingert2026', area: 'A1', subset: 'val' });
 * const probeB = await Wingert2026Dataset.load({ site: 'SLJ032a-B' });
 * ```
 */
export class Wingert2026Dataset extends DavidLabDataset {
  constructor(options: Wingert2026DatasetOptions & { [BUILT]?: BuiltData } = {}) {
    const path = options.path ?? defaultCacheDir('Wingert2026');
    super(path, options, 10, WINGERT2026_F, options[BUILT] ?? zooBuildSync('Wingert2026Dataset', options, path, () => buildWingert(options)));
  }

  /**
   * Builds from any source; with `download: true` fetches `cell_list.csv`, `recordings.zip`
   * (and `wav.zip` in waveform mode) first. Without a `recordings/` folder, the site archives are
   * read inside `recordings.zip` (ZIP64, by byte ranges), never unpacked.
   * @example
   * ```ts
   * const ds = await Wingert2026Dataset.load({ download: true, area: 'PEG' });
   * ```
   */
  static async load(options: Wingert2026DatasetOptions & ZooLoadOptions = {}): Promise<Wingert2026Dataset> {
    const path = davidLabLoadPath('Wingert2026Dataset', 'Wingert2026', options);
    if (options.download) {
      await downloadDataset(wingert2026Manifest({ wav: options.returnWaveform, base: options.mirror }), { root: path, onProgress: options.onProgress, signal: options.signal });
    }
    const source = await withZippedFolder(options.source ?? (await platform.openWritableSource(path)), 'recordings', 'recordings.zip');
    const built = await runAsync(buildWingert(options), source);
    return new Wingert2026Dataset({ ...options, path, [BUILT]: built });
  }
}

/**
 * The Wingert 2026 files on Zenodo: `cell_list.csv`, `recordings.zip` → `recordings/` and, for
 * waveforms, `wav.zip` → `wav/` (`models.zip` is never fetched).
 * @example
 * ```ts
 * await downloadDataset(wingert2026Manifest(), { root: '/data/Wingert2026' });
 * ```
 */
export function wingert2026Manifest(o: { wav?: boolean; base?: string } = {}): DatasetManifest {
  const files: ZenodoFile[] = [
    { name: 'cell_list.csv' },
    { name: 'recordings.zip', archive: 'zip', extractTo: '', anchor: 'recordings' },
  ];
  if (o.wav) files.push({ name: 'wav.zip', archive: 'zip', extractTo: '', anchor: 'wav' });
  return zenodoManifest('Wingert2026', WINGERT2026_ZENODO_RECORD, files, o.base);
}

const asList = <T extends string>(v: T | readonly T[] | null | undefined): T[] | null => (v == null ? null : typeof v === 'string' ? [v as T] : [...(v as readonly T[])]);

/** `cell_list.csv` rows → neuron metadata, filtered as the options say. */
function selectCells(bytes: Uint8Array, file: string, o: Wingert2026DatasetOptions): Meta[] {
  const t = parseCsv(bytes, file);
  const h = t.header ?? [];
  const col = (c: string) => {
    const i = h.indexOf(c);
    if (i < 0) throw new FormatError(file, `expected a "${c}" column (found ${h.join(', ')})`);
    return i;
  };
  const na = new Set(PANDAS_NA_VALUES);
  const text = (v: string) => (na.has(v) ? null : v);
  const num = (v: string) => (na.has(v) ? null : parseCsvNumber(v.trim()));
  const bool = (v: string) => (na.has(v) ? null : /^true$/i.test(v) ? true : /^false$/i.test(v) ? false : (parseCsvNumber(v) ?? 1) !== 0);
  const c = Object.fromEntries(['cellid', 'siteid', 'area', 'layer', 'depth', 'narrow', 'celltype', 'sw', 'goodpred'].map((k) => [k, col(k)]));
  const areas = asList(o.area);
  for (const a of areas ?? []) if (!(WINGERT2026_AREAS as readonly string[]).includes(a)) throw new ValueError(`Wingert2026Dataset: area must be among ${WINGERT2026_AREAS.join(', ')}, got ${JSON.stringify(a)}`);
  let rows = t.rows.map((r) => r.map(String));
  if (!o.includeUnlabeled) rows = rows.filter((r) => (WINGERT2026_AREAS as readonly string[]).includes(r[c.area]));
  if (areas) rows = rows.filter((r) => (areas as string[]).includes(r[c.area]));
  const sites = asList(o.site);
  if (sites) {
    const present = new Set(rows.map((r) => r[c.siteid]));
    const absent = sites.filter((s) => !present.has(s));
    if (absent.length > 0) throw new ValueError(`Wingert2026Dataset: requested site(s) not found: ${absent.join(', ')}`);
    rows = rows.filter((r) => sites.includes(r[c.siteid]));
  }
  if (rows.length === 0) throw new ValueError('Wingert2026Dataset: no cell left after the area/site filters');
  return rows.map((r) => {
    const cellId = r[c.cellid];
    return {
      cellId, site: text(r[c.siteid]), session: cellSession(cellId), area: text(r[c.area]), layer: text(r[c.layer]), depth: num(r[c.depth]),
      narrow: bool(r[c.narrow]), celltype: text(r[c.celltype]), sw: num(r[c.sw]), goodpred: bool(r[c.goodpred]), ...parseWingertCellId(cellId),
    };
  });
}

/**
 * Session → archive of `recordings/`: the session is the first cell id's prefix in the archive's
 * first `*.resp.json` member (inflated only up to that member).
 */
function* sessionArchives(base: string, warn: (m: string) => void): Build<Map<string, string>> {
  const names = (yield* fs.list('recordings')).map((e) => e.name).filter((n) => n.endsWith('.tgz')).sort();
  const bySession = new Map<string, string[]>();
  for (const n of names) {
    const label = fileLabel(base, `recordings/${n}`);
    const kept = scanTgz(yield* fs.read(`recordings/${n}`), label, (p) => (p.endsWith('.resp.json') ? 'keep' : null), (k) => k.size > 0);
    const first = [...kept][0];
    if (!first) continue;
    const chans = parseSignalAttrs(first[1], `${label}/${first[0]}`).chans;
    if (chans.length === 0) continue;
    const s = cellSession(chans[0]);
    bySession.set(s, [...(bySession.get(s) ?? []), n]);
  }
  const out = new Map<string, string>();
  for (const [s, list] of bySession) {
    const named = list.filter((n) => n.slice(0, n.indexOf('_') < 0 ? n.length : n.indexOf('_')) === s);
    const keep = (named.length > 0 ? named : list)[0];
    out.set(s, keep);
    if (list.length > 1) warn(`Wingert2026Dataset: session ${s} is in ${list.join(', ')}; using ${keep}, ignoring ${list.filter((n) => n !== keep).join(', ')}`);
  }
  return out;
}

function* buildWingert(o: Wingert2026DatasetOptions): Build<BuiltData> {
  const subset = o.subset ?? 'all';
  if (!['all', 'est', 'val'].includes(subset)) throw new ValueError(`Wingert2026Dataset: subset must be 'all', 'est' or 'val', got ${JSON.stringify(subset)}`);
  if ((o.dtMs ?? 10) !== 10) throw new ValueError(`Wingert2026Dataset: dtMs must be 10 (the only bin width of the release), got ${o.dtMs}`);
  const base = yield* fs.root();
  if ((yield* fs.stat('cell_list.csv'))?.kind !== 'file') throw new FormatError(fileLabel(base, 'cell_list.csv'), 'not found (use download=True: `Wingert2026Dataset.load({ download: true })`)');
  if ((yield* fs.stat('recordings'))?.kind !== 'directory') throw new FormatError(fileLabel(base, 'recordings'), 'folder not found (use download=True: `Wingert2026Dataset.load({ download: true })`)');
  const nrnMeta = selectCells(yield* fs.read('cell_list.csv'), fileLabel(base, 'cell_list.csv'), o);
  const waveform = o.returnWaveform ?? false;
  const audioFs = o.audioFs ?? 44100;
  let wavs: Map<string, string> | null = null;
  if (waveform) {
    if ((yield* fs.stat('wav'))?.kind !== 'directory') throw new FormatError(fileLabel(base, 'wav'), 'folder not found (waveform mode: `Wingert2026Dataset.load({ download: true, returnWaveform: true })`)');
    wavs = yield* wavIndex('wav');
  }

  const archives = yield* sessionArchives(base, o.onWarning ?? (() => undefined));
  const column = new Map<string, number>();
  nrnMeta.forEach((m, n) => column.set(m.cellId as string, n));
  const sessions = [...new Set(nrnMeta.map((m) => m.session as string))].sort();
  const N = nrnMeta.length;
  const stims: Array<Tensor | null> = [];
  const raw: Array<{ F: number; T: number; data: Float64Array } | null> = [];
  const stimMeta: Meta[] = [];
  const responses: Tensor[][] = [];
  for (const session of sessions) {
    const archive = archives.get(session);
    if (!archive) throw new FormatError(fileLabel(base, `recordings/${session}_*.tgz`), `no archive holds session ${session}`);
    const rec: NemsRecording = yield* openRecordingArchive(sourceDir('recordings', base), archive);
    const attrs = yield* rec.attrs('resp');
    const epochs = yield* rec.epochs('resp');
    const spikes = rec.need(yield* rec.hdf5('resp'), '.resp.h5');
    const stimH5 = rec.need(yield* rec.hdf5('stim'), '.stim.h5');
    const cells = attrs.chans.filter((c) => column.has(c));
    const times = new Map(cells.map((c) => [c, sortedTimes(spikes.get(c).data)]));
    for (const name of [...stimH5.names].sort()) {
      const a = stimH5.get(name);
      if (a.shape.length !== 2 || a.shape[0] !== WINGERT2026_F) throw new FormatError(`${rec.label}/${rec.require('.stim.h5')}`, `${name} has shape [${a.shape.join(', ')}], expected (32, T)`);
      const T = a.shape[1];
      if (waveform && wavs) {
        const file = name.replace(/^STIM_/, '');
        const rel = wavs.get(file.toLowerCase());
        if (!rel) throw new FormatError(fileLabel(base, `wav/${file}`), 'not found (waveform mode)');
        const hop = (audioFs * 10) / 1000;
        stims.push(placeAfterSilence(yield* fs.read(rel), rel, audioFs, T * hop, roundHalfEven(((o.prestimMs ?? 1000) / 1000) * audioFs)));
        raw.push(null);
      } else {
        stims.push(null); // filled by normaliseStims
        raw.push({ F: WINGERT2026_F, T, data: a.data });
      }
      stimMeta.push({ name, subset: name.startsWith('STIM_00') ? 'val' : 'est', session });
      const row: Tensor[] = new Array<Tensor>(N).fill(missing());
      const occ: Array<[number, number]> = [];
      for (let i = 0; i < epochs.name.length; i++) if (epochs.name[i] === name) occ.push([epochs.start[i], epochs.end[i]]);
      if (occ.length > 0) {
        for (const cell of cells) {
          const ts = times.get(cell) as Float64Array;
          const out = new Float32Array(occ.length * T);
          occ.forEach(([s, e], r) => {
            const s0 = roundHalfEven(s * attrs.fs);
            for (let j = lowerBound(ts, s); j < ts.length && ts[j] < e; j++) {
              const t = ts[j];
              const bin = Math.floor(t * attrs.fs) - s0;
              if (bin >= 0 && bin < T) out[r * T + bin] += 1;
            }
          });
          row[column.get(cell) as number] = tensor('float32', [occ.length, T], out);
        }
      }
      responses.push(row);
    }
  }
  if (stims.length === 0) throw new ValueError('Wingert2026Dataset: the selected sessions hold no stimulus');
  if (!waveform) normaliseStims(stims, raw, o.logCompress ?? true, o.logOffset ?? -1);
  normaliseResponses(responses, N);
  const keep = stimMeta.map((m, s) => (subset === 'all' || m.subset === subset ? s : -1)).filter((s) => s >= 0);
  return { stims: keep.map((s) => stims[s] as Tensor), responses: keep.map((s) => responses[s]), stimMeta: keep.map((s) => stimMeta[s]), nrnMeta };
}

/** NEMS log compression (with its softened offset), then per-band min–max over all stimuli; < 1e-6 → 0. */
function normaliseStims(stims: Array<Tensor | null>, raw: Array<{ F: number; T: number; data: Float64Array } | null>, logCompress: boolean, offset: number): void {
  const F = WINGERT2026_F;
  const adj = offset > 2 ? 2 + (offset - 2) / 50 : offset < -2 ? -2 + (offset + 2) / 50 : offset;
  const d = 10 ** adj;
  const lo = new Float64Array(F).fill(Infinity);
  const hi = new Float64Array(F).fill(-Infinity);
  for (const r of raw) {
    if (!r) continue;
    if (logCompress) for (let i = 0; i < r.data.length; i++) r.data[i] = Math.log((r.data[i] + d) / d);
    for (let f = 0; f < F; f++) for (let t = 0; t < r.T; t++) {
      const v = r.data[f * r.T + t];
      if (v < lo[f]) lo[f] = v;
      if (v > hi[f]) hi[f] = v;
    }
  }
  raw.forEach((r, s) => {
    if (!r) return;
    const out = new Float32Array(r.data.length);
    for (let f = 0; f < F; f++) {
      const range = hi[f] - lo[f] === 0 ? 1 : hi[f] - lo[f];
      for (let t = 0; t < r.T; t++) {
        const x = (r.data[f * r.T + t] - lo[f]) / range;
        out[f * r.T + t] = x < 1e-6 ? 0 : x;
      }
    }
    stims[s] = tensor('float32', [1, F, r.T], out);
  });
}

/** Per neuron min–max over its real tensors (more than one element); < 1e-6 → 0; sentinels untouched. */
function normaliseResponses(responses: Tensor[][], N: number): void {
  for (let n = 0; n < N; n++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of responses) {
      const d = row[n].data;
      if (d.length <= 1) continue;
      for (let i = 0; i < d.length; i++) {
        if (d[i] < lo) lo = d[i];
        if (d[i] > hi) hi = d[i];
      }
    }
    if (!(hi > lo)) continue;
    for (const row of responses) {
      const d = row[n].data;
      if (d.length <= 1) continue;
      for (let i = 0; i < d.length; i++) {
        const x = (d[i] - lo) / (hi - lo);
        d[i] = x < 1e-6 ? 0 : x;
      }
    }
  }
}

/**
 * Registry entry of Wingert 2026.
 * @example
 * ```ts
 * const ds = await wingert2026Entry.load({ path: '/data/Wingert2026', area: 'A1' });
 * ```
 */
export const wingert2026Entry: DatasetEntry = {
  name: 'wingert2026',
  className: 'Wingert2026Dataset',
  description: 'Ferret A1/PEG/AC/HC Kilosort units (3128 labelled), natural-sound sequences per session, 10 ms, 32-band gammatone (Wingert et al. 2026)',
  species: 'ferret (awake passive)',
  area: 'A1, PEG, AC, HC Kilosort units (3128 labelled), natural-sound sequences',
  size: '4.35 GB (+ 3.7 GB wav.zip for waveforms)',
  licence: 'as stated on Zenodo record 18331549',
  citation: 'Wingert et al. 2026 (Zenodo 18331549)',
  accountNeeded: false,
  cacheFolder: 'Wingert2026',
  flags: [{ name: 'waveform', option: 'returnWaveform', kind: 'boolean', commands: ['download', 'info', 'run', 'fit', 'export'], help: 'waveform stimuli (needs wav.zip, 3.7 GB)' }],
  manifest: (opts) => wingert2026Manifest({ wav: opts.returnWaveform === true, base: opts.mirror }),
  describe: (path, opts) => describeRelease('wingert2026', wingert2026Manifest({ wav: opts.returnWaveform === true }), path ?? defaultCacheDir('Wingert2026')),
  mainJob: (o) => ({ load: o.returnWaveform ? { returnWaveform: true } : {} }),
  load: (opts) => Wingert2026Dataset.load(opts as Wingert2026DatasetOptions & ZooLoadOptions),
};
