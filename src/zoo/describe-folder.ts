/**
 * What `deepstrf info <name>` says about a dataset folder by default: each file the download
 * manifest promises (an archive's members stand for the archive) checked for presence and size,
 * or SHA-256 with `verify`. Entries with more to say (NS1 counts units and sounds, then builds the
 * dataset) start from {@link checkFolder} and add their rows.
 * @module
 */
import { platform } from '#platform';
import type { DatasetManifest, FileDigest } from '../download/manifest.js';
import { hashStoredFile } from '../download/verify.js';
import type { DatasetDescription, DatasetEntry } from './registry.js';

/**
 * One path {@link checkFolder} expects: a file with its digest, or an archive's anchor, which
 * may be a file or a folder (its mere presence marks the archive unpacked).
 * @example
 * ```ts
 * const e: FolderEntry = { path: 'Field_L_cells', anchor: true };
 * ```
 */
export interface FolderEntry extends FileDigest {
  readonly anchor?: boolean;
}

/**
 * A folder checked against a list of files.
 * @example
 * ```ts
 * const c = await checkFolder(NS1_RELEASE_FILES, '/data/NS1', { verify: false });
 * c.missing.length === 0 && c.damaged.length === 0; // complete
 * ```
 */
export interface FolderCheck {
  /** Files expected. */
  readonly files: number;
  /** Files present and intact. */
  readonly present: number;
  /** Bytes of the intact files. */
  readonly bytes: number;
  /** Sum of the expected sizes that are known. */
  readonly expectedBytes: number;
  /** Paths absent. */
  readonly missing: string[];
  /** Paths present with the wrong size (or SHA-256, with `verify`). */
  readonly damaged: string[];
}

/**
 * Checks `files` in the folder `path` (a Node path or OPFS path): present, right size, and with
 * `verify` the right SHA-256 (where the digest knows them).
 * @example
 * ```ts
 * const { missing, damaged } = await checkFolder([{ path: 'a.mat', size: 10 }], '/tmp/x', { verify: false });
 * ```
 */
export async function checkFolder(files: readonly FolderEntry[], path: string, options: { verify: boolean }): Promise<FolderCheck> {
  const store = await platform.openWritableSource(path);
  const missing: string[] = [];
  const damaged: string[] = [];
  let present = 0;
  let bytes = 0;
  for (const f of files) {
    const st = await store.stat(f.path);
    if (!st || (st.kind !== 'file' && !f.anchor)) {
      missing.push(f.path);
      continue;
    }
    const ok = (f.size === undefined || st.size === f.size) &&
      (!options.verify || f.sha256 === undefined || (await hashStoredFile(store, f.path, st.size)) === f.sha256);
    if (ok) {
      present++;
      bytes += st.size;
    } else damaged.push(f.path);
  }
  return { files: files.length, present, bytes, expectedBytes: files.reduce((s, f) => s + (f.size ?? 0), 0), missing, damaged };
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const some = (paths: readonly string[]) => `${paths.length}: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', …' : ''}`;

/**
 * The rows every folder description starts with (`folder`, `files`) and those it ends with
 * (`missing`, `damaged`), for a {@link FolderCheck}.
 * @example
 * ```ts
 * const { head, tail } = folderRows('/data/NS1', check, { verify: false });
 * ```
 */
export function folderRows(path: string, c: FolderCheck, options: { verify: boolean }): { head: Array<[string, string]>; tail: Array<[string, string]> } {
  const head: Array<[string, string]> = [
    ['folder', path],
    ['release files', `${c.present} of ${c.files} present (${mb(c.bytes)} of ${mb(c.expectedBytes)})${options.verify ? ', SHA-256 verified' : ', sizes checked'}`],
  ];
  const tail: Array<[string, string]> = [];
  if (c.missing.length) tail.push(['missing', some(c.missing)]);
  if (c.damaged.length) tail.push(['damaged', some(c.damaged)]);
  return { head, tail };
}

/** The files a manifest leaves in the folder: each file, or an archive's members (its anchor when members are not listed). */
function manifestFiles(m: DatasetManifest): FolderEntry[] {
  return m.files.flatMap((f): FolderEntry[] => {
    if (f.archive && f.members?.length) return [...f.members];
    if (f.archive && f.anchor !== undefined) return [{ path: f.anchor, anchor: true }];
    return [{ path: f.path, size: f.size, sha256: f.sha256 }];
  });
}

/**
 * `deepstrf info <name>`: the entry's own `describe` when it has one; otherwise the folder checked
 * against the download manifest (or, for generated data, a note that there is no folder).
 * @example
 * ```ts
 * const d = await describeDataset(getDataset('ns1'), '/data/NS1', { verify: false });
 * if (!d.complete) process.exitCode = 1;
 * ```
 */
export async function describeDataset(entry: DatasetEntry, path: string | null, options: { verify: boolean } & Record<string, unknown>): Promise<DatasetDescription> {
  if (entry.describe) return entry.describe(path, options);
  const manifest = entry.manifest(options);
  if (!manifest || path === null) {
    return { complete: true, rows: [['source', 'generated in memory; nothing to download'], ['status', 'complete']], data: { dataset: entry.name, complete: true } };
  }
  const c = await checkFolder(manifestFiles(manifest), path, options);
  const complete = c.missing.length === 0 && c.damaged.length === 0;
  const { head, tail } = folderRows(path, c, options);
  return {
    complete,
    rows: [...head, ...tail, ['status', complete ? 'complete' : `incomplete: run \`deepstrf download ${entry.name}\``]],
    data: { dataset: entry.name, folder: path, ...c, verified: options.verify, complete },
  };
}
