/**
 * `CRCNSAA2Dataset`: zebra finch OV, MLd, Field L (L, L1, L2a, L2b, L3), CM and unlabelled single
 * units (Theunissen lab, CRCNS `aa-2`), conspecific songs, flat and song ripples at 32 kHz, spike
 * times as text. Layout, processing and quirks: docs/zoo/aa2.md.
 * @module
 */
import { FormatError, ValueError } from '../errors.js';
import type { BuiltData, Meta } from '../contract/types.js';
import { CrcnsZebraFinchDataset, zebraFinchLoad } from './crcns-zebra-finch.js';
import { zooBuildSync } from './zoo-build.js';
import { parseCsv } from '../io/csv.js';
import { fileLabel, fs, type Build } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import type { DatasetManifest } from '../download/manifest.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';
import {
  CRCNS_AA_FS, buildCrcns32k, describeRelease, downloadCrcnsArchives, listSorted, needFile, parseCellName, pyFloat, pyInt,
  resolveTheunissen, stimFolderIndex, type CrcnsArchive, type CrcnsServerOptions, type Crcns32kStim, type ResolvedTheunissen,
  type StimFileEntry, type TheunissenOptions,
} from './theunissen.js';

/** Region labels of `cell_regions.csv` (`'None'` is a literal label). @example `AA2_REGIONS.includes('L2a') // true` */
export const AA2_REGIONS = ['L', 'L1', 'L2a', 'L2b', 'L3', 'mld', 'OV', 'CM', 'None'] as const;
/** The fine labels `'Field_L'` (or `'L'`) expands to, in order. @example `new CRCNSAA2Dataset({ path, areas: ['Field_L'] })` */
export const AA2_FIELD_L = ['L', 'L1', 'L2a', 'L2b', 'L3'] as const;
/** Default `areas`. @example `new CRCNSAA2Dataset({ path, areas: AA2_DEFAULT_AREAS })` */
export const AA2_DEFAULT_AREAS = ['Field_L', 'mld', 'OV', 'CM', 'None'] as const;
/** What `areas: 'all'` means (a different order from the default, hence a different neuron order). @example `AA2_ALL_AREAS[1] // 'OV'` */
export const AA2_ALL_AREAS = ['Field_L', 'OV', 'CM', 'mld', 'None'] as const;
/** AA2 stimulus types, in the reference's default order. @example `new CRCNSAA2Dataset({ path, stimuli: ['songrip'] })` */
export const AA2_STIM_TYPES = ['conspecific', 'flatrip', 'songrip'] as const;
/** The order in which the stimulus lists are discovered from the cell folders. */
const DISCOVERY_ORDER = ['songrip', 'flatrip', 'conspecific'] as const;
/** Cache sub-folder of AA2. @example `defaultCacheDir(AA2_CACHE_NAME)` */
export const AA2_CACHE_NAME = 'AA2';
/**
 * The three CRCNS archives (`https://download.crcns.org/<remote>`), each wrapping its content in
 * `crcns/aa2/` (unpacked with 2 leading path components stripped), with the anchor whose
 * presence means it was already unpacked.
 * @example
 * ```ts
 * AA2_ARCHIVES[0].anchor; // 'stim_data.csv'
 * ```
 */
export const AA2_ARCHIVES: readonly CrcnsArchive[] = [
  { remote: 'aa-2/crcns-aa2-docs.tar.gz', anchor: 'stim_data.csv', extract: { stripComponents: 2 } },
  { remote: 'aa-2/crcns-aa2-all_cells.tar.gz', anchor: 'all_cells', extract: { stripComponents: 2 } },
  { remote: 'aa-2/crcns-aa2-all_stims.tar.gz', anchor: 'all_stims', extract: { stripComponents: 2 } },
];

/**
 * Options of {@link CRCNSAA2Dataset} (the reference's keyword arguments, camelCase).
 * @example
 * ```ts
 * const o: CRCNSAA2Options = { path: '/data/AA2', areas: ['Field_L', 'OV'], stimuli: ['conspecific'] };
 * ```
 */
