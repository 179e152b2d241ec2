/**
 * `downloadAA5` (`download_aa5` of the reference): the CRCNS-AA5 site archives fetched one at a
 * time and each prepared into the cache as soon as it is complete, then deleted unless
 * `keepArchives` — so the disk never holds more than one archive plus the cache. See
 * docs/zoo/aa5.md.
 * @module
 */
import { platform } from '#platform';
import type { WritableSource } from '../sources/types.js';
import type { DownloadProgress } from '../download/download.js';
import { AA5_SITES } from './aa5-sites.js';
import { downloadAA5Archives, isAA5SitePrepared, type AA5ArchiveOptions } from './aa5-download.js';
import { prepareAA5Site, type AA5PrepareSiteOptions } from './aa5-prepare.js';

/** Options of {@link downloadAA5}. @example `{ birds: ['ZF7F'], keepArchives: true }` */
export interface AA5DownloadOptions extends Omit<AA5ArchiveOptions, 'onArchive'>, AA5PrepareSiteOptions {
  /** Keep `_archives/<bird>/<site>.tar.gz` after preparing it. Default false. */
  keepArchives?: boolean;
}

/**
 * Downloads the selected sites' archives into `target` one after another, prepares each into
 * the cache right after it arrives (`prepareAA5Site`) and deletes it unless `keepArchives`.
 * Sites already prepared are skipped before any login. Returns the release sites now prepared,
 * sorted.
 * @throws ValueError (unknown site or bird), AuthenticationError, DownloadError, IntegrityError, FormatError (a damaged archive)
 * @example
 * ```ts
 * await downloadAA5('/data/AA5', { sites: ['ZF4F_4t_190614_094759'], username: 'me', password: '…' });
 * ```
 */
export async function downloadAA5(target: WritableSource | string, o: AA5DownloadOptions = {}): Promise<string[]> {
  const store = typeof target === 'string' ? await platform.openWritableSource(target) : target;
  await downloadAA5Archives(store, {
    ...o,
    onArchive: async (_site, path) => {
      await prepareAA5Site(store, path, store, o);
      if (!o.keepArchives) await store.remove(path);
    },
  });
  const prepared: string[] = [];
  for (const s of Object.keys(AA5_SITES)) if (await isAA5SitePrepared(store, s)) prepared.push(s);
  return prepared.sort();
}

/**
 * The `onSite` / `onProgress` pair that reports an AA5 download as a zoo `DownloadProgress`
 * (one file per site archive, counted as archives arrive).
 * @example
 * ```ts
 * await downloadAA5(path, { ...aa5DownloadProgress((p) => console.log(p.fileIndex, p.loaded)) });
 * ```
 */
export function aa5DownloadProgress(onProgress?: (p: DownloadProgress) => void): Pick<AA5DownloadOptions, 'onSite' | 'onProgress'> {
  let fileIndex = -1;
  const fileCount = Object.keys(AA5_SITES).length;
  return {
    onSite: (_site, status) => { if (status === 'downloaded') fileIndex++; },
    onProgress: onProgress && ((p) => onProgress({ ...p, fileIndex: Math.max(0, fileIndex + 1), fileCount, overallLoaded: p.loaded, overallTotal: p.total ?? 0 })),
  };
}
