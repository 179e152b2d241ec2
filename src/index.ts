// Public entry of deepstrf: named re-exports only.

// errors and tensors
export { ValueError, ShapeError, DatasetValidationError, FormatError } from './errors.js';
export type { DType, DTypeArrays, TypedArray, Tensor } from './tensor.js';
export { tensor, full, shapeSize, isTensor, asFloat32 } from './tensor.js';
export { Rng } from './util/random.js';

// dataset contract
export { Dataset } from './dataset/dataset.js';
export { NeuralDataset } from './dataset/neural-dataset.js';
export { AudioNeuralDataset } from './dataset/audio-neural-dataset.js';
export { concatNeuralDatasets } from './dataset/concat.js';
export { hanningSmooth, hanningKernel } from './dataset/transforms.js';
export type {
  StandardizeStimsOptions, StimNormalization, NormalizeResponsesOptions, ResponseNormalization,
} from './dataset/transforms.js';
export type { Meta, DatasetItem, DatasetItems, SliceIndex } from './dataset/types.js';
export { HeapTensor, NaNState } from './store/heap-tensor.js';
export { isSentinel } from './store/sentinel.js';

// collate
export { neuralCollate } from './collate/neural-collate.js';
export type { Batch, CollateItem } from './collate/neural-collate.js';
export { fillMissingData } from './collate/fill-missing-data.js';

// datasets
export { SyntheticDataset, synthesizeWaveform } from './datasets/synthetic.js';
export type { SyntheticDatasetOptions, SyntheticGroundTruth } from './datasets/synthetic.js';

// download
export type { ArchiveKind, FileDigest, ManifestFile, DatasetManifest } from './download/index.js';
export type { DownloadOptions, DownloadProgress, DownloadResult, FileProgress, FileStore, CacheEnvironment, Ns1ManifestOptions } from './download/index.js';
export { downloadDataset, DownloadError, IntegrityError, ArchiveError, defaultCacheDir, cacheDirFor, extractArchive, NS1_MANIFEST, ns1Manifest } from './download/index.js';
// metrics
export type {
  Reduction, MaskedMetricOptions, MseLossOptions, PoissonLossOptions, CorrcoefOptions, PowerOptions,
  NormalizedCorrcoefOptions, CCmaxOptions, CoherenceOptions, NeuronQualityOptions, NeuronQuality,
} from './metrics/index.js';
export {
  mseLoss, poissonLoss, corrcoef, fve, signalPower, noisePower, snr, normalizedCorrcoef, computeCCmax,
  computeTTRC, coherence, computeNeuronQuality, psth, coarseMask,
} from './metrics/index.js';

// loader
export { DataLoader } from './loader/data-loader.js';
export type { DataLoaderOptions, DataLoaderStats } from './loader/data-loader.js';
export { SequentialSampler, RandomSampler, SubsetRandomSampler, BatchSampler, DistributedSampler } from './loader/samplers.js';
export type { Sampler, Sized, RandomSamplerOptions, BatchSamplerOptions, DistributedSamplerOptions } from './loader/samplers.js';
export { Subset, randomSplit } from './loader/subset.js';
export type { MapDataset } from './loader/subset.js';
export { DataLoaderWorkerError } from './loader/pool.js';
export type { ItemTransform, LoaderItem, TransformContext, TransformOption } from './loader/transform.js';
export type { DatasetInfo } from './loader/protocol.js';
export type { StoreTransport } from './loader/store-transfer.js';
