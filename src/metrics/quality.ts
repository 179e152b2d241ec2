/**
 * Per-neuron reliability of a whole dataset (docs/metrics.md, quality):
 * SNR (docs/metrics.md) and CCmax (docs/metrics.md), streamed stimulus by stimulus.
 * @module
 */
import { ShapeError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';
import { CCmaxAccumulator, checkMaxIters } from './ccmax.js';
import { CellWorkspace } from './cell.js';
import { fmtShape } from './masking.js';
import { PowerAccumulator, snrFromPowers } from './power.js';

/** Options of {@link computeNeuronQuality}. */
export interface NeuronQualityOptions {
  /** Pair cap of the split-half CCmax per cell. Default 126. */
  maxCcmaxIters?: number;
}

/** Result of {@link computeNeuronQuality}: one value per neuron of the dataset. */
export interface NeuronQuality {
  /** SP / max(NP, 1e-12), length-weighted over stimuli; NaN when no stimulus qualifies. */
  snr: Tensor<'float64'>;
  /** Length-weighted split-half CCmax; 1.0 for a neuron with no stimulus having ≥ 2 valid repeats. */
  ccmax: Tensor<'float64'>;
}

/**
 * SNR and CCmax of every neuron of a dataset's `responses[stim][neuron]` (each `(R, T)` or the
 * `(1, 1)` NaN sentinel). The reference pads each stimulus's responses to `(N, R_s, T_s)` with NaN
 * and evaluates every neuron's cell; padded repeats and bins are invalid by construction, so this
 * evaluates each cell on its own data, without building the padded block, which gives the same
 * valid sub-blocks. A neuron with no stimulus having ≥ 2 valid repeats gets CCmax 1.0 (the
 * reference's fallback); NaN from any other cause (a NaN inside a real cell, ρ_half ≤ 0 on every
 * stimulus) stays NaN. `NeuralDataset.computeNeuronQuality()` calls this and writes `snr`/`ccmax`
 * into `nrnMeta`.
 * @param responses `responses[s][n]`, S stimuli × `nNeurons` neurons.
 * @example
 * ```ts
 * const { snr, ccmax } = computeNeuronQuality(ds.responses, ds.nNeurons);
 * ds.nrnMeta.forEach((m, n) => Object.assign(m, { snr: snr.data[n], ccmax: ccmax.data[n] }));
 * ```
 */
export function computeNeuronQuality(
  responses: readonly (readonly Tensor[])[],
  nNeurons: number,
  options?: NeuronQualityOptions,
): NeuronQuality {
  if (!Number.isInteger(nNeurons) || nNeurons < 0) {
    throw new ShapeError(`nNeurons must be a non-negative integer, got ${String(nNeurons)}`);
  }
  const maxIters = checkMaxIters(options?.maxCcmaxIters, 'maxCcmaxIters');
  const ws = new CellWorkspace();
  const power = new PowerAccumulator(nNeurons);
  const cc = new CCmaxAccumulator(nNeurons, maxIters);
  for (let s = 0; s < responses.length; s++) {
    const row = responses[s];
    if (!Array.isArray(row) || row.length !== nNeurons) {
      throw new ShapeError(`responses[${s}] must list ${nNeurons} neurons, got ${Array.isArray(row) ? row.length : typeof row}`);
    }
    for (let n = 0; n < nNeurons; n++) {
      const cell = row[n];
      if (!isTensor(cell) || cell.shape.length !== 2) {
        throw new ShapeError(
          `responses[${s}][${n}] must be an (R, T) tensor, got ${isTensor(cell) ? `shape ${fmtShape(cell.shape)}` : typeof cell}`,
        );
      }
      ws.load(cell.data, 0, cell.shape[0], cell.shape[1]);
      power.add(n, ws);
      cc.add(n, ws);
    }
  }
  const { sp, np } = power.result();
  return {
    snr: { dtype: 'float64', shape: [nNeurons], data: snrFromPowers(sp, np) },
    ccmax: { dtype: 'float64', shape: [nNeurons], data: cc.result(1.0) },
  };
}
