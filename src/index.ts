// Public entry of deepstrf: named re-exports only.
export { ValueError, ShapeError, DatasetValidationError, FormatError } from './errors.js';
export type { DType, DTypeArrays, TypedArray, Tensor } from './tensor.js';
export { tensor, full, shapeSize, isTensor, asFloat32 } from './tensor.js';
export { Rng } from './util/random.js';
// download
export type { ArchiveKind, FileDigest, ManifestFile, DatasetManifest } from './download/index.js';
export type { DownloadOptions, DownloadProgress, DownloadResult, FileProgress, FileStore, CacheEnvironment, Ns1ManifestOptions } from './download/index.js';
export { downloadDataset, DownloadError, IntegrityError, ArchiveError, defaultCacheDir, cacheDirFor, extractArchive, NS1_MANIFEST, ns1Manifest } from './download/index.js';
