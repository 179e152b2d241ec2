/**
 * Zenodo records: the file URL every Zenodo-hosted release of the zoo is fetched from, and a
 * manifest helper (files of one record, each optionally an archive to unpack).
 * @module
 */
import type { DatasetManifest, ManifestFile } from './manifest.js';

/** Zenodo's API base. @example `ZENODO_API // 'https://zenodo.org/api'` */
export const ZENODO_API = 'https://zenodo.org/api';

/**
 * `https://zenodo.org/api/records/<id>/files/<name>/content` (the name URL-encoded); `base`
 * replaces `https://zenodo.org/api` (a mirror or a test server).
 * @example
 * ```ts
 * zenodoFileUrl('8044773', 'A1_pred_correlation.csv');
 * // 'https://zenodo.org/api/records/8044773/files/A1_pred_correlation.csv/content'
 * ```
 */
export function zenodoFileUrl(recordId: string | number, name: string, base: string = ZENODO_API): string {
  return `${base.replace(/\/+$/, '')}/records/${recordId}/files/${encodeURIComponent(name)}/content`;
}

/**
 * One file of a Zenodo record as a manifest entry: stored at `path` (default: its name), with the
 * manifest's archive fields (`archive`, `extractTo`, `anchor`, `members`, `size`, `sha256`).
 * @example
 * ```ts
 * const f: ZenodoFile = { name: 'wav.zip', archive: 'zip', anchor: 'wav' };
 * ```
 */
export interface ZenodoFile extends Omit<ManifestFile, 'url' | 'path'> {
  readonly name: string;
  readonly path?: string;
}

/**
 * A manifest whose files all come from one Zenodo record.
 * @example
 * ```ts
 * const m = zenodoManifest('NAT4', '8044773', [{ name: 'A1_pred_correlation.csv' }]);
 * m.files[0].url; // 'https://zenodo.org/api/records/8044773/files/A1_pred_correlation.csv/content'
 * await downloadDataset(m);
 * ```
 */
export function zenodoManifest(cacheName: string, recordId: string | number, files: readonly ZenodoFile[], base?: string): DatasetManifest {
  return {
    name: cacheName,
    files: files.map(({ name, path, ...rest }) => ({ ...rest, path: path ?? name, url: zenodoFileUrl(recordId, name, base) })),
  };
}
