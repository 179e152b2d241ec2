/**
 * figshare downloads: the article lookup through the public REST API (`GET <api>/articles/<id>`,
 * whose `files[]` carry `name` and `download_url`), then the chosen file streamed into the
 * cache through {@link downloadDataset} (resume, `.part` + rename, optional unpacking).
 * @module
 */
import { platform } from '#platform';
import type { DatasetManifest, ManifestFile } from './manifest.js';
import { defaultCacheDir } from './cache.js';
import { downloadDataset, type DownloadOptions, type DownloadResult } from './download.js';
import { DownloadError } from './errors.js';

/** The public figshare API. @example `${FIGSHARE_API}/articles/29203457` */
export const FIGSHARE_API = 'https://api.figshare.com/v2';

/** One file of a figshare article. @example `{ name: 'data.zip', downloadUrl: 'https://ndownloader.figshare.com/files/1', size: 10 }` */
export interface FigshareFile {
  name: string;
  downloadUrl: string;
  /** Bytes, when the API reports it. */
  size?: number;
}

/** Options of {@link figshareArticleFiles} and {@link figshareDownload}. @example `{ root: '/data/Le_2025', archive: 'zip', anchor: 'zebf-auditory-restoration-1' }` */
export interface FigshareOptions extends DownloadOptions {
  /** API base URL (default {@link FIGSHARE_API}; tests point it at a loopback server). */
  api?: string;
  /** The file to take; without it the article must hold exactly one file. */
  filename?: string;
  /** Unpack the file (an archive) into the folder after download. */
  archive?: ManifestFile['archive'];
  /** A path whose existence means the archive was already unpacked (skips everything). */
  anchor?: string;
  /** Cache sub-folder name for the manifest (messages, default cache folder). */
  cacheName?: string;
}

/**
 * The files of figshare article `articleId`, from the API.
 * @throws DownloadError on an HTTP error status or a reply without a `files` array
 * @example
 * ```ts
 * const files = await figshareArticleFiles('29203457'); // [{ name: 'zebf-auditory-restoration-1.zip', ... }]
 * ```
 */
export async function figshareArticleFiles(articleId: string, options: Pick<FigshareOptions, 'api' | 'signal'> = {}): Promise<FigshareFile[]> {
  const url = `${(options.api ?? FIGSHARE_API).replace(/\/+$/, '')}/articles/${encodeURIComponent(articleId)}`;
  const what = `figshare article ${articleId}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: options.signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if (options.signal?.aborted) throw e;
    throw new DownloadError(what, url, `cannot reach the figshare API (${(e as Error).message})`, undefined, { cause: e });
  }
  if (!res.ok) throw new DownloadError(what, url, `the figshare API answered HTTP ${res.status}`, res.status);
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    throw new DownloadError(what, url, 'the figshare API reply is not JSON', undefined, { cause: e });
  }
  const files = (body as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) throw new DownloadError(what, url, 'the figshare API reply has no "files" array');
  return files.map((f, i) => {
    const o = f as { name?: unknown; download_url?: unknown; size?: unknown };
    if (typeof o?.name !== 'string' || typeof o.download_url !== 'string') {
      throw new DownloadError(what, url, `files[${i}] lacks a "name" or a "download_url"`);
    }
    return { name: o.name, downloadUrl: o.download_url, size: typeof o.size === 'number' ? o.size : undefined };
  });
}

/**
 * Downloads a file of figshare article `articleId` into the folder `options.root` (or
 * `options.store`) under its own name: without `filename` the article must hold exactly one file
 * (else a `DownloadError` listing the names); with it, the name must match exactly. With
 * `anchor` set and present nothing is fetched (not even the API). Returns the file's name and what the download did.
 * @example
 * ```ts
 * await figshareDownload('29203457', { root: '/data/Le_2025', archive: 'zip', anchor: 'zebf-auditory-restoration-1' });
 * ```
 */
export async function figshareDownload(articleId: string, options: FigshareOptions = {}): Promise<{ name: string; result: DownloadResult | null }> {
  const cacheName = options.cacheName ?? `figshare-${articleId}`;
  const root = options.root ?? options.store?.root ?? defaultCacheDir(cacheName);
  const store = options.store ?? (await platform.openWritableSource(root));
  if (options.anchor !== undefined && (await store.stat(options.anchor))) return { name: '', result: null };
  const files = await figshareArticleFiles(articleId, options);
  const api = `${(options.api ?? FIGSHARE_API).replace(/\/+$/, '')}/articles/${articleId}`;
  let file: FigshareFile | undefined;
  if (options.filename === undefined) {
    if (files.length !== 1) {
      throw new DownloadError(`figshare article ${articleId}`, api, `expected exactly one file, found ${files.length}: ${files.map((f) => f.name).join(', ')}; name the one to take`);
    }
    file = files[0];
  } else {
    file = files.find((f) => f.name === options.filename);
    if (!file) throw new DownloadError(`figshare article ${articleId}`, api, `no file named "${options.filename}" (found: ${files.map((f) => f.name).join(', ')})`);
  }
  const manifest: DatasetManifest = {
    name: cacheName,
    files: [{ path: file.name, url: file.downloadUrl, size: file.size, archive: options.archive, extractTo: options.archive ? '' : undefined, anchor: options.anchor }],
  };
  const { api: _a, filename: _f, archive: _r, anchor: _n, cacheName: _c, ...rest } = options;
  return { name: file.name, result: await downloadDataset(manifest, { verifyExisting: 'size', ...rest, root, store }) };
}
