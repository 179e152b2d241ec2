/**
 * Wingert 2026 straight from `recordings.zip` (4.35 GB, ZIP64), never unpacked: a source that
 * answers for `recordings/…` from the zip's members (read by byte ranges through `ZipSource`)
 * and for everything else (`cell_list.csv`, `wav/`) from the folder holding the zip.
 * @module
 */
import type { EntryInfo, FileSource } from '../sources/types.js';
import { ZipSource } from '../sources/zip.js';

const inRecordings = (p: string): boolean => {
  const c = p.replace(/^\/+/, '');
  return c === 'recordings' || c.startsWith('recordings/');
};

/**
 * `base` with `recordings/` served from `base`'s `recordings.zip` when the folder itself is
 * absent; `base` unchanged otherwise (or when there is no zip).
 * @example
 * ```ts
 * const source = await withZippedRecordings(await platform.openWritableSource('/data/Wingert2026'));
 * await Wingert2026Dataset.load({ source });
 * ```
 */
export async function withZippedRecordings(base: FileSource): Promise<FileSource> {
  if ((await base.stat('recordings'))?.kind === 'directory' || (await base.stat('recordings.zip'))?.kind !== 'file') return base;
  const zip = await ZipSource.open(base, 'recordings.zip');
  return {
    root: base.root,
    stat: (p: string): Promise<EntryInfo | null> => (inRecordings(p) ? zip.stat(p) : base.stat(p)),
    read: (p: string, start?: number, end?: number) => (inRecordings(p) ? zip.read(p, start, end) : base.read(p, start, end)),
    list: async (p: string) => {
      if (inRecordings(p)) return zip.list(p);
      const own = await base.list(p);
      const clean = p.replace(/^\/+|\/+$/g, '');
      return clean === '' && !own.some((e) => e.name === 'recordings') ? [...own, { name: 'recordings', kind: 'directory' as const }] : own;
    },
  };
}
