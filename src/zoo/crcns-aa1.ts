/**
 * `CRCNSAA1Dataset`: zebra finch Field L and MLd single units (Theunissen lab, CRCNS `aa-1`),
 * 10 conspecific songs and 20 flat ripples at 32 kHz, spike times as text. Layout, processing
 * and quirks: docs/zoo/aa1.md.
 * @module
 */
import { ValueError } from '../errors.js';
import type { BuiltData, Meta } from '../contract/types.js';
import { CrcnsZebraFinchDataset, zebraFinchLoad } from './crcns-zebra-finch.js';
import { zooBuildSync } from './zoo-build.js';
import { fs, type Build } from '../sources/build.js';
import { defaultCacheDir } from '../download/cache.js';
import type { DatasetManifest } from '../download/manifest.js';
import type { DatasetEntry, ZooLoadOptions } from './registry.js';
import {
  CRCNS_AA_FS, buildCrcns32k, describeRelease, downloadCrcnsArchives, listSorted, parseCellName, resolveTheunissen,
  type CrcnsArchive, type CrcnsServerOptions, type Crcns32kStim, type ResolvedTheunissen, type TheunissenOptions,
} from './theunissen.js';

/** AA1 recording areas, in the reference's default order. @example `new CRCNSAA1Dataset({ path, areas: ['MLd'] })` */
export const AA1_AREAS = ['Field_L', 'MLd'] as const;
/** AA1 stimulus types, in the reference's default order. @example `new CRCNSAA1Dataset({ path, stimuli: ['flatrip'] })` */
export const AA1_STIM_TYPES = ['conspecific', 'flatrip'] as const;
/** Cache sub-folder of AA1. @example `defaultCacheDir(AA1_CACHE_NAME)` */
export const AA1_CACHE_NAME = 'AA1';
/** The CRCNS file of the release (`https://download.crcns.org/<file>`). @example `AA1_ARCHIVE // 'aa-1/crcns-aa1.zip'` */
export const AA1_ARCHIVE = 'aa-1/crcns-aa1.zip';

/**
 * The AA1 download: one zip whose single root folder is stripped, skipped when `Field_L_cells/` exists.
 * @example
 * ```ts
 * await downloadCrcnsArchives('/data/AA1', AA1_DOWNLOAD);
 * ```
 */
export const AA1_DOWNLOAD: readonly CrcnsArchive[] = [{ remote: AA1_ARCHIVE, anchor: 'Field_L_cells', extract: { stripRoot: true } }];

/** An AA1 area. @example `const a: AA1Area = 'MLd'` */
export type AA1Area = (typeof AA1_AREAS)[number];
/** An AA1 stimulus type. @example `const t: AA1StimType = 'flatrip'` */
export type AA1StimType = (typeof AA1_STIM_TYPES)[number];

/**
 * Options of {@link CRCNSAA1Dataset} (the reference's keyword arguments, camelCase).
 * @example
 * ```ts
 * const o: CRCNSAA1Options = { path: '/data/AA1', areas: ['MLd'], stimuli: ['conspecific'], animals: ['gg0304'] };
 * ```
 */
export interface CRCNSAA1Options extends TheunissenOptions {
  /** Areas, in neuron order (default `['Field_L', 'MLd']`; `'all'` = the same). */
  areas?: readonly string[] | 'all';
  /** Stimulus types, in stimulus order (default `['conspecific', 'flatrip']`). */
  stimuli?: readonly string[];
  /** Animal ids to keep (text before the first `_` of a cell name), or `'all'` (default). */
  animals?: readonly string[] | 'all';
}

/** What the AA1 build produces. */
const BUILT = Symbol('built');
const HINT = 'download it with `deepstrf download aa1` or `CRCNSAA1Dataset.load({ download: true })`';

function checkedList(value: readonly string[], allowed: readonly string[], what: string): string[] {
  for (const v of value) {
    if (!allowed.includes(v)) throw new ValueError(`unknown ${what} '${v}' (expected one of ${allowed.map((a) => `'${a}'`).join(', ')})`);
  }
  return [...value];
}

/** The AA1 build: one pass over the release's folders (docs/zoo/aa1.md, "Processing"). */
function* buildAA1(o: CRCNSAA1Options, r: ResolvedTheunissen, root: string): Build<BuiltData> {
  const areas = checkedList(o.areas === undefined || o.areas === 'all' ? AA1_AREAS : o.areas, AA1_AREAS, 'area');
  const types = checkedList(o.stimuli ?? AA1_STIM_TYPES, AA1_STIM_TYPES, 'stimulus type');
  const animals = o.animals === undefined || o.animals === 'all' ? null : new Set(o.animals);
  // Cells (area order as given, sorted within an area), their area kept alongside (see docs: the
  // reference's unfiltered parallel area list is not reproduced).
  const cells: Array<{ cell: string; area: string }> = [];
  for (const area of areas) {
    for (const cell of yield* listSorted(`${area}_cells`, root, 'directory', HINT)) {
      if (animals && !animals.has(cell.split('_')[0])) continue;
      cells.push({ cell, area });
    }
  }
  const stimList: Crcns32kStim[] = [];
  for (const type of types) {
    for (const name of yield* listSorted(`all_stims/${type}`, root, 'any', HINT)) stimList.push({ name, type, wavRel: `all_stims/${type}/${name}` });
  }
  const kept: typeof cells = [];
  for (const c of cells) {
    const subs = (yield* fs.list(`${c.area}_cells/${c.cell}`)).map((e) => e.name);
    if (subs.some((s) => types.includes(s))) kept.push(c);
  }
  const b = yield* buildCrcns32k(stimList, kept.map((c) => `${c.area}_cells/${c.cell}`), root, r, HINT);
  const stimMeta = b.kept.map((s, i): Meta => ({
    name: stimList[s].name, type: stimList[s].type, sampleRate: CRCNS_AA_FS, nSamples: b.nSamples[i], durationS: b.nSamples[i] / CRCNS_AA_FS,
  }));
  const nrnMeta = kept.map(({ cell, area }): Meta => {
    const p = parseCellName(cell);
    return { cellId: cell, animalId: p.animal, area, cellSeq: p.seq, rig: p.rig };
  });
  return { stims: b.stims, responses: b.responses, stimMeta, nrnMeta };
}

