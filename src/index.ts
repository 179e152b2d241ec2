// Public entry of deepstrf: named re-exports only.
export { ValueError, ShapeError, DatasetValidationError, FormatError } from './errors.js';
export type { DType, DTypeArrays, TypedArray, Tensor } from './tensor.js';
export { tensor, full, shapeSize, isTensor, asFloat32 } from './tensor.js';
export { Rng } from './util/random.js';
// metrics
export type {
  Reduction, MaskedMetricOptions, MseLossOptions, PoissonLossOptions, CorrcoefOptions, PowerOptions,
  NormalizedCorrcoefOptions, CCmaxOptions, CoherenceOptions, NeuronQualityOptions, NeuronQuality,
} from './metrics/index.js';
export {
  mseLoss, poissonLoss, corrcoef, fve, signalPower, noisePower, snr, normalizedCorrcoef, computeCCmax,
  computeTTRC, coherence, computeNeuronQuality, psth, coarseMask,
} from './metrics/index.js';
