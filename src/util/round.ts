/**
 * Python's rounding rules, which every zoo loader follows where the reference rounds: `round()`
 * and `np.round` round exact halves to the even neighbour (`round(220.5) == 220`), `int(x)`
 * truncates toward zero, and `//` floors.
 * @module
 */

/**
 * Rounds to the nearest integer, exact halves to even (Python's `round`, NumPy's `np.round`).
 * @example
 * ```ts
 * roundHalfEven(220.5); // 220
 * roundHalfEven(1102.5); // 1102
 * roundHalfEven(-2.5); // -2
 * roundHalfEven(2.6); // 3
 * ```
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Python's `x // y` for numbers: the floor of the quotient (also for negatives).
 * @example
 * ```ts
 * floorDiv(-7, 2); // -4
 * ```
 */
export function floorDiv(x: number, y: number): number {
  return Math.floor(x / y);
}
