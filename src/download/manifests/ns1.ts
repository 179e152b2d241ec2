/**
 * The NS1 download (docs/zoo/ns1.md): the authors' OSF project `ayw2p` plus the DNet spectrogram file
 * on GitHub, or a mirror holding the release's files under their relative paths.
 * @module
 */
import { platform } from '#platform';
import type { DatasetManifest, ManifestFile } from '../manifest.js';
import { NS1_RELEASE_FILES } from './ns1-files.js';

/** OSF file GUIDs of project `ayw2p` (docs/zoo/ns1.md); each is fetched from `https://osf.io/download/<guid>/`. */
export const NS1_OSF_GUIDS = {
  'MetadataSHEnCneurons.mat': 'gdwyd',
  'spikesandwav.zip': '5nxga',
  'ReadMe.rtf': 'f3rtm',
} as const;

/** The DNet companion repository file holding the precomputed spectrogram (not on OSF). */
export const NS1_DNET = { owner: 'monzilur', repo: 'DNet', ref: 'master', path: 'test_data_5ms.mat' } as const;

/** `https://osf.io/download/<guid>/` (docs/download.md). @example `osfDownloadUrl('gdwyd') // 'https://osf.io/download/gdwyd/'` */
export const osfDownloadUrl = (guid: string): string => `https://osf.io/download/${guid}/`;

/**
 * `https://raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>` (docs/download.md).
 * @example
 * ```ts
 * githubRawUrl('monzilur', 'DNet', 'test_data_5ms.mat', 'master');
 * // 'https://raw.githubusercontent.com/monzilur/DNet/master/test_data_5ms.mat'
 * ```
 */
export const githubRawUrl = (owner: string, repo: string, path: string, ref = 'HEAD'): string =>
  `https://raw.githubusercontent.com/${owner}/${repo}/${ref}/${path.replace(/^\/+/, '')}`;

/**
 * Options of {@link ns1Manifest}.
 * @example
 * ```ts
 * const o: Ns1ManifestOptions = { mirror: 'https://mirror.example.org/NS1', spectrogram: false };
 * ```
 */
export interface Ns1ManifestOptions {
  /**
   * Base URL of a mirror serving the release's 140 files under their relative paths
   * (`<mirror>/MetadataSHEnCneurons.mat`, `<mirror>/spikesandwav/…`). Default: the
   * `DEEPSTRF_NS1_MIRROR` environment variable (Node); when neither is set, the authors' OSF
   * files are used (the spike files and sounds then come as `spikesandwav.zip`, unpacked in place).
   */
  mirror?: string;
  /** Include the DNet spectrogram `test_data_5ms.mat` (needed by the spectrogram mode); default true. */
  spectrogram?: boolean;
  /** Include the authors' `ReadMe.rtf` (OSF source only; unused by the loader); default true. */
  readme?: boolean;
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

/**
 * The NS1 manifest. Every release file carries the size and SHA-256 of the reference copy;
 * the DNet spectrogram and the readme have none (none are published).
 * @example
 * ```ts
 * await downloadDataset(ns1Manifest({ mirror: 'https://mirror.example.org/NS1' }));
 * ```
 */
export function ns1Manifest(options: Ns1ManifestOptions = {}): DatasetManifest {
  const mirror = (options.mirror ?? platform.cacheEnvironment()?.env.DEEPSTRF_NS1_MIRROR ?? '').replace(/\/+$/, '');
  const files: ManifestFile[] = [];
  if (mirror) {
    for (const f of NS1_RELEASE_FILES) files.push({ ...f, url: `${mirror}/${encodePath(f.path)}` });
  } else {
    const meta = NS1_RELEASE_FILES.find((f) => f.path === 'MetadataSHEnCneurons.mat');
    files.push({ ...meta, path: 'MetadataSHEnCneurons.mat', url: osfDownloadUrl(NS1_OSF_GUIDS['MetadataSHEnCneurons.mat']) });
    files.push({
      path: 'spikesandwav.zip',
      url: osfDownloadUrl(NS1_OSF_GUIDS['spikesandwav.zip']),
      archive: 'zip',
      extractTo: '',
      members: NS1_RELEASE_FILES.filter((f) => f.path.startsWith('spikesandwav/')),
    });
    if (options.readme !== false) files.push({ path: 'ReadMe.rtf', url: osfDownloadUrl(NS1_OSF_GUIDS['ReadMe.rtf']) });
  }
  if (options.spectrogram !== false) {
    files.push({ path: NS1_DNET.path, url: githubRawUrl(NS1_DNET.owner, NS1_DNET.repo, NS1_DNET.path, NS1_DNET.ref) });
  }
  return { name: 'NS1', files };
}

/**
 * The default NS1 manifest: the authors' OSF files and the DNet spectrogram (no mirror).
 * @example
 * ```ts
 * import { downloadDataset, NS1_MANIFEST } from 'deepstrf';
 * await downloadDataset(NS1_MANIFEST); // into defaultCacheDir('NS1')
 * ```
 */
export const NS1_MANIFEST: DatasetManifest = ns1Manifest({ mirror: '' });
