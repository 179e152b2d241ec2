/**
 * The package's version, written into what deepstrf exports (Zarr provenance). Kept equal to
 * `package.json`'s `version` by test/node/zarr/version.test.ts.
 * @module
 */

/**
 * The deepstrf version.
 * @example
 * ```ts
 * import { DEEPSTRF_VERSION } from 'deepstrf';
 * console.log(DEEPSTRF_VERSION); // '0.1.0'
 * ```
 */
export const DEEPSTRF_VERSION = '0.1.0';