/**
 * The CRCNS AA1 download: one zip (`crcns-aa1.zip`, ≈ 17 MB) unpacked in place (its single root
 * folder stripped), skipped when `Field_L_cells/` exists. The URL needs a CRCNS login (`crcnsDownload`).
 * @example
 * ```ts
 * aa1Manifest().files[0].url; // 'https://download.crcns.org/aa-1/crcns-aa1.zip'
 * ```
 */
export function aa1Manifest(): DatasetManifest {
  return {
    name: AA1_CACHE_NAME,
    files: AA1_DOWNLOAD.map(({ remote, anchor }) => ({
      path: remote.slice(remote.indexOf('/') + 1), url: `https://download.crcns.org/${remote}`, archive: 'zip' as const, extractTo: '', anchor,
    })),
  };
}

/**
 * CRCNS AA1: zebra finch Field L + MLd single units, conspecific songs and flat ripples, 1 ms bins.
 * @example
 * ```ts
 * const aa1 = new CRCNSAA1Dataset({ path: '/data/AA1' });               // Node, synchronous
 * const mld = await CRCNSAA1Dataset.load({ areas: ['MLd'], returnWaveform: true }); // Node or browser
 * aa1.nrnMeta[0]; // { cellId: 'gg0304_4_B', animalId: 'gg0304', area: 'Field_L', cellSeq: 4, rig: 'B' }
 * ```
 */
export class CRCNSAA1Dataset extends CrcnsZebraFinchDataset {
  /** Behavioural state during the recordings. */
  readonly behavioralState = 'anesthetized';

  constructor(options: CRCNSAA1Options & { [BUILT]?: BuiltData } = {}) {
    const path = options.path ?? defaultCacheDir(AA1_CACHE_NAME);
    const r = resolveTheunissen(options, CRCNS_AA_FS);
    super(path, r, options[BUILT] ?? zooBuildSync('CRCNSAA1Dataset', options, path, () => buildAA1(options, r, path)));
  }

  /**
   * Builds AA1 from any file source (Node folder, OPFS, memory), after an optional download.
   * @example
   * ```ts
   * const ds = await CRCNSAA1Dataset.load({ source: new MemorySource(files), stimuli: ['flatrip'] });
   * ```
   */
  static async load(options: CRCNSAA1Options & ZooLoadOptions & CrcnsServerOptions = {}): Promise<CRCNSAA1Dataset> {
    const r = resolveTheunissen(options, CRCNS_AA_FS);
    const { path, built } = await zebraFinchLoad(options, AA1_CACHE_NAME, AA1_DOWNLOAD, (root) => buildAA1(options, r, root));
    return new CRCNSAA1Dataset({ ...options, path, download: false, [BUILT]: built });
  }
}

/**
 * The AA1 registry entry.
 * @example
 * ```ts
 * const ds = await aa1Entry.load({ path: '/data/AA1' });
 * ```
 */
export const aa1Entry: DatasetEntry = {
  name: 'aa1',
  className: 'CRCNSAA1Dataset',
  description: 'CRCNS AA1: zebra finch Field L + MLd single units, songs and flat ripples (Theunissen lab)',
  species: 'zebra finch',
  area: 'Field L, MLd; single units',
  size: '17 MB',
  licence: 'CRCNS terms of use (free account)',
  citation: 'Theunissen F. E. et al. (2011). Single-unit recordings from the zebra finch auditory forebrain and midbrain. CRCNS.org. doi:10.6080/K0F769GP',
  accountNeeded: true,
  cacheFolder: AA1_CACHE_NAME,
  manifest: () => aa1Manifest(),
  download: (path, o) => downloadCrcnsArchives(path, AA1_DOWNLOAD, { onProgress: o.onProgress, signal: o.signal }),
  load: (options) => CRCNSAA1Dataset.load(options as CRCNSAA1Options & ZooLoadOptions),
  describe: (path) => {
    const p = path ?? defaultCacheDir(AA1_CACHE_NAME);
    return describeRelease(p, [...AA1_DOWNLOAD.map((a) => a.anchor), 'MLd_cells', 'all_stims'], 'aa1', () => CRCNSAA1Dataset.load({ path: p, smooth: false }));
  },
};
