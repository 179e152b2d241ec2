/**
 * The synchronous side of a zoo loader: `new X({ path })` runs the dataset's build on the Node
 * folder `path` (src/sources/build.ts); `download: true` needs the async `X.load`.
 * @module
 */
import { platform } from '#platform';
import { DatasetValidationError } from '../errors.js';
import { runSync, type Build } from '../sources/build.js';

/**
 * Runs `build` synchronously on the folder `path`; `download: true` is refused (a constructor
 * cannot wait).
 * @example
 * ```ts
 * const b = zooBuildSync('CRCNSAA1Dataset', options, path, () => buildAA1(options, r, path));
 * ```
 */
export function zooBuildSync<B>(className: string, o: { download?: boolean }, path: string, build: () => Build<B>): B {
  if (o.download) throw new DatasetValidationError(`${className}: download: true needs the async factory: \`await ${className}.load({ download: true, ... })\``);
  return runSync(build(), platform.folderSource(path));
}
