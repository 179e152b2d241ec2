// Public entry of deepstrf: named re-exports only.

// errors and tensors
export { ValueError, ShapeError, DatasetValidationError, FormatError, HeapExhaustedError, DisposedError } from './errors.js';
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
export { WasmHeap, defaultHeap } from './memory/heap.js';
export type { HeapStats } from './memory/heap.js';

// collate
export { neuralCollate } from './collate/neural-collate.js';
export type { Batch } from './collate/neural-collate.js';
export { fillMissingData } from './collate/fill-missing-data.js';

// datasets
export { SyntheticDataset, synthesizeWaveform } from './zoo/synthetic.js';
export type { SyntheticDatasetOptions, SyntheticGroundTruth } from './zoo/synthetic.js';
export {
  NS1Dataset, NS1_WAV_NAMES, NS1_WAV_FRAMES, NS1_RAHMAN_TRAINVAL, NS1_RAHMAN_TEST, NS1_BINS, NS1_RAW_LEN_MS, NS1_NAT_SOUNDS, NS1_WAV_NATIVE_FS, NS1_WAV_DIR,
  NS1_DNET_FILE,
} from './zoo/ns1.js';
export type { NS1DatasetOptions, NS1LoadOptions } from './zoo/ns1.js';
export { CRCNSAA1Dataset, aa1Entry, aa1Manifest, AA1_AREAS, AA1_STIM_TYPES, AA1_CACHE_NAME, AA1_ARCHIVE, AA1_DOWNLOAD } from './zoo/crcns-aa1.js';
export type { CRCNSAA1Options, AA1Area, AA1StimType } from './zoo/crcns-aa1.js';
export {
  CRCNSAA2Dataset, aa2Entry, aa2Manifest, AA2_REGIONS, AA2_FIELD_L, AA2_DEFAULT_AREAS, AA2_ALL_AREAS, AA2_STIM_TYPES, AA2_CACHE_NAME, AA2_ARCHIVES,
} from './zoo/crcns-aa2.js';
export type { CRCNSAA2Options } from './zoo/crcns-aa2.js';
export { CRCNSAA4Dataset, aa4Entry, aa4Manifest, aa4Archives, AA4_ANIMAL_IDS, AA4_STIM_TYPES, AA4_CACHE_NAME } from './zoo/crcns-aa4.js';
export type { CRCNSAA4Options } from './zoo/crcns-aa4.js';
export {
  Le2025Dataset, le2025Entry, le2025Manifest, LE2025_EXPERIMENTS, LE2025_VARIANTS, LE2025_FIGSHARE_DOI, LE2025_FIGSHARE_ARTICLE,
  LE2025_UNPACKED_DIR, LE2025_CACHE_NAME, LE2025_PAPER,
} from './zoo/le2025.js';
export type { Le2025Options, Le2025Experiment } from './zoo/le2025.js';
export { downloadCrcnsArchives } from './zoo/theunissen.js';
export type { TheunissenOptions, CrcnsArchive, CrcnsArchiveOptions, CrcnsServerOptions } from './zoo/theunissen.js';
export {
  Downer2025Dataset, downer2025Entry, downer2025Manifest, parseDownerChannelFile, DOWNER2025_SESSION_AREAS, DOWNER2025_ZENODO_RECORD,
  DOWNER2025_CACHE, DOWNER2025_ROOT,
} from './zoo/downer2025.js';
export type { Downer2025Options } from './zoo/downer2025.js';
export {
  AliceEEGDataset, aliceEegEntry, aliceEegManifest, ALICE_EEG_BITSTREAMS, ALICE_EEG_CACHE, ALICE_EEG_SEGMENTS, ALICE_EEG_SHARDS,
} from './zoo/alice-eeg.js';
export type { AliceEEGOptions } from './zoo/alice-eeg.js';
export { NS1_RELEASE_FILES } from './download/manifests/ns1-files.js';
export { CRCNSAC1Dataset, AC1_ARCHIVES, AC1_WEHR_VALID_NEURONS, AC1_WEHR_SPLIT_NATURAL, applyRamp, ensureExtracted } from './zoo/crcns-ac1.js';
export { ac1Entry, ac1Manifest, AC1_CRCNS_BASE } from './zoo/crcns-ac1-entry.js';
export type { CRCNSAC1DatasetOptions, CRCNSAC1LoadOptions, AC1Experimenter, AC1Site } from './zoo/crcns-ac1.js';
export {
  AC1_DEFAULT_GATING, binRepeats, detectSpikesPsth, gateRepeats, gaussianFilterReflect, medgaussDetrend, medianFilterReflect,
} from './zoo/crcns-ac1-repeats.js';
export type { RepeatGating, RejectionCounter } from './zoo/crcns-ac1-repeats.js';
export { listDatasets, getDataset } from './zoo/catalog.js';
export type { DatasetEntry, DatasetDescription, DatasetFlag, MainJobPlan, ManifestOptions, ZooLoadOptions } from './zoo/registry.js';
export { NAT4Dataset, nat4Entry, nat4Manifest, NAT4_AREAS, NAT4_DT_MS, NAT4_F, NAT4_ZENODO_RECORD } from './zoo/nat4.js';
export type { NAT4DatasetOptions } from './zoo/nat4.js';
export { EspejoDataset, espejoEntry, espejoManifest, ESPEJO_SETS, ESPEJO_ZENODO_RECORD, ESPEJO_NAT_PRESTIM_S } from './zoo/espejo.js';
export type { EspejoDatasetOptions } from './zoo/espejo.js';
export {
  Wingert2026Dataset, wingert2026Entry, wingert2026Manifest, WINGERT2026_AREAS, WINGERT2026_F, WINGERT2026_ZENODO_RECORD,
} from './zoo/wingert2026.js';
export type { Wingert2026DatasetOptions } from './zoo/wingert2026.js';
export {
  parseNat4CellId, parseEspejoCellId, parseWingertCellId, readAuditoryFlags, minMaxNormalize, FERRET_HEARING_RANGE_HZ, withZippedFolder,
} from './zoo/david-lab.js';
export { CRCNSAA5Dataset } from './zoo/crcns-aa5.js';
export { aa5Entry } from './zoo/aa5-entry.js';
export type { CRCNSAA5DatasetOptions, CRCNSAA5LoadOptions } from './zoo/crcns-aa5.js';
export { AA5_BIRDS, AA5_SITES, AA5_WINDOW_S, AA5_STIM_CLASSES, AA5_CALL_TYPES, AA5_UM_PER_TURN, parseAA5Site } from './zoo/aa5-sites.js';
export type { AA5SiteInfo } from './zoo/aa5-sites.js';
export { aa5StimInfo } from './zoo/aa5-stimuli.js';
export { downloadAA5Archives, isAA5SitePrepared, aa5SiteSelection, AA5_ARCHIVE_DIR } from './zoo/aa5-download.js';
export type { AA5ArchiveOptions } from './zoo/aa5-download.js';
export { prepareAA5, prepareAA5Site, findAA5Sources, AA5_CACHE_VERSION, AA5_PREPARER_VERSION } from './zoo/aa5-prepare.js';
export type { AA5PrepareOptions, AA5PrepareSiteOptions, AA5PrepareProgress } from './zoo/aa5-prepare.js';
export { downloadAA5, aa5DownloadProgress } from './zoo/aa5-download-prepare.js';
export type { AA5DownloadOptions } from './zoo/aa5-download-prepare.js';
export { readAA5UnitFile } from './zoo/aa5-unit-pickle.js';
export { aa5MicAlignment } from './zoo/aa5-mic.js';
export type { AA5MicMetrics } from './zoo/aa5-mic.js';
export type { AA5UnitFile, AA5StimulusRow } from './zoo/aa5-unit-pickle.js';

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
export type { CrcnsOptions } from './download/index.js';
export {
  crcnsCredentials, crcnsSession, crcnsFileList, parseCrcnsFileList, crcnsDownload, CrcnsSession, CRCNS_LOGIN_URL, CRCNS_DOWNLOAD_BASE, CRCNS_REGISTER_URL,
} from './download/index.js';
export { downloadDataset, DownloadError, IntegrityError, ArchiveError, AuthenticationError, defaultCacheDir, cacheDirFor, extractArchive, NS1_MANIFEST, ns1Manifest } from './download/index.js';
export { figshareArticleFiles, figshareDownload, FIGSHARE_API } from './download/figshare.js';
export type { FigshareFile, FigshareOptions } from './download/figshare.js';
// archives (file sources over zip and tar / tar.gz members; streaming extraction)
export type { ExtractOptions, ExtractProgress } from './download/index.js';
export { ZipSource } from './sources/zip.js';
export type { ZipEntry, ZipSourceOptions } from './sources/zip.js';
export { TarGzSource, tarEvents } from './sources/tar.js';
export type { TarEntry, TarEvent, TarGzSourceOptions } from './sources/tar.js';
export { crc32, crc32Combine, crc32Zeros } from './util/crc32.js';
export { sha1Hex } from './util/sha1.js';
export { zenodoFileUrl, zenodoManifest, ZENODO_API } from './download/zenodo.js';
export type { ZenodoFile } from './download/zenodo.js';
export {
  downloadEspejoNatWaveforms, espejoMirrorUrl, pythonQuote, ESPEJO_MIRROR_BASE, ESPEJO_MIRROR_SUBDIRS, ESPEJO_WAVEFORM_DIR,
} from './download/bitbucket.js';
export type { EspejoWaveformOptions } from './download/bitbucket.js';
// metrics
export type {
  Reduction, MaskedMetricOptions, MseLossOptions, PoissonLossOptions, CorrcoefOptions, PowerOptions,
  NormalizedCorrcoefOptions, CCmaxOptions, CoherenceOptions, NeuronQualityOptions, NeuronQuality,
} from './metrics/index.js';
export {
  mseLoss, poissonLoss, corrcoef, fve, signalPower, noisePower, snr, normalizedCorrcoef, computeCCmax,
  computeTTRC, coherence, computeNeuronQuality, psth, coarseMask,
} from './metrics/index.js';
// signal (MNE-equivalent processing)
export {
  firwinLowpass, mneFilter, mneFilterKernel, mneFilterLength, mneFirFilter, mneFirwinDesign, mneResample, mneResampledLength,
  mneSmartPad, mneTransitionBandwidths, MNE_HAMMING_LENGTH_FACTOR,
} from './signal/mne.js';
export { erbRate, gaussianErbFilterbank, gaussianErbSpectrogram } from './signal/gaussian-erb.js';
export type { GaussianErbOptions } from './signal/gaussian-erb.js';
export { resamplePoly, firwinKaiser } from './signal/resample-poly.js';
// fit (linear STRFs)
export type { FitAsyncOptions, FitOptions, FitResult } from './fit/fit.js';
export type { FitScores } from './fit/evaluate.js';
export type { FitSplit } from './fit/split.js';
export type { StrfModel } from './fit/model.js';
export { fitStrfs, fitStrfsAsync, DEFAULT_LAMBDAS } from './fit/fit.js';
export { evaluateStrf, predictNeuron } from './fit/evaluate.js';
export { fitSplit } from './fit/split.js';
export { predictStrf } from './fit/design.js';
export { modelToJson, modelFromJson } from './fit/model.js';
export { strfToOnnx } from './fit/onnx.js';
// spectral
export { stft, spectrogram } from './spectral/stft.js';
export type { StftOptions, SpectrogramOptions, Waveform } from './spectral/stft.js';
export { melFilterbank, melSpectrogram, hzToMel, melToHz } from './spectral/mel.js';
export type { MelFilterbankOptions, MelSpectrogramOptions, MelScale } from './spectral/mel.js';
export { CausalMelSpectrogram } from './spectral/causal-mel.js';
export type { CausalMelOptions } from './spectral/causal-mel.js';
export { logFrequencySpectrogram, logFrequencies } from './spectral/log-frequency.js';
export type { LogFrequencyOptions } from './spectral/log-frequency.js';
export { kaldiFbank, kaldiFrameGeometry, kaldiMel, kaldiMelBanks, kaldiWindow, KALDI_LOG_FLOOR } from './spectral/kaldi-fbank.js';
export type { KaldiFbankOptions, KaldiWindowType } from './spectral/kaldi-fbank.js';
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
export { FIFF, readFiffRaw, readFiffTree, findFiffBlocks, splitFiffNameList, mneAnnotationOnsets } from './io/fiff.js';
export type { ReadFiffOptions, FiffRaw, FiffChannel, FiffDigPoint, FiffAnnotations, FiffTag, FiffNode } from './io/fiff.js';
export { parseYaml } from './io/yaml.js';
export type { YamlValue } from './io/yaml.js';
export type {
  MatValue, MatNumeric, MatNumericClass, MatNumericData, MatClassArrays, MatLogical, MatChar, MatCell, MatStruct,
  MatSparse, MatSkipped, ReadMatOptions,
} from './io/mat-types.js';
export { readNpy, readNpz, writeNpy, writeNpz } from './io/npy.js';
export type { NpyArray, NpyDType, NpyData, NpyDTypeArrays, ReadNpyOptions } from './io/npy.js';
export { parseCsv, parseCsvMatrix, CsvMatrixReader, parseCsvNumber, PANDAS_NA_VALUES } from './io/csv.js';
export type { CsvCell, CsvOptions, CsvTable, CsvMatrix } from './io/csv.js';
export { parseJson } from './io/json.js';
export type { JsonValue } from './io/json.js';
export { pyJsonDumps, pyFloatRepr } from './io/py-json.js';
export type { PyJson } from './io/py-json.js';
export { loadPickle, loadPickles, isPyTuple, PickleDataError, PyCallable, PyObject, PySlice } from './io/pickle.js';
export type { PyKey, PyValue } from './io/pickle.js';
export { NDArray, NpDType } from './io/pickle-numpy.js';
export type { NDData } from './io/pickle-numpy.js';
export { PdDataFrame, PdIndex, PdBlock, PdBlockManager } from './io/pickle-pandas.js';
export { readHdf5, hdf5SignatureOffset } from './io/hdf5.js';
export type { Hdf5Data, Hdf5Dataset, Hdf5Group, Hdf5Link, Hdf5Node, Hdf5Reference } from './io/hdf5.js';
export { readMatAsync, matFromHdf5 } from './io/mat73.js';
export { openHdf5Sync, openNemsH5 } from './io/hdf5-sync.js';
export type { H5AttrValue, H5SyncGroup, NemsH5Array, NemsH5File } from './io/hdf5-sync.js';
export {
  readNemsRecording, parseSignalAttrs, parseEpochs, readRaster, extractEpoch, epochBounds, epochNamesMatching, locateRecording,
  openRecordingArchive, sourceDir, memoryDir, NemsRecording,
} from './io/nems.js';
export type { NemsDir, NemsSignalAttrs, NemsEpochs, NemsRaster, NemsEpochData, NemsRecordingData, NemsSignalData } from './io/nems.js';
export { readTgz, scanTgz } from './io/nems-tgz.js';
export type { TgzMemberAction } from './io/nems-tgz.js';
export { matStruct, matField, matText, matNumber, matNumbers } from './io/mat-access.js';

