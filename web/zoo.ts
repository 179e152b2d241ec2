/**
 * The lazily loaded part of the viewer: the registry (src/zoo/catalog.ts) and through it every
 * loader and file reader of the zoo. The page's entry imports it with `import()`, so its first
 * script stays small (docs/viewer.md, "Size").
 * @module
 */
import type { DatasetEntry } from '../src/zoo/registry.js';

export { listDatasets } from '../src/zoo/catalog.js';

/**
 * The files of `entry`'s release as its manifest names them (HTTP cannot list folders, so
 * `HttpSource` needs them): its plain files and the members its archives unpack to; `null` when
 * the manifest does not name every file (an archive without a member list, or no manifest).
 * @example
 * ```ts
 * const files = manifestFiles(entry) ?? await (await fetch(`${url}files.json`)).json();
 * ```
 */
export function manifestFiles(entry: DatasetEntry): Array<{ path: string; size?: number }> | null {
  const m = entry.manifest({});
  if (!m || m.files.some((f) => f.archive && !f.members?.length)) return null;
  return m.files.flatMap((f) => (f.archive ? (f.members ?? []) : [f])).map((f) => ({ path: f.path, size: f.size }));
}
