// The metrics area's public surface (re-exported by src/index.ts).
export type { Reduction, MaskedMetricOptions } from './masking.js';
export type { MseLossOptions, PoissonLossOptions } from './losses.js';
export type { CorrcoefOptions } from './correlation.js';
export type { PowerOptions } from './power.js';
export type { NormalizedCorrcoefOptions } from './normalized-corrcoef.js';
export type { CCmaxOptions } from './ccmax.js';
export type { CoherenceOptions } from './coherence.js';
export type { NeuronQualityOptions, NeuronQuality } from './quality.js';
export { mseLoss, poissonLoss } from './losses.js';
export { corrcoef, fve } from './correlation.js';
export { signalPower, noisePower, snr } from './power.js';
export { normalizedCorrcoef } from './normalized-corrcoef.js';
export { computeCCmax } from './ccmax.js';
export { computeTTRC } from './ttrc.js';
export { coherence } from './coherence.js';
export { computeNeuronQuality } from './quality.js';
export { psth, coarseMask } from './psth.js';
