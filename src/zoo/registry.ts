/**
 * The dataset registry: what each zoo dataset is (name, class, description, species and area,
 * size, licence, citation), where its files come from (download manifest, cache folder) and how
 * to build it. The CLI (`deepstrf info | download | run <name>`) and `listDatasets()` read it.
 * Every entry lives next to its loader in `src/zoo/`; `src/zoo/catalog.ts` lists them.
 * Adding a dataset: export its entry, add one line to the catalog and one row to the README's
 * dataset table (test/node/cli/registry.test.ts checks both). `flags`, `describe` and `mainJob`
 * are optional: by default `info` checks the folder against the manifest and `run` loads the
 * dataset and iterates every neuron.
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
 * What `deepstrf info <name>` reports about a folder: ordered `[label, value]` rows for people,
 * a JSON-able object, and whether the folder holds the complete dataset (`info` exits 1 if not).
 * @example
 * ```ts
 * const d = await getDataset('ns1').describe('/data/NS1', { verify: false });
 * if (!d.complete) console.error(d.rows.find(([k]) => k === 'missing'));
 * ```
 */
export interface DatasetDescription {
  readonly rows: ReadonlyArray<readonly [string, string]>;
  readonly data: Readonly<Record<string, unknown>>;
  /** True when the folder holds the complete, intact dataset. */
  readonly complete: boolean;
}

/**
 * What `DatasetEntry.download` receives: the manifest options, the values of the dataset's flags,
 * progress and cancellation.
 * @example
 * ```ts
 * await entry.download!('/data/AA5', { onProgress: (p) => bar.update(p), signal });
 * ```
 */
export interface EntryDownloadOptions extends ManifestOptions {
  /** Progress of the whole download. */
  onProgress?: (p: DownloadProgress) => void;
  /** Cancels it. */
  signal?: AbortSignal;
  /** Values of the dataset's own flags. */
  readonly [flag: string]: unknown;
}

/** The CLI commands that take a dataset, in help order (src/cli/ reads them from here). @example `DATASET_COMMANDS.includes('run')` */
export const DATASET_COMMANDS = ['info', 'download', 'run', 'fit', 'export'] as const;
/** One of {@link DATASET_COMMANDS}. @example `const c: DatasetCommand = 'info'` */
export type DatasetCommand = (typeof DATASET_COMMANDS)[number];

/**
 * A command-line flag that only some datasets accept (`deepstrf run synthetic --seed 2`). The
 * CLI parses it and hands the value to the entry as `options[option]`; on any other dataset, or
 * with another command, the flag is a usage error.
 * @example
 * ```ts
 * const seed: DatasetFlag = { name: 'seed', option: 'seed', kind: 'integer', commands: ['run', 'info'], help: 'dataset seed (default 0)' };
 * ```
 */
export interface DatasetFlag {
  /** The flag without dashes (`seed` for `--seed`). */
  readonly name: string;
  /** The options key it sets. */
  readonly option: string;
  /** `'boolean'`: no value, sets `true`; `'integer'`: a non-negative integer; `'string'`: any text. */
  readonly kind: 'boolean' | 'integer' | 'string';
  /** The commands that accept it. */
  readonly commands: readonly DatasetCommand[];
  /** One line for `deepstrf --help`. */
  readonly help: string;
  /** What the value is called in the help (`NAME`); default `N` for integers, `VALUE` for text. */
  readonly metavar?: string;
}

/**
 * How `deepstrf run <name>` and `deepstrf fit <name>` use a dataset: extra options for `load` and the
 * population it selects, both from the options the dataset's flags set.
 * @example
 * ```ts
 * const job: MainJobPlan = { load: { singleUnitsOnly: true } };
 * ```
 */
export interface MainJobPlan {
  /** Options added to `load()`. */
  readonly load: Readonly<Record<string, unknown>>;
  /** Keep the neurons whose `nrnMeta[attr] === value`; every neuron when absent. */
  readonly population?: readonly [attr: string, value: unknown];
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
  /** Flags of this dataset's own (besides the CLI's common ones); none when absent. */
  readonly flags?: readonly DatasetFlag[];
  /** The download manifest, `null` for generated data; `options` also holds the values of `flags`. */
  manifest(options: ManifestOptions & Record<string, unknown>): DatasetManifest | null;
  /** Builds the dataset (`X.load(options)`). */
  load(options: ZooLoadOptions & Record<string, unknown>): Promise<NeuralDataset>;
  /**
   * What is in `path` (`null` for generated data), checked against the release; `options` also
   * holds the values of `flags`. `verify` hashes every file instead of checking sizes. Default
   * (src/zoo/describe-folder.ts): the folder checked against the manifest's files.
   */
  describe?(path: string | null, options: { verify: boolean } & Record<string, unknown>): Promise<DatasetDescription>;
  /**
   * A download flow of the dataset's own (an account, an API look-up, per-site archives), used by
   * `deepstrf download` instead of fetching `manifest`. Resolves to one line saying what was done.
   */
  download?(path: string, options: EntryDownloadOptions): Promise<string>;
  /** The main job's plan (`deepstrf run`); default: plain `load`, every neuron. */
  mainJob?(options: Readonly<Record<string, unknown>>): MainJobPlan;
}