export interface CRCNSAA2Options extends TheunissenOptions {
  /**
   * Areas, in neuron order: `'Field_L'` (or `'L'`: L, L1, L2a, L2b, L3), `'L1'`, `'L2a'`, `'L2b'`,
   * `'L3'`, `'mld'`, `'OV'`, `'CM'`, `'None'`. Default `['Field_L', 'mld', 'OV', 'CM', 'None']`;
   * `'all'` = `['Field_L', 'OV', 'CM', 'mld', 'None']`.
   */
  areas?: readonly string[] | 'all';
  /** Stimulus types, in stimulus order (default `['conspecific', 'flatrip', 'songrip']`). */
  stimuli?: readonly string[];
  /** Animal ids to keep, or `'all'` (default: the animals of `cell_stim_classes.csv`). */
  animals?: readonly string[] | 'all';
}

interface StimInfo {
  sampleRate: number;
  bitDepth: number;
  nSamples: number;
  durationS: number;
}

const BUILT = Symbol('built');
const HINT = 'download it with `deepstrf download aa2` or `CRCNSAA2Dataset.load({ download: true })`';

/** Rows of a header-less CSV (Python's csv.reader), fields as strings. */
function csvRows(bytes: Uint8Array, file: string): string[][] {
  return parseCsv(bytes, file, { header: false }).rows.map((r) => r.map(String)).filter((r) => !(r.length === 1 && r[0] === ''));
}

/** `cell_stim_classes.csv` (pandas: first row = header): unique animal ids, first-seen order. */
function animalIds(bytes: Uint8Array, file: string): string[] {
  return [...new Set(csvRows(bytes, file).slice(1).map((r) => r[0].split('_')[0]))];
}

/** `cell_regions.csv`: region → cells in file order (rows with ≥ 2 fields; label = last field, trimmed). */
function areaCells(bytes: Uint8Array, file: string): Map<string, string[]> {
  const out = new Map<string, string[]>(AA2_REGIONS.map((r) => [r, []]));
  csvRows(bytes, file).forEach((row, i) => {
    if (row.length < 2) return;
    const label = row[row.length - 1].trim();
    const list = out.get(label);
    if (!list) throw new FormatError(file, `row ${i + 1}: unknown region label '${label}' (expected one of ${AA2_REGIONS.join(', ')})`);
    list.push(row[0].trim());
  });
  return out;
}

/** `stim_data.csv`: wav → sample rate, bit depth, samples, duration (rows with < 5 fields skipped). */
function stimInfo(bytes: Uint8Array, file: string): Map<string, StimInfo> {
  const out = new Map<string, StimInfo>();
  csvRows(bytes, file).forEach((row, i) => {
    if (row.length < 5) return;
    const [wav, sr, bd, n] = row.slice(0, 4).map((c) => c.trim());
    const sampleRate = pyFloat(sr), bitDepth = pyInt(bd), nSamples = pyInt(n);
    if (sampleRate === null || bitDepth === null || nSamples === null) {
      throw new FormatError(file, `row ${i + 1}: expected a sample rate, a bit depth and a sample count, got '${sr}', '${bd}', '${n}'`);
    }
    out.set(wav, { sampleRate, bitDepth, nSamples, durationS: sampleRate > 0 ? nSamples / sampleRate : Number.NaN });
  });
  return out;
}

