/**
 * The lazily loaded part of the viewer: the registry (src/zoo/catalog.ts) and through it every
 * loader and file reader of the zoo. The page's entry imports it with `import()`, so its first
 * script stays small (docs/viewer.md, "Size").
 * @module
 */
import type { DatasetEntry } from '../src/zoo/registry.js';

export { listDatasets } from '../src/zoo/catalog.js';

/**
 * The files an HTTP mirror of `entry` serves, as `HttpSource` needs them (HTTP cannot list
 * folders): the manifest's plain files and the members its archives unpack to.
 * @example
 * ```ts
 * new HttpSource(url, { files: httpFiles(entry) });
 * ```
 */
export function httpFiles(entry: DatasetEntry): Array<{ path: string; size?: number }> {
  const m = entry.manifest({});
  if (!m) return [];
  return m.files.flatMap((f) => (f.archive ? (f.members ?? []) : [f])).map((f) => ({ path: f.path, size: f.size }));
}
