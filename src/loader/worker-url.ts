/**
 * Where the collate worker's entry lives. From sources (vitest, tsx) it is the TypeScript file;
 * `scripts/build.mjs` replaces this module so that the bundles (dist/index.js and
 * dist/browser/index.js) point at their sibling `workers/collate-worker.js`.
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
