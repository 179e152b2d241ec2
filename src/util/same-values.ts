/**
 * Whether two arrays of numbers hold the same values in the same order.
 * @example
 * ```ts
 * sameValues([1, 2], new Int32Array([1, 2])); // true
 * ```
 */
export function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