/** The AA2 build: one pass over the release (docs/zoo/aa2.md, "Processing"). */
function* buildAA2(o: CRCNSAA2Options, r: ResolvedTheunissen, root: string): Build<BuiltData> {
  const types = [...(o.stimuli ?? AA2_STIM_TYPES)];
  for (const t of types) {
    if (!(AA2_STIM_TYPES as readonly string[]).includes(t)) throw new ValueError(`unknown stimulus type '${t}' (expected one of 'conspecific', 'flatrip', 'songrip')`);
  }
  const areas = o.areas === undefined ? AA2_DEFAULT_AREAS : o.areas === 'all' ? AA2_ALL_AREAS : o.areas;
  for (const a of areas) {
    if (a !== 'Field_L' && !(AA2_REGIONS as readonly string[]).includes(a)) {
      throw new ValueError(`unknown area '${a}' (expected 'Field_L' or one of ${AA2_REGIONS.map((x) => `'${x}'`).join(', ')})`);
    }
  }
  const file = (rel: string) => fileLabel(root, rel);
  const animalsAll = animalIds(yield* needFile('cell_stim_classes.csv', root, HINT), file('cell_stim_classes.csv'));
  const regions = areaCells(yield* needFile('cell_regions.csv', root, HINT), file('cell_regions.csv'));
  const info = stimInfo(yield* needFile('stim_data.csv', root, HINT), file('stim_data.csv'));

  // Stimulus lists from the cell folders: first encounter order, per type.
  const folders = new Map<string, StimFileEntry[] | null>();
  const cellFolders = yield* listSorted('all_cells', root, 'directory', HINT);
  const stimIds = new Map<string, string[]>();
  for (const type of DISCOVERY_ORDER) {
    const list: string[] = [];
    for (const cell of cellFolders) {
      const dir = `all_cells/${cell}/${type}`;
      const st = yield* fs.stat(dir);
      const index = st?.kind === 'directory' ? yield* stimFolderIndex(dir, root) : null;
      folders.set(dir, index);
      for (const e of index ?? []) {
        if (e.wav instanceof FormatError) throw e.wav;
        if (!list.includes(e.wav)) list.push(e.wav);
      }
    }
    stimIds.set(type, list);
  }

  // Cells: areas in the order given, each cell with its fine label; then the animal filter.
  let cells: Array<{ cell: string; area: string }> = [];
  for (const a of areas) {
    const labels = a === 'Field_L' || a === 'L' ? AA2_FIELD_L : [a];
    for (const label of labels) for (const cell of regions.get(label) ?? []) cells.push({ cell, area: label });
  }
  const animals = new Set(o.animals === undefined || o.animals === 'all' ? animalsAll : o.animals);
  cells = cells.filter((c) => animals.has(c.cell.split('_')[0]));

  // Removal of cells with none of the requested types, with the reference's list iteration:
  // removing the current cell makes the loop skip the next one (docs/zoo/aa2.md, quirks).
  for (let it = 0; it < cells.length; ) {
    const { cell } = cells[it++];
    const rel = `all_cells/${cell}`;
    const st = yield* fs.stat(rel);
    if (st?.kind !== 'directory') throw new FormatError(file(rel), `folder not found (cell listed in cell_regions.csv; ${HINT})`);
    const subs = new Set((yield* fs.list(rel)).map((e) => e.name));
    if (types.every((t) => !subs.has(t))) cells.splice(cells.findIndex((c) => c.cell === cell), 1);
  }

  const stimList: Crcns32kStim[] = types.flatMap((type) => (stimIds.get(type) ?? []).map((name) => ({ name, type, wavRel: `all_stims/${name}` })));
  const b = yield* buildCrcns32k(stimList, cells.map((c) => `all_cells/${c.cell}`), root, r, HINT, folders);
  const stimMeta = b.kept.map((s): Meta => {
    const { name, type } = stimList[s];
    const i = info.get(name);
    return { name, type, sampleRate: i?.sampleRate ?? null, nSamples: i?.nSamples ?? null, durationS: i?.durationS ?? null };
  });
  const nrnMeta = cells.map(({ cell, area }): Meta => {
    const p = parseCellName(cell);
    return { cellId: cell, animalId: cell.split('_')[0], area, cellSeq: p.seq, rig: p.rig };
  });
  return { stims: b.stims, responses: b.responses, stimMeta, nrnMeta };
}

