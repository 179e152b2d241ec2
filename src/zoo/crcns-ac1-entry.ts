/**
 * The registry entry of {@link CRCNSAC1Dataset}: the three CRCNS `ac-1` zips (free CRCNS
 * account), and what `deepstrf info ac1` says about a folder (each archive extracted, present
 * as a zip to be extracted on first load, or missing).
 * @module
 */
import { platform } from '#platform';
import { defaultCacheDir } from '../download/cache.js';
import type { DatasetManifest } from '../download/manifest.js';
import { AC1_ARCHIVES, AC1_DOWNLOAD, CRCNSAC1Dataset, type CRCNSAC1LoadOptions } from './crcns-ac1.js';
import { downloadCrcnsArchives } from './theunissen.js';
import type { DatasetDescription, DatasetEntry } from './registry.js';

/** Where CRCNS serves the release (download.crcns.org, after login). @example `` `${AC1_CRCNS_BASE}/crcns-ac1.zip` `` */
export const AC1_CRCNS_BASE = 'https://download.crcns.org/ac-1';

/**
 * The download manifest: the three zips, each unpacked into its folder (anchor as the loader
 * checks it). The files need a logged-in CRCNS session.
 * @example
 * ```ts
 * ac1Manifest().files.map((f) => f.url); // https://download.crcns.org/ac-1/crcns-ac1.zip, …
 * ```
 */
export function ac1Manifest(): DatasetManifest {
  return {
    name: 'CRCNS_AC1',
    files: AC1_ARCHIVES.map((a) => ({ path: a.zip, url: `${AC1_CRCNS_BASE}/${a.zip}`, archive: 'zip' as const, extractTo: a.folder, anchor: a.anchor })),
  };
}

/** `deepstrf info ac1`: each archive extracted (anchor present), zipped only, or missing. */
async function describeAc1(path: string): Promise<DatasetDescription> {
  const store = await platform.openWritableSource(path);
  const state: Record<string, 'extracted' | 'zip' | 'missing'> = {};
  for (const a of AC1_ARCHIVES) {
    state[a.zip] = (await store.stat(a.anchor)) ? 'extracted' : (await store.stat(a.zip)) ? 'zip' : 'missing';
  }
  const complete = Object.values(state).every((s) => s !== 'missing');
  const says = { extracted: 'extracted', zip: 'zip present (extracted on the first load)', missing: 'missing' };
  return {
    complete,
    rows: [
      ['folder', path],
      ...AC1_ARCHIVES.map((a): [string, string] => [a.zip, says[state[a.zip]]]),
      ['status', complete ? 'complete' : 'incomplete: download the missing zips from CRCNS (free account) into this folder'],
    ],
    data: { dataset: 'CRCNS_AC1', folder: path, archives: state, complete },
  };
}

/**
 * `ac1`: rat A1 and MGB intracellular recordings (Wehr; Asari) of CRCNS ac-1.
 * @example
 * ```ts
 * const ds = await ac1Entry.load({ path: '/data/CRCNS_AC1', experimenter: 'wehr' });
 * ```
 */
export const ac1Entry: DatasetEntry = {
  name: 'ac1',
  className: 'CRCNSAC1Dataset',
  description: 'CRCNS ac-1, rat A1/MGB intracellular recordings (Wehr; Asari)',
  species: 'rat (anaesthetised)',
  area: 'A1 (Wehr, Asari) and MGB (Asari), whole-cell / cell-attached Vm',
  size: 'several GB (3 zips; sizes not published)',
  licence: 'CRCNS terms of use (free account)',
  citation: 'CRCNS ac-1 (Zador lab: Wehr, Machens, Asari), doi:10.6080/K0KW5CXR',
  accountNeeded: true,
  cacheFolder: 'CRCNS_AC1',
  manifest: () => ac1Manifest(),
  download: (path, o) => downloadCrcnsArchives(path, AC1_DOWNLOAD, { signal: o.signal, onProgress: o.onProgress }),
  load: (o) => CRCNSAC1Dataset.load(o as CRCNSAC1LoadOptions),
  describe: (path) => describeAc1(path ?? defaultCacheDir('CRCNS_AC1')),
};
