// Public entry of deepstrf: named re-exports only.
export { ValueError, ShapeError, DatasetValidationError, FormatError } from './errors.js';
export type { DType, DTypeArrays, TypedArray, Tensor } from './tensor.js';
export { tensor, full, shapeSize, isTensor, asFloat32 } from './tensor.js';
export { Rng } from './util/random.js';
// spectral
export { stft, spectrogram } from './spectral/stft.js';
export type { StftOptions, SpectrogramOptions, Waveform } from './spectral/stft.js';
export { melFilterbank, melSpectrogram, hzToMel, melToHz } from './spectral/mel.js';
export type { MelFilterbankOptions, MelSpectrogramOptions, MelScale } from './spectral/mel.js';
export { CausalMelSpectrogram } from './spectral/causal-mel.js';
export type { CausalMelOptions } from './spectral/causal-mel.js';
export { logFrequencySpectrogram, logFrequencies } from './spectral/log-frequency.js';
export type { LogFrequencyOptions } from './spectral/log-frequency.js';
export { Gammatonegram, gammatonegram, erbCentreFrequencies } from './spectral/gammatone.js';
export type { GammatonegramOptions, GammatonegramFrontEndOptions } from './spectral/gammatone.js';
export { compress } from './spectral/compression.js';
export type { Compression, CompressionOptions } from './spectral/compression.js';
export { nFftForWindow } from './spectral/nfft.js';
export { makeWav2spec } from './spectral/wav2spec.js';
export type { Wav2Spec, Wav2SpecOptions } from './spectral/wav2spec.js';
export { hann, hamming } from './spectral/windows.js';
export type { WindowName } from './spectral/windows.js';
export { decodeWav, encodeWav } from './audio/wav.js';
export type { DecodeWavOptions, DecodedWav, EncodeWavOptions, WavSampleFormat } from './audio/wav.js';
export { resample, resampledLength } from './audio/resample.js';
export type { ResampleOptions } from './audio/resample.js';
export { toMono, cropOrPad, prepareWaveform } from './audio/waveform.js';
export type { PrepareWaveformOptions } from './audio/waveform.js';