/**
 * The CRCNS AA2 download: three tar.gz archives (≈ 30 MB) unpacked in place with their
 * `crcns/aa2/` prefix stripped, each skipped when its anchor exists. The URLs need a CRCNS login.
 * @example
 * ```ts
 * aa2Manifest().files.map((f) => f.anchor); // ['stim_data.csv', 'all_cells', 'all_stims']
 * ```
 */
export function aa2Manifest(): DatasetManifest {
  return {
    name: AA2_CACHE_NAME,
    files: AA2_ARCHIVES.map(({ remote, anchor }) => ({
      path: remote.slice(remote.indexOf('/') + 1), url: `https://download.crcns.org/${remote}`, archive: 'tar.gz' as const, extractTo: '', anchor,
    })),
  };
}

/**
 * CRCNS AA2: zebra finch OV, MLd, Field L sub-areas, CM (494 single units), songs and ripples, 1 ms bins.
 * @example
 * ```ts
 * const aa2 = new CRCNSAA2Dataset({ path: '/data/AA2', areas: ['OV'] });  // Node, synchronous
 * const all = await CRCNSAA2Dataset.load({ areas: 'all' });                 // Node or browser
 * aa2.nrnMeta[0].area; // 'OV'
 * ```
 */
export class CRCNSAA2Dataset extends CrcnsZebraFinchDataset {

  constructor(options: CRCNSAA2Options & { [BUILT]?: BuiltData } = {}) {
    const path = options.path ?? defaultCacheDir(AA2_CACHE_NAME);
    const r = resolveTheunissen(options, CRCNS_AA_FS);
    super(path, r, options[BUILT] ?? zooBuildSync('CRCNSAA2Dataset', options, path, () => buildAA2(options, r, path)));
  }

  /**
   * Builds AA2 from any file source (Node folder, OPFS, memory), after an optional download.
   * @example
   * ```ts
   * const ds = await CRCNSAA2Dataset.load({ source: new MemorySource(files), areas: ['mld'] });
   * ```
   */
  static async load(options: CRCNSAA2Options & ZooLoadOptions & CrcnsServerOptions = {}): Promise<CRCNSAA2Dataset> {
    const r = resolveTheunissen(options, CRCNS_AA_FS);
    const { path, built } = await zebraFinchLoad(options, AA2_CACHE_NAME, AA2_ARCHIVES, (root) => buildAA2(options, r, root));
    return new CRCNSAA2Dataset({ ...options, path, download: false, [BUILT]: built });
  }
}

/**
 * The AA2 registry entry.
 * @example
 * ```ts
 * const ds = await aa2Entry.load({ path: '/data/AA2', areas: ['OV'] });
 * ```
 */
export const aa2Entry: DatasetEntry = {
  name: 'aa2',
  className: 'CRCNSAA2Dataset',
  description: 'CRCNS AA2: zebra finch OV, MLd, Field L, CM single units, songs and ripples (Theunissen lab)',
  species: 'zebra finch',
  area: 'OV, MLd, Field L (L, L1, L2a, L2b, L3), CM; single units',
  size: '30 MB',
  licence: 'CRCNS terms of use (free account)',
  citation: 'Amin N., Gill P., Theunissen F. E. (2010). Role of the zebra finch auditory thalamus in generating complex representations for natural sounds. CRCNS.org. doi:10.6080/K0JW8BSC',
  accountNeeded: true,
  cacheFolder: AA2_CACHE_NAME,
  manifest: () => aa2Manifest(),
  download: (path, o) => downloadCrcnsArchives(path, AA2_ARCHIVES, { onProgress: o.onProgress, signal: o.signal }),
  load: (options) => CRCNSAA2Dataset.load(options as CRCNSAA2Options & ZooLoadOptions),
  describe: (path) => {
    const p = path ?? defaultCacheDir(AA2_CACHE_NAME);
    return describeRelease(p, [...AA2_ARCHIVES.map((a) => a.anchor), 'cell_regions.csv', 'cell_stim_classes.csv'], 'aa2', () => CRCNSAA2Dataset.load({ path: p, smooth: false }));
  },
};
