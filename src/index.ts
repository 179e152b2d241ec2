// Public entry of deepstrf: named re-exports only.

// errors and tensors
export { ValueError, ShapeError, DatasetValidationError, FormatError } from './errors.js';
export type { DType, DTypeArrays, TypedArray, Tensor } from './tensor.js';
export { tensor, full, shapeSize, isTensor, asFloat32 } from './tensor.js';
export { Rng } from './util/random.js';

// dataset contract
export { Dataset } from './contract/dataset.js';
export { NeuralDataset } from './contract/neural-dataset.js';
export { AudioNeuralDataset } from './contract/audio-neural-dataset.js';
export { concatNeuralDatasets } from './contract/concat.js';
export { hanningSmooth, hanningKernel } from './contract/transforms.js';
export type {
  StandardizeStimsOptions, StimNormalization, NormalizeResponsesOptions, ResponseNormalization,
} from './contract/transforms.js';
export type { Meta, DatasetItem, DatasetItems, SliceIndex } from './contract/types.js';
export { HeapTensor, NaNState } from './memory/heap-tensor.js';
export { isSentinel } from './memory/sentinel.js';

// collate
export { neuralCollate } from './collate/neural-collate.js';
export type { Batch, CollateItem } from './collate/neural-collate.js';
export { fillMissingData } from './collate/fill-missing-data.js';

// datasets
export { SyntheticDataset, synthesizeWaveform } from './zoo/synthetic.js';
export type { SyntheticDatasetOptions, SyntheticGroundTruth } from './zoo/synthetic.js';
export {
  NS1Dataset, NS1_WAV_NAMES, NS1_WAV_FRAMES, NS1_RAHMAN_TRAINVAL, NS1_RAHMAN_TEST, NS1_BINS, NS1_RAW_LEN_MS, NS1_NAT_SOUNDS, NS1_WAV_NATIVE_FS, NS1_WAV_DIR,
  NS1_DNET_FILE,
} from './zoo/ns1.js';
export type { NS1DatasetOptions, NS1LoadOptions } from './zoo/ns1.js';
export { NS1_RELEASE_FILES } from './download/manifests/ns1-files.js';
export { listDatasets, getDataset } from './zoo/catalog.js';
export type { DatasetEntry, DatasetDescription, DatasetFlag, MainJobPlan, ManifestOptions, ZooLoadOptions } from './zoo/registry.js';

// file sources
export type { FileSource, SyncFileSource, EntryInfo, FileWriter } from './sources/types.js';
export { MemorySource } from './sources/memory.js';
export { PickedFolderSource } from './sources/picked-folder.js';
export { FileListSource } from './sources/file-list.js';
export type { PathedFile } from './sources/file-list.js';
export { droppedFiles } from './sources/drop.js';
export { HttpSource, HttpSourceError } from './sources/http.js';
export type { HttpSourceOptions } from './sources/http.js';
export { SourceFileError } from './sources/build.js';

// download
export type { ArchiveKind, FileDigest, ManifestFile, DatasetManifest } from './download/index.js';
export type { DownloadOptions, DownloadProgress, DownloadResult, FileProgress, WritableSource, CacheEnvironment, Ns1ManifestOptions } from './download/index.js';
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
// fit (linear STRFs)
export type { FitOptions, FitResult } from './fit/fit.js';
export type { FitScores } from './fit/evaluate.js';
export type { FitSplit } from './fit/split.js';
export type { StrfModel } from './fit/model.js';
export { fitStrfs, DEFAULT_LAMBDAS } from './fit/fit.js';
export { evaluateStrf, predictNeuron } from './fit/evaluate.js';
export { fitSplit } from './fit/split.js';
export { predictStrf } from './fit/design.js';
export { modelToJson, modelFromJson } from './fit/model.js';
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
// io
export { readMat, isMatV73 } from './io/mat5.js';
export type {
  MatValue, MatNumeric, MatNumericClass, MatNumericData, MatClassArrays, MatLogical, MatChar, MatCell, MatStruct,
  MatSparse, MatSkipped, ReadMatOptions,
} from './io/mat-types.js';
export { readNpy, readNpz, writeNpy } from './io/npy.js';
export type { NpyArray, NpyDType, NpyData, NpyDTypeArrays, ReadNpyOptions } from './io/npy.js';
export { parseCsv, parseCsvMatrix, CsvMatrixReader, parseCsvNumber, PANDAS_NA_VALUES } from './io/csv.js';
export type { CsvCell, CsvOptions, CsvTable, CsvMatrix } from './io/csv.js';
export { parseJson } from './io/json.js';
export type { JsonValue } from './io/json.js';
export { readHdf5, hdf5SignatureOffset } from './io/hdf5.js';
export type { Hdf5Data, Hdf5Dataset, Hdf5Group, Hdf5Link, Hdf5Node, Hdf5Reference } from './io/hdf5.js';
export { readMatAsync, matFromHdf5 } from './io/mat73.js';
export { matStruct, matField, matText, matNumber, matNumbers } from './io/mat-access.js';

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
export type { StoreTransport } from './loader/heap-share.js';