// loader
export { DataLoader } from './loader/data-loader.js';
export type { DataLoaderOptions, DataLoaderStats } from './loader/data-loader.js';
export { SequentialSampler, RandomSampler, SubsetRandomSampler, BatchSampler, DistributedSampler } from './loader/samplers.js';
export type { Sampler, Sized, RandomSamplerOptions, BatchSamplerOptions, DistributedSamplerOptions } from './loader/samplers.js';
export { distributedFromEnv } from './loader/launcher.js';
export type { LauncherEnv } from './loader/launcher.js';
export { Subset, randomSplit } from './loader/subset.js';
export type { MapDataset } from './loader/subset.js';
export { DataLoaderWorkerError } from './loader/pool.js';
export { DataLoaderTimeoutError, DatasetChangedError } from './loader/errors.js';
export { ReleasedBatchError } from './loader/batch-memory.js';
export type { LoaderBatch } from './loader/batch-memory.js';
export type { ItemTransform, TransformContext, TransformOption } from './loader/transform.js';
// zarr (export and the lazy dataset)
export { exportZarr } from './zarr/export.js';
export type { ExportProgress, ExportZarrOptions, ExportZarrResult } from './zarr/export.js';
export type { ExportProvenance } from './zarr/export-plan.js';
export { ZarrDataset } from './zarr/zarr-dataset.js';
export type { ZarrDatasetStats, ZarrOpenOptions, ZarrWorkerShare } from './zarr/zarr-dataset.js';
export type { ZarrStoreLocation } from './zarr/store-location.js';
export { NotLoadedError } from './zarr/errors.js';
export { ZARR_ARRAYS, ZARR_FORMAT_NAME, ZARR_FORMAT_VERSION } from './zarr/layout.js';
export type { ZarrHeader, ZarrProvenance } from './zarr/layout.js';
export { DEEPSTRF_VERSION } from './version.js';
export type { DatasetInfo } from './loader/protocol.js';
export type { StoreTransport } from './loader/heap-share.js';
