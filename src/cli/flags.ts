/**
 * The CLI's command line: the common flags of each command, the datasets' own flags (from the
 * registry), parsing, and the rule that a flag which does not apply to the command or the
 * dataset is a usage error naming it.
 * @module
 */
import { DATASET_COMMANDS, type DatasetCommand, type DatasetEntry, type DatasetFlag } from '../zoo/registry.js';

/** The commands that take a dataset. @example `const c: Command = 'info'` */
export type Command = DatasetCommand;
/** The commands, in help order. @example `COMMANDS.includes('run')` */
export const COMMANDS: readonly Command[] = DATASET_COMMANDS;

/** A wrong command line: printed with the usage, exit code 2. @example `throw new UsageError('--path needs a value')` */
export class UsageError extends Error {}

/** A flag every dataset of a command accepts (`folder`: only datasets that have a folder). */
interface CommonFlag extends Omit<DatasetFlag, 'option'> {
  readonly folder?: boolean;
  /** Smallest value of an integer flag. */
  readonly min?: number;
}

/**
 * The common flags, by name.
 * @example `COMMON_FLAGS.find((f) => f.name === 'path')!.commands // ['info', 'download', 'run']`
 */
export const COMMON_FLAGS: readonly CommonFlag[] = [
  { name: 'path', kind: 'string', metavar: 'DIR', commands: ['info', 'download', 'run', 'fit', 'export'], folder: true, help: 'dataset folder (default: $DEEPSTRF_DATA_DIR/<folder>, else the user cache folder)' },
  { name: 'verify', kind: 'boolean', commands: ['info'], folder: true, help: 'info: check the SHA-256 of every file, not only sizes' },
  { name: 'json', kind: 'boolean', commands: ['info'], help: 'info: print JSON' },
  { name: 'mirror', kind: 'string', metavar: 'URL', commands: ['download'], folder: true, help: 'download: an http(s) mirror holding the release under its relative paths (NS1: also $DEEPSTRF_NS1_MIRROR)' },
  { name: 'quiet', kind: 'boolean', commands: ['download', 'export'], help: 'download, export: no progress display' },
  { name: 'batch-size', kind: 'integer', min: 1, commands: ['run'], help: 'run: items per batch (default 8)' },
  { name: 'epochs', kind: 'integer', min: 1, commands: ['run'], help: 'run: epochs to iterate (default 1)' },
  { name: 'lags', kind: 'integer', min: 1, commands: ['fit'], help: 'fit: STRF length in bins (default 20)' },
  { name: 'lambdas', kind: 'string', metavar: 'A,B,C', commands: ['fit'], help: 'fit: λ path as multiples of trace(XᵀX)/D (default 1e-2,1e-1,…,1e6)' },
  { name: 'folds', kind: 'integer', min: 2, commands: ['fit'], help: 'fit: cross-validation folds over the training stimuli (default 5)' },
  { name: 'workers', kind: 'integer', min: 0, commands: ['fit'], help: 'fit: worker threads scoring the cross-validation folds (default 0: the main thread; same result for any count)' },
  { name: 'min-snr', kind: 'string', metavar: 'X', commands: ['fit'], help: 'fit: keep only neurons with SNR ≥ X (over all stimuli)' },
  { name: 'out', kind: 'string', metavar: 'DIR', commands: ['fit', 'export'], help: 'fit: where report.html, model.json and model.onnx go (default ./deepstrf-fit-<dataset>); export: the store folder (required)' },
  { name: 'format', kind: 'string', metavar: 'FMT', commands: ['export'], help: 'export: the output format (zarr, a Zarr v3 store; docs/zarr-layout.md)' },
];

/**
 * A parsed command line.
 * @example
 * ```ts
 * const line: CommandLine = { command: 'run', dataset: 'synthetic', flags: new Map([['seed', '2']]) };
 * ```
 */
export interface CommandLine {
  /** `''` when none was given. */
  readonly command: string;
  /** `''` when none was given. */
  readonly dataset: string;
  /** Raw values (`true` for boolean flags), by flag name. */
  readonly flags: ReadonlyMap<string, string | true>;
}

/** Every flag name known to some command or dataset, with its kind. */
function flagKinds(entries: readonly DatasetEntry[]): Map<string, DatasetFlag['kind']> {
  const kinds = new Map<string, DatasetFlag['kind']>([['help', 'boolean'], ['version', 'boolean']]);
  for (const f of [...COMMON_FLAGS, ...entries.flatMap((e) => e.flags ?? [])]) kinds.set(f.name, f.kind);
  return kinds;
}

/**
 * Splits `argv` into command, dataset and flags (`--name value`, `--name=value`, `--`).
 * @throws UsageError on an unknown flag, a missing value or an extra argument.
 * @example
 * ```ts
 * parseCommandLine(['run', 'synthetic', '--seed=2'], listDatasets()).flags.get('seed'); // '2'
 * ```
 */
export function parseCommandLine(argv: readonly string[], entries: readonly DatasetEntry[]): CommandLine {
  const kinds = flagKinds(entries);
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = kinds.get(name);
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else {
      const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (v === undefined || v === '' || (eq < 0 && v.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    }
  }
  const [command = '', dataset = '', ...extra] = positional;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  return { command, dataset, flags };
}

/** An integer flag's value. */
function integer(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`--${name} must be ${min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`}, got "${raw}"`);
  }
  return n;
}

/**
 * What a command may use, once every flag is checked against the command and the dataset.
 * @example
 * ```ts
 * const f: CheckedFlags = { common: new Map([['batch-size', 4]]), options: { seed: 2 } };
 * ```
 */
export interface CheckedFlags {
  /** Common flags, typed (integers as numbers). */
  readonly common: ReadonlyMap<string, string | number | true>;
  /** The dataset's own flags, as the options they set (`{ seed: 2 }`). */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Checks each flag against `command` and `entry`; a flag that does not apply is a usage error
 * naming it (`run ns1: --area does not apply to ns1`).
 * @example
 * ```ts
 * checkFlags(parseCommandLine(['run', 'synthetic', '--seed', '2'], all), 'run', synthEntry).options; // { seed: 2 }
 * ```
 */
export function checkFlags(line: CommandLine, command: Command, entry: DatasetEntry): CheckedFlags {
  const common = new Map<string, string | number | true>();
  const options: Record<string, unknown> = {};
  for (const [name, raw] of line.flags) {
    const c = COMMON_FLAGS.find((f) => f.name === name && f.commands.includes(command));
    const d = (entry.flags ?? []).find((f) => f.name === name && f.commands.includes(command));
    if (c && !(c.folder && entry.cacheFolder === null)) {
      common.set(name, c.kind === 'integer' ? integer(name, raw as string, c.min ?? 0) : raw);
    } else if (d) {
      options[d.option] = d.kind === 'integer' ? integer(name, raw as string, 0) : raw;
    } else {
      const elsewhere = [...COMMON_FLAGS, ...(entry.flags ?? [])].some((f) => f.name === name);
      const why = c ? `${entry.name} is generated in memory (no folder, no download)`
        : elsewhere ? `${command} has no such option` : `it does not apply to ${entry.name}`;
      throw new UsageError(`${command} ${entry.name}: --${name} is not accepted: ${why}`);
    }
  }
  return { common, options };
}
