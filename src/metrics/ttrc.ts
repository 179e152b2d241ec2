/**
 * Trial-to-trial response correlation (docs/metrics.md).
 * @module
 */
import type { Tensor } from '../tensor.js';
import { perRow } from './ccmax.js';

/**
 * TTRC per row of `(B, R, T)` responses: the mean Pearson correlation over all pairs i < j of
 * valid repeats on the valid sub-block (Pennington & David 2023). R_v = 1 → 1.0; R_v = 0, or
 * R_v ≥ 2 with T_v < 2 → NaN; a zero-variance repeat makes its pairs (and so the mean) NaN.
 * @returns `(B)` float64 tensor.
 * @example
 * ```ts
 * computeTTRC(tensor('float32', [1, 2, 3], [1, 2, 4, 1, 2, 4])).data[0]; // 1
 * ```
 */
export function computeTTRC(responses: Tensor): Tensor<'float64'> {
  return perRow(responses, 'computeTTRC', (ws) => ws.meanPairCorrelation());
}
