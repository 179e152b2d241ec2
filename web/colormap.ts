/**
 * The viewer's colour maps, as 256-entry RGBA lookup tables. `VIRIDIS_LUT` is a viridis-like
 * perceptually ordered map (dark blue → green → yellow), readable by colour-blind users; it is
 * computed from a degree-6 polynomial fit of viridis per channel (no data table shipped).
 * @module
 */

/** Polynomial coefficients c0 … c6 per channel (r, g, b) of the viridis fit. */
const COEFFS: ReadonlyArray<readonly [number, number, number]> = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

/**
 * The viridis-like colour of `t` in [0, 1] (clamped) as 0–255 RGB.
 * @example
 * ```ts
 * viridis(0); // ≈ [68, 1, 84], dark purple-blue
 * ```
 */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const rgb: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let v = 0;
    for (let k = COEFFS.length - 1; k >= 0; k--) v = v * x + COEFFS[k][c];
    rgb[c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  return rgb;
}

/**
 * 256 RGBA entries of {@link viridis}, entry i for t = i / 255.
 * @example
 * ```ts
 * const i = Math.round(t * 255) * 4; px.set(VIRIDIS_LUT.subarray(i, i + 4), o);
 * ```
 */
export const VIRIDIS_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    lut.set([...viridis(i / 255), 255], i * 4);
  }
  return lut;
})();

/**
 * `#rrggbb` of {@link viridis}, for lines and bars drawn on a 2-D context.
 * @example
 * ```ts
 * ctx.fillStyle = viridisCss(0.5);
 * ```
 */
export function viridisCss(t: number): string {
  return `#${viridis(t).map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
