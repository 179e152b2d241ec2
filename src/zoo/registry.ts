/**
 * The dataset registry: what each zoo dataset is (name, class, description, species and area,
 * size, licence, citation), where its files come from (download manifest, cache folder) and how
 * to build it. The CLI (`deepstrf info | download | run <name>`) and `listDatasets()` read it.
 * Every entry lives next to its loader in `src/zoo/`; `src/zoo/catalog.ts` lists them.
 * @module
 */
import type { NeuralDataset } from '../contract/neural-dataset.js';
import type { DatasetManifest } from '../download/manifest.js';
import type { DownloadProgress } from '../download/download.js';
import type { FileSource } from '../sources/types.js';

/**
 * Options every zoo `load()` accepts, besides its dataset's own.
 * @example
 * ```ts
 * const ds = await NS1Dataset.load({ source: new MemorySource(files) });
 * const ds2 = await NS1Dataset.load({ download: true, onProgress: (p) => console.log(p.fraction) });
 * ```
 */
export interface ZooLoadOptions {
  /** A local folder (Node) holding the release; default: the dataset's cache folder. */
  path?: string;
  /** Any file source (memory, OPFS, a picked folder, an HTTP base URL); wins over `path`. */
  source?: FileSource;
  /** Fetch missing files into the cache first (idempotent). */
  download?: boolean;
  /** Download progress. */
  onProgress?: (p: DownloadProgress) => void;
  /** Mirror base URL for the download (dataset-specific). */
  mirror?: string;
  /** Cancels the download and the build. */
  signal?: AbortSignal;
}

/** Options of a registry download. @example `{ mirror: 'http://127.0.0.1:8080/' }` */
export interface ManifestOptions {
  /** Mirror base URL (dataset-specific meaning). */
  mirror?: string;
  /** Skip optional extras. */
  minimal?: boolean;
}

/**
 * One registered dataset.
 * @example
 * ```ts
 * const e = listDatasets().find((d) => d.name === 'ns1')!;
 * const ds = await e.load({ path: '/data/NS1' });
 * ```
 */
export interface DatasetEntry {
  /** CLI name, lower case (`ns1`, `aa1`, `synthetic`). */
  readonly name: string;
  /** Exported class name (`NS1Dataset`). */
  readonly className: string;
  /** One line for `deepstrf --help`. */
  readonly description: string;
  /** Species (`ferret`, `zebra finch`, …). */
  readonly species: string;
  /** Brain area(s) and signal (`A1, single + multi units`). */
  readonly area: string;
  /** Download size for people (`100 MB`), `'embedded'` for generated data. */
  readonly size: string;
  /** Licence of the release. */
  readonly licence: string;
  /** Citation of the release. */
  readonly citation: string;
  /** True when the download needs an account (CRCNS). */
  readonly accountNeeded: boolean;
  /** Cache sub-folder name (`NS1`), `null` for generated data. */
  readonly cacheFolder: string | null;
  /** The download manifest, `null` for generated data. */
  manifest(options: ManifestOptions): DatasetManifest | null;
  /** Builds the dataset (`X.load(options)`). */
  load(options: ZooLoadOptions & Record<string, unknown>): Promise<NeuralDataset>;
}
