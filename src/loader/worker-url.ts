/**
 * Where the collate and fit workers' entries live. From sources (vitest, tsx) it is the TypeScript file;
 * `scripts/build.mjs` replaces this module so that the bundles (dist/index.js and
 * dist/browser/index.js) point at their siblings `workers/<name>.js`.
 * @module
 */

/**
 * URL of the collate worker entry.
 * @example
 * ```ts
 * const w = await platform.createWorker(collateWorkerUrl(), 'collate-0');
 * ```
 */
export function collateWorkerUrl(): URL {
  return new URL('../../workers/collate-worker.ts', import.meta.url);
}

/**
 * URL of the fit worker entry (workers/fit-worker.ts; src/fit/fold-workers.ts starts it).
 * @example
 * ```ts
 * const w = await platform.createWorker(fitWorkerUrl(), 'fit-0');
 * ```
 */
export function fitWorkerUrl(): URL {
  return new URL('../../workers/fit-worker.ts', import.meta.url);
}
