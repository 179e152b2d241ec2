/**
 * CRCNS-AA5 raw site archives from CRCNS (50 sites, ≈163 GB; each found by name in the aa-5
 * file list): one archive at a time into `<path>/_archives/<bird>/<site>.tar.gz`, resumable, its
 * size checked, sites already prepared skipped. The archives hold pandas pickles, which
 * `prepareAA5` (src/zoo/aa5-prepare.ts) turns into the cache `CRCNSAA5Dataset` reads (docs/zoo/aa5.md).
 * @module
 */
import { platform } from '#platform';
import { ValueError } from '../errors.js';
import { parseJson } from '../io/json.js';
import type { FileSource, WritableSource } from '../sources/types.js';
import { CRCNS_DOWNLOAD_BASE, crcnsDownload, crcnsFileList, type CrcnsOptions } from '../download/crcns.js';
import { DownloadError } from '../download/errors.js';
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
  /** Called per site: prepared already (nothing fetched), archive already present, or downloaded. */
  onSite?: (site: string, status: 'prepared' | 'present' | 'downloaded') => void;
  /** Receives a note when the server lists an archive at another size than the release's (`AA5_SITES`). */
  onWarning?: (message: string) => void;
  /** Awaited after each archive is present (downloaded or found), before the next is fetched: `downloadAA5` prepares and deletes it here. */
  onArchive?: (site: string, path: string) => Promise<void>;
}

/**
 * Downloads the raw archives of the selected sites, one after another, into `target` (a
 * `WritableSource` or a folder path) at `_archives/<bird>/<site>.tar.gz`, skipping sites already
 * prepared (before any login) and archives already present. Each archive's path is looked up by
 * name in the aa-5 `filelist.txt`, as the reference does, and the download is checked against
 * the size listed there (a listed size other than the release's is reported through
 * `onWarning`). Returns the archive paths fetched or found. `downloadAA5` (src/zoo/aa5-download-prepare.ts)
 * prepares each archive as it arrives.
 * @throws ValueError (unknown site or bird), AuthenticationError, DownloadError (a site missing
 * from the file list, HTTP errors), IntegrityError (size)
 * @example
 * ```ts
 * await downloadAA5Archives(defaultCacheDir('AA5'), { sites: ['ZF4F_4t_190614_094759'], onProgress: (p) => console.log(p.loaded) });
 * ```
 */
export async function downloadAA5Archives(target: WritableSource | string, o: AA5ArchiveOptions = {}): Promise<string[]> {
  const store = typeof target === 'string' ? await platform.openWritableSource(target) : target;
  const todo: string[] = [];
  for (const site of aa5SiteSelection(o.sites, o.birds)) {
    if (await isAA5SitePrepared(store, site)) o.onSite?.(site, 'prepared');
    else todo.push(site);
  }
  if (todo.length === 0) return [];
  const listed = new Map<string, [string, number]>();
  for (const [path, size] of await crcnsFileList('aa-5', o)) listed.set(path.split('/').pop() as string, [path, size]);
  const out: string[] = [];
  for (const site of todo) {
    const entry = listed.get(`${site}.tar.gz`);
    if (!entry) throw new DownloadError(`${site}.tar.gz`, `${o.downloadBase ?? CRCNS_DOWNLOAD_BASE}/aa-5/filelist.txt`, `${site}.tar.gz is not in the aa-5 file list`);
    const [remote, size] = entry;
    if (size !== AA5_SITES[site]) o.onWarning?.(`CRCNS-AA5: aa-5/${remote} is listed at ${size} bytes, the release's size is ${AA5_SITES[site]}; downloading the listed file`);
    const dest = `${AA5_ARCHIVE_DIR}/${parseAA5Site(site).bird}/${site}.tar.gz`;
    const have = await store.stat(dest);
    if (have?.kind === 'file' && have.size !== size) await store.remove(dest); // a wrong-size leftover: fetch again
    const r = await crcnsDownload(store, `aa-5/${remote}`, dest, { ...o, size });
    o.onSite?.(site, r === 'skipped' ? 'present' : 'downloaded');
    out.push(dest);
    await o.onArchive?.(site, dest);
  }
  return out;
}
