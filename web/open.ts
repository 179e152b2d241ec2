/**
 * Opening a registered dataset from wherever its files are: generated in memory (the embedded
 * synthetic dataset), a folder the user picked or dropped, an HTTP base URL, or the browser's
 * download cache (OPFS), optionally downloading into it first.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import type { DownloadProgress } from '../src/download/download.js';
import { FileListSource, type PathedFile } from '../src/sources/file-list.js';
import { HttpSource } from '../src/sources/http.js';
import { PickedFolderSource } from '../src/sources/picked-folder.js';
import type { FileSource } from '../src/sources/types.js';
import type { DatasetEntry } from '../src/zoo/registry.js';

/** Where the files come from. @example `const from: OpenFrom = { kind: 'url', url: '/data/' };` */
export type OpenFrom =
  | { kind: 'embedded' }
  | { kind: 'files'; files: ArrayLike<File | PathedFile> }
  | { kind: 'handle'; handle: FileSystemDirectoryHandle }
  | { kind: 'url'; url: string }
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

/** A short description of where a dataset was opened from, for the summary. */
function describeFrom(from: OpenFrom, source?: FileSource): string {
  switch (from.kind) {
    case 'embedded': return 'generated in memory';
    case 'files': return `picked folder ${source?.root ?? ''} (${from.files.length} files)`;
    case 'handle': return `picked folder ${from.handle.name}`;
    case 'url': return from.url;
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
    case 'url': {
      const { httpFiles } = await zoo();
      source = new HttpSource(new URL(from.url, location.href).href, { files: httpFiles(entry), signal });
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
