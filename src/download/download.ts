/**
 * `downloadDataset`: fetches whatever of a manifest is missing into the dataset's cache folder,
 * verifies it, and unpacks archives. Idempotent: verified files are skipped.
 * @module
 */
import { platform } from '#platform';
import type { WritableSource } from '../sources/types.js';
import type { DatasetManifest, FileDigest, ManifestFile } from './manifest.js';
import { normaliseRelativePath, splitPath } from './manifest.js';
import { defaultCacheDir } from './cache.js';
import { fetchFile, partName, type FetchFileOptions, type FileProgress } from './fetch-file.js';
import { verifyStoredFile } from './verify.js';
import { extractArchive } from './archive.js';
import { DownloadError, IntegrityError } from './errors.js';

/**
 * Progress of a whole dataset download: the current file's {@link FileProgress} plus totals.
 * @example
 * ```ts
 * onProgress: (p: DownloadProgress) => console.log(`${p.fileIndex + 1}/${p.fileCount}`, p.overallLoaded, p.overallTotal)
 * ```
 */
export interface DownloadProgress extends FileProgress {
  /** Index of the current file among those being downloaded. */
  readonly fileIndex: number;
  /** Number of files being downloaded (skipped ones excluded). */
  readonly fileCount: number;
  /** Bytes of all files being downloaded, done so far. */
  readonly overallLoaded: number;
  /** Sum of the known sizes of the files being downloaded. */
  readonly overallTotal: number;
}

/**
 * Options of {@link downloadDataset}.
 * @example
 * ```ts
 * const opts: DownloadOptions = { root: '/data/NS1', retries: 3, verifyExisting: 'size', signal: AbortSignal.timeout(600_000) };
 * ```
 */
export interface DownloadOptions extends Omit<FetchFileOptions, 'onProgress'> {
  /** The cache folder (Node path or OPFS path); default `defaultCacheDir(manifest.name)`. */
  root?: string;
  /** A store to write into instead of `platform.openWritableSource(root)`. */
  store?: WritableSource;
  /** Called after every chunk received. */
  onProgress?: (p: DownloadProgress) => void;
  /** How existing files are checked before being skipped: full hash (default) or size only. */
  verifyExisting?: 'sha256' | 'size';
  /** Keep archives after a verified extraction (default true, as the reference does). */
  keepArchives?: boolean;
}

/**
 * What {@link downloadDataset} did.
 * @example
 * ```ts
 * const r = await downloadDataset(NS1_MANIFEST);
 * console.log(r.downloaded.length, r.skipped.length, r.bytesReceived);
 * ```
 */
export interface DownloadResult {
  /** The cache folder used. */
  readonly root: string;
  /** Files fetched in this call. */
  readonly downloaded: string[];
  /** Files already present and verified (archives whose members are all present count here). */
  readonly skipped: string[];
  /** Files written by unpacking archives. */
  readonly extracted: string[];
  /** Bytes received over the network. */
  readonly bytesReceived: number;
}

/** True when the archive need not be fetched: all members verified, or its anchor exists. */
async function archiveSatisfied(store: WritableSource, f: ManifestFile, mode: 'sha256' | 'size'): Promise<boolean> {
  if (f.members && f.members.length > 0) {
    for (const m of f.members) if (!(await verifyOrMissing(store, m, f.url, mode))) return false;
    return true;
  }
  return f.anchor !== undefined && (await store.stat(f.anchor)) !== null;
}

/** Like verifyStoredFile, but a bad existing file is removed and reported missing (so it is fetched again). */
async function verifyOrMissing(store: WritableSource, d: FileDigest, url: string, mode: 'sha256' | 'size'): Promise<boolean> {
  try {
    return await verifyStoredFile(store, d, url, { mode });
  } catch (e) {
    if (e instanceof IntegrityError) return false;
    throw e;
  }
}

/**
 * Downloads the files of `manifest` that are missing or fail verification into the cache folder
 * (`options.root`, default {@link defaultCacheDir}), resuming partial files, checking size and
 * SHA-256, and unpacking archives (entries escaping the folder are refused). Files already
 * present and verified are skipped, so calling it again is cheap. Throws `DownloadError`
 * (HTTP status, network), `IntegrityError` (bad file, removed), `ArchiveError` (unsafe entry),
 * or the signal's reason when aborted (the `.part` file is kept for a resume).
 * @example
 * ```ts
 * import { downloadDataset, NS1_MANIFEST } from 'deepstrf';
 * const r = await downloadDataset(NS1_MANIFEST, {
 *   onProgress: (p) => console.log(p.file, p.loaded, p.total),
 * });
 * console.log(`${r.downloaded.length} files fetched into ${r.root}`);
 * ```
 */
export async function downloadDataset(manifest: DatasetManifest, options: DownloadOptions = {}): Promise<DownloadResult> {
  const root = options.root ?? options.store?.root ?? defaultCacheDir(manifest.name);
  const store = options.store ?? (await platform.openWritableSource(root));
  const mode = options.verifyExisting ?? 'sha256';
  const files = manifest.files.map((f) => ({ ...f, path: normaliseRelativePath(f.path, `${manifest.name} manifest path`) }));
  await store.mkdir('');

  // Pass 1: what is already there.
  const skipped: string[] = [];
  const todo: ManifestFile[] = [];
  const toExtract: ManifestFile[] = [];
  for (const f of files) {
    if (f.archive && (await archiveSatisfied(store, f, mode))) skipped.push(f.path);
    else if (await verifyOrMissing(store, f, f.url, mode)) {
      skipped.push(f.path);
      if (f.archive) toExtract.push(f);
    } else todo.push(f);
  }

  // Pass 2: fetch.
  let overallTotal = 0;
  for (const f of todo) overallTotal += f.size ?? 0;
  let overallDone = 0;
  const downloaded: string[] = [];
  let bytesReceived = 0;
  for (let i = 0; i < todo.length; i++) {
    const f = todo[i];
    let sizeCounted = f.size !== undefined;
    const r = await fetchFile(store, f.url, f, {
      ...options,
      onProgress: options.onProgress
        ? (p) => {
            if (!sizeCounted && p.total !== undefined) {
              overallTotal += p.total; // a size only the server told us
              sizeCounted = true;
            }
            options.onProgress?.({ ...p, fileIndex: i, fileCount: todo.length, overallLoaded: overallDone + p.loaded, overallTotal });
          }
        : undefined,
    });
    bytesReceived += r.bytesReceived;
    overallDone += (await store.stat(f.path))?.size ?? 0;
    downloaded.push(f.path);
    if (f.archive) toExtract.push(f);
  }

  // Pass 3: unpack archives, then verify what they produced.
  const extracted: string[] = [];
  for (const f of toExtract) {
    options.signal?.throwIfAborted();
    const target = f.extractTo ?? splitPath(f.path).slice(0, -1).join('/');
    const written = await extractArchive(store, f.path, store, { kind: f.archive, into: target, signal: options.signal });
    extracted.push(...written);
    for (const m of f.members ?? []) {
      if (!(await verifyStoredFile(store, m, f.url, { mode: 'sha256' }))) {
        throw new DownloadError(m.path, f.url, `missing after unpacking ${f.path}`);
      }
    }
    if (options.keepArchives === false) await store.remove(f.path);
  }
  // A leftover .part of a file that is now complete (e.g. from another process) is garbage.
  for (const f of files) if ((await store.stat(partName(f.path))) && (await store.stat(f.path))) await store.remove(partName(f.path));
  return { root, downloaded, skipped, extracted, bytesReceived };
}
