/**
 * What a dataset's download consists of: a list of files, each with its URL and, when known,
 * its size and SHA-256. A file may be an archive (zip, tar, tar.gz) that is unpacked into the
 * cache folder; its `members` then list the extracted files and their digests.
 * @module
 */
import { ValueError } from '../errors.js';

/** Archive formats the downloader unpacks. */
export type ArchiveKind = 'zip' | 'tar' | 'tar.gz';

/**
 * A file's expected identity. `path` is relative to the dataset's cache folder, `/`-separated.
 * @example
 * ```ts
 * const d: FileDigest = { path: 'MetadataSHEnCneurons.mat', size: 12345, sha256: '…' };
 * ```
 */
export interface FileDigest {
  /** Relative path in the cache folder (`/` separators, no `..`, not absolute). */
  readonly path: string;
  /** Exact size in bytes, when known. */
  readonly size?: number;
  /** SHA-256 as 64 lower-case hex digits, when known. */
  readonly sha256?: string;
}

/**
 * One file of a dataset's download.
 * @example
 * ```ts
 * const f: ManifestFile = {
 *   path: 'spikesandwav.zip', url: 'https://osf.io/download/5nxga/',
 *   archive: 'zip', extractTo: '', members: [{ path: 'spikesandwav/a.mat', size: 10 }],
 * };
 * ```
 */
export interface ManifestFile extends FileDigest {
  /** Where to GET it (redirects are followed). */
  readonly url: string;
  /** Set when the file is an archive to unpack after download. */
  readonly archive?: ArchiveKind;
  /** Folder (relative to the cache folder, '' = the folder itself) to unpack into; default ''. */
  readonly extractTo?: string;
  /**
   * The files the archive is expected to produce (paths relative to the cache folder). When all
   * are present and verified the archive is neither downloaded nor unpacked again; after
   * unpacking each is verified.
   */
  readonly members?: readonly FileDigest[];
  /** A path whose existence means the archive was already unpacked (used when `members` is absent). */
  readonly anchor?: string;
}

/**
 * A dataset's download: its cache sub-folder name and its files.
 * @example
 * ```ts
 * const m: DatasetManifest = { name: 'NS1', files: [{ path: 'a.mat', url: 'https://example.org/a.mat' }] };
 * await downloadDataset(m, { root: '/tmp/NS1' });
 * ```
 */
export interface DatasetManifest {
  /** Cache sub-folder name (docs/download.md), e.g. `NS1`. */
  readonly name: string;
  /** The files, downloaded in this order. */
  readonly files: readonly ManifestFile[];
}

/**
 * Checks that `path` is a safe relative `/`-separated path and returns it normalised
 * (empty and `.` components dropped). Throws `ValueError` naming the path otherwise.
 * @example
 * ```ts
 * normaliseRelativePath('a/./b'); // 'a/b'
 * normaliseRelativePath('../x');  // throws ValueError
 * ```
 */
export function normaliseRelativePath(path: string, what = 'path'): string {
  const problem = relativePathProblem(path);
  if (problem) throw new ValueError(`${what} "${path}": ${problem}`);
  return splitPath(path).join('/');
}

/** Why `path` is not a safe relative path, or `null` when it is. */
export function relativePathProblem(path: string): string | null {
  if (path.includes('\0')) return 'contains a NUL character';
  const p = path.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is an absolute path';
  if (p.split('/').includes('..')) return 'has a ".." component';
  return null;
}

/** Splits a `/`- or `\`-separated path into its non-empty, non-`.` components. */
export function splitPath(path: string): string[] {
  return path.replace(/\\/g, '/').split('/').filter((c) => c !== '' && c !== '.');
}

/** Joins relative path pieces with `/`, dropping empty ones. */
export function joinPath(...parts: string[]): string {
  return parts.flatMap(splitPath).join('/');
}
