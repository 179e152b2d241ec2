/**
 * Opening a registered dataset from wherever its files are: generated in memory (the embedded
 * synthetic dataset), a folder the user picked or dropped, an HTTP base URL, a Zarr store exported
 * by `deepstrf export --format zarr` at a URL (read lazily), or the browser's download cache (OPFS),
 * optionally downloading into it first.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import type { DownloadProgress } from '../src/download/download.js';
import { FileListSource, type PathedFile } from '../src/sources/file-list.js';
import { HttpSource } from '../src/sources/http.js';
import { PickedFolderSource } from '../src/sources/picked-folder.js';
import type { FileSource } from '../src/sources/types.js';
import type { DatasetEntry } from '../src/zoo/registry.js';
import { ZARR_CACHE_BYTES } from './lazy.js';

/** Where the files come from. @example `const from: OpenFrom = { kind: 'url', url: '/data/' };` */
export type OpenFrom =
  | { kind: 'embedded' }
  | { kind: 'files'; files: ArrayLike<File | PathedFile> }
  | { kind: 'handle'; handle: FileSystemDirectoryHandle }
  | { kind: 'url'; url: string }
  | { kind: 'zarr'; url: string }
  | { kind: 'cache' }
  | { kind: 'download'; mirror?: string; username?: string; password?: string; onProgress: (p: DownloadProgress) => void };

/** The lazily loaded registry module (web/zoo.ts). @example `const z: Zoo = await zoo();` */
export type Zoo = typeof import('./zoo.js');

let zooModule: Promise<Zoo> | undefined;

/**
 * The registry, loaded on first use.
 * @example
 * ```ts
 * const { listDatasets } = await zoo();
 * ```
 */
export function zoo(): Promise<Zoo> {
  zooModule ??= import('./zoo.js');
  return zooModule;
}

/** `url` made absolute against the page, with a trailing slash. */
const baseUrl = (url: string): string => new URL(url.endsWith('/') ? url : `${url}/`, location.href).href;

/** `<base>files.json`: the tree of a release whose manifest does not name every file (docs/viewer.md). */
async function fileIndex(base: string, signal: AbortSignal): Promise<Array<{ path: string; size?: number }>> {
  const url = `${base}files.json`;
  const res = await fetch(url, { signal });
  if (!res.ok) throw new TypeError(`${url}: HTTP ${res.status}: this dataset's manifest does not list its files, so the server must serve files.json ([{ "path": …, "size": … }], docs/viewer.md)`);
  const list = (await res.json()) as unknown;
  if (!Array.isArray(list) || !list.every((f) => f && typeof (f as { path?: unknown }).path === 'string')) {
    throw new TypeError(`${url}: expected a JSON array of { "path": string, "size"?: number }`);
  }
  return list as Array<{ path: string; size?: number }>;
}

/** A short description of where a dataset was opened from, for the summary. */
function describeFrom(from: OpenFrom, source?: FileSource): string {
  switch (from.kind) {
    case 'embedded': return 'generated in memory';
    case 'files': return `picked folder ${source?.root ?? ''} (${from.files.length} files)`;
    case 'handle': return `picked folder ${from.handle.name}`;
    case 'url': return from.url;
    case 'zarr': return `Zarr store ${from.url}`;
    case 'cache': return 'browser cache (OPFS)';
    case 'download': return 'downloaded into the browser cache (OPFS)';
  }
}

/**
 * Builds `entry`'s dataset from `from`, with the dataset options `options` (e.g.
 * `{ returnWaveform: true }`). Credentials go to the download only; nothing is stored.
 * @example
 * ```ts
 * const ds = await openDataset(getDataset('aa1'), { kind: 'files', files: input.files! }, {}, signal);
 * ```
 */
export async function openDataset(
  entry: DatasetEntry, from: OpenFrom, options: Record<string, unknown>, signal: AbortSignal,
): Promise<{ ds: NeuralDataset; where: string }> {
  let source: FileSource | undefined;
  switch (from.kind) {
    case 'embedded':
      return { ds: await entry.load({ ...options, signal }), where: describeFrom(from) };
    case 'files':
      source = new FileListSource(from.files);
      break;
    case 'handle':
      source = new PickedFolderSource(from.handle);
      break;
    case 'zarr': {
      // The store holds the dataset: the entry picked and the options play no part.
      const { ZarrDataset } = await import('../src/zarr/zarr-dataset.js');
      return { ds: await ZarrDataset.open(new HttpSource(baseUrl(from.url), { signal }), { cacheBytes: ZARR_CACHE_BYTES }), where: describeFrom(from) };
    }
    case 'url': {
      const base = baseUrl(from.url);
      const manifest = (await zoo()).manifestFiles(entry);
      // files.json is the server's full index (complete: no HEAD probes); a manifest may leave out optional files.
      source = manifest ? new HttpSource(base, { files: manifest, signal }) : new HttpSource(base, { files: await fileIndex(base, signal), complete: true, signal });
      break;
    }
    case 'cache':
      return { ds: await entry.load({ ...options, signal }), where: describeFrom(from) };
    case 'download': {
      const { mirror, username, password, onProgress } = from;
      const creds = entry.accountNeeded ? { username, password } : {};
      return { ds: await entry.load({ ...options, download: true, mirror: mirror || undefined, onProgress, signal, ...creds }), where: describeFrom(from) };
    }
  }
  return { ds: await entry.load({ ...options, source, signal }), where: describeFrom(from, source) };
}
