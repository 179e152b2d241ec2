/**
 * The error a lazy dataset's synchronous accessors throw for data not fetched yet.
 * @module
 */

/**
 * A synchronous read of a `ZarrDataset` cell that is not in memory: `ds.get(i)` (or a cell's
 * `data`) before `await ds.prefetch([i])`, or after the cache evicted it. `what` names the cell
 * (`stims[3]`, `responses[3][7]`), `index` the item index given to `get` when there was one.
 * @example
 * ```ts
 * try { ds.get(5); } catch (e) { if (e instanceof NotLoadedError) { await ds.prefetch([5]); ds.get(5); } }
 * ```
 */
export class NotLoadedError extends Error {
  /** The cell: `stims[s]` or `responses[s][n]` (absolute indices in the store). */
  readonly what: string;
  /** The item index passed to `get`, when the read came from `get`. */
  readonly index: number | undefined;
  constructor(what: string, index?: number) {
    super(
      `${index === undefined ? '' : `item ${index}: `}${what} is not loaded; \`await ds.prefetch([${index ?? 'i'}])\` ` +
        `(or \`await ds.getAsync(${index ?? 'i'})\`) before reading it synchronously`,
    );
    this.name = 'NotLoadedError';
    this.what = what;
    this.index = index;
  }
}
