/**
 * The minimal map-style dataset every loader, sampler and subset understands (the role of
 * `torch.utils.data.Dataset`): a length and random access by integer index.
 * @module
 */

/**
 * A map-style dataset: `length` items addressable by `get(i)`, iterable in index order.
 * @example
 * ```ts
 * class Squares extends Dataset<number> {
 *   get length() { return 10; }
 *   get(i: number) { return i * i; }
 * }
 * for (const x of new Squares()) console.log(x);
 * ```
 */
export abstract class Dataset<T> implements Iterable<T> {
  /** Number of items. */
  abstract get length(): number;
  /** The item at integer index `i`. */
  abstract get(i: number): T;

  /** Yields `get(0)`, `get(1)`, … `get(length - 1)`. */
  *[Symbol.iterator](): Iterator<T> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield this.get(i);
  }
}
