// The download layer's public surface (re-exported by src/index.ts).
export type { ArchiveKind, FileDigest, ManifestFile, DatasetManifest } from './manifest.js';
export { DownloadError, IntegrityError, ArchiveError, AuthenticationError } from './errors.js';
export {
  crcnsCredentials, crcnsSession, crcnsFileList, parseCrcnsFileList, crcnsDownload, CrcnsSession,
  CRCNS_LOGIN_URL, CRCNS_DOWNLOAD_BASE, CRCNS_REGISTER_URL, type CrcnsOptions,
} from './crcns.js';
export { downloadDataset, type DownloadOptions, type DownloadProgress, type DownloadResult } from './download.js';
export { fetchFile, type FileProgress, type FetchFileOptions, type FetchFileResult } from './fetch-file.js';
export { defaultCacheDir, cacheDirFor, type CacheEnvironment } from './cache.js';
export { extractArchive, type ExtractOptions, type ExtractProgress } from './archive.js';
export { Sha256, type Sha256Hasher } from './sha256.js';
export type { WritableSource, FileWriter, EntryInfo } from '../sources/types.js';
export { NS1_MANIFEST, ns1Manifest, NS1_OSF_GUIDS, type Ns1ManifestOptions } from './manifests/ns1.js';
