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
 * Python's `x // y` for numbers, as CPython's `float_floor_div` computes it: through `fmod`, so
 * `1.0 // 0.1 == 9.0` where `Math.floor(1.0 / 0.1) === 10`; floors for negatives.
 * @example
 * ```ts
 * floorDiv(-7, 2); // -4
 * floorDiv(1.0, 0.1); // 9
 * ```
 */
export function floorDiv(x: number, y: number): number {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod && y < 0 !== mod < 0) {
    mod += y;
    div -= 1;
  }
  if (!div) return 0;
  const f = Math.floor(div);
  return div - f > 0.5 ? f + 1 : f;
}
