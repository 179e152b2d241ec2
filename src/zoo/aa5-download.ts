/**
 * CRCNS-AA5 raw site archives from CRCNS (`aa-5/<bird>/<site>.tar.gz`, 50 sites, ≈163 GB): one
 * archive at a time into `<path>/_archives/<bird>/<site>.tar.gz`, resumable, its exact size
 * checked, sites already prepared skipped. The archives hold pandas pickles, which only the
 * Python `prepare_aa5` turns into the cache `CRCNSAA5Dataset` reads (docs/zoo/aa5.md).
 * @module
 */
import { platform } from '#platform';
import { ValueError } from '../errors.js';
import { parseJson } from '../io/json.js';
import type { FileSource, WritableSource } from '../sources/types.js';
import { crcnsDownload, type CrcnsOptions } from '../download/crcns.js';
import { AA5_BIRDS, AA5_SITES, parseAA5Site } from './aa5-sites.js';

/** Folder of the downloaded archives inside the dataset folder. @example `` `${AA5_ARCHIVE_DIR}/ZF4F/${site}.tar.gz` `` */
export const AA5_ARCHIVE_DIR = '_archives';

/**
 * True when `<bird>/<site>/manifest.json` exists, parses and has `cache_version == 1` (the
 * preparer writes it last).
 * @example
 * ```ts
 * await isAA5SitePrepared(source, 'ZF4F_2t_190611_160843');
 * ```
 */
export async function isAA5SitePrepared(source: FileSource, site: string): Promise<boolean> {
  const path = `${parseAA5Site(site).bird}/${site}/manifest.json`;
  if ((await source.stat(path))?.kind !== 'file') return false;
  try {
    const m = parseJson(await source.read(path), path);
    return m !== null && typeof m === 'object' && !Array.isArray(m) && m.cache_version === 1;
  } catch {
    return false;
  }
}

/**
 * The sites asked for, sorted: `sites` (each must be a release site) or every site, filtered by
 * `birds`.
 * @throws ValueError for an unknown site or bird
 * @example
 * ```ts
 * aa5SiteSelection(null, ['ZF7F']).length; // 10
 * ```
 */
export function aa5SiteSelection(sites?: readonly string[] | null, birds?: readonly string[] | null): string[] {
  const badSites = (sites ?? []).filter((s) => !(s in AA5_SITES));
  if (badSites.length) throw new ValueError(`unknown AA5 site(s): ${badSites.join(', ')} (see AA5_SITES)`);
  const badBirds = (birds ?? []).filter((b) => !AA5_BIRDS.includes(b));
  if (badBirds.length) throw new ValueError(`unknown AA5 bird(s): ${badBirds.join(', ')} (known: ${AA5_BIRDS.join(', ')})`);
  return (sites ? [...new Set(sites)] : Object.keys(AA5_SITES)).filter((s) => !birds || birds.includes(parseAA5Site(s).bird)).sort();
}

/** Options of {@link downloadAA5Archives}. @example `{ birds: ['ZF7F'], onSite: (s, st) => console.log(s, st) }` */
export interface AA5ArchiveOptions extends CrcnsOptions {
  /** Sites to fetch (default all 50). */
  sites?: readonly string[] | null;
  /** Birds to fetch (default all four). */
  birds?: readonly string[] | null;
  /** Expected archive sizes (default {@link AA5_SITES}, the release's). */
  archiveSizes?: Readonly<Record<string, number>>;
  /** Called when a site is skipped because it is prepared already or its archive is present. */
  onSite?: (site: string, status: 'prepared' | 'present' | 'downloaded') => void;
}

/**
 * Downloads the raw archives of the selected sites, one after another, skipping prepared sites
 * and archives already present, into `target` (a `WritableSource` or a folder path); returns the
 * archive paths (relative to it) now present.
 * Then run the Python `prepare_aa5('<path>/_archives', '<path>', delete_sources=True)`.
 * @throws ValueError (unknown site or bird), AuthenticationError, DownloadError, IntegrityError (size)
 * @example
 * ```ts
 * await downloadAA5Archives(defaultCacheDir('AA5'), { sites: ['ZF4F_4t_190614_094759'], onProgress: (p) => console.log(p.loaded) });
 * ```
 */
export async function downloadAA5Archives(target: WritableSource | string, o: AA5ArchiveOptions = {}): Promise<string[]> {
  const store = typeof target === 'string' ? await platform.openWritableSource(target) : target;
  const sizes = o.archiveSizes ?? AA5_SITES;
  const out: string[] = [];
  for (const site of aa5SiteSelection(o.sites, o.birds)) {
    if (await isAA5SitePrepared(store, site)) {
      o.onSite?.(site, 'prepared');
      continue;
    }
    const bird = parseAA5Site(site).bird;
    const dest = `${AA5_ARCHIVE_DIR}/${bird}/${site}.tar.gz`;
    const have = await store.stat(dest);
    if (have?.kind === 'file' && have.size !== sizes[site]) await store.remove(dest); // a wrong-size leftover: fetch again
    const r = await crcnsDownload(store, `aa-5/${bird}/${site}.tar.gz`, dest, { ...o, size: sizes[site] });
    o.onSite?.(site, r === 'skipped' ? 'present' : 'downloaded');
    out.push(dest);
  }
  return out;
}
