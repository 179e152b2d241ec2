/**
 * Regression targets of the linear STRF fit (docs/fit.md): the PSTH of each recorded
 * (stimulus, neuron) pair, the NaN-mean over its repeats; missing pairs are `null`.
 * @module
 */
import { ShapeError } from '../errors.js';
import { isSentinel } from '../memory/sentinel.js';
import { isTensor, type Tensor } from '../tensor.js';

/**
 * PSTH of one `(R, T)` response cell: the mean over its valid (not NaN) repeats per bin. A bin
 * where every repeat is NaN takes the mean of the cell's valid bins (it then adds nothing to the
 * fit's cross-products beyond that constant); `null` when the cell is the missing-pair sentinel
 * or holds no valid value at all.
 * @throws ShapeError when the cell is not `(R, T)` with `T` equal to `bins`.
 * @example
 * ```ts
 * psthTarget(tensor('float32', [2, 3], [1, NaN, 3, 3, NaN, 5]), 3, 'responses[0][0]'); // [2, 4, 4]
 * ```
 */
export function psthTarget(cell: Tensor, bins: number, where: string): Float64Array | null {
  if (!isTensor(cell)) throw new TypeError(`fit: ${where} must be a Tensor, got ${typeof cell}`);
  if (isSentinel(cell)) return null;
  if (cell.shape.length !== 2 || cell.shape[1] !== bins) {
    throw new ShapeError(`fit: ${where} must be (R, ${bins}) to match its stimulus, got shape (${cell.shape.join(', ')})`);
  }
  const [R, T] = cell.shape;
  const d = cell.data;
  const out = new Float64Array(T);
  let total = 0, filled = 0;
  for (let t = 0; t < T; t++) {
    let s = 0, c = 0;
    for (let r = 0; r < R; r++) {
      const v = d[r * T + t];
      if (v === v) {
        s += v;
        c++;
      }
    }
    out[t] = c > 0 ? s / c : Number.NaN;
    if (c > 0) {
      total += out[t];
      filled++;
    }
  }
  if (filled === 0) return null;
  if (filled < T) {
    const mean = total / filled;
    for (let t = 0; t < T; t++) if (out[t] !== out[t]) out[t] = mean;
  }
  return out;
}
