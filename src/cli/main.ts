/**
 * The `deepstrf` command (built to `dist/cli.js`, launched by `bin/deepstrf.mjs`):
 *   deepstrf info <dataset> [--path DIR] [--verify] [--json]
 *   deepstrf download <dataset> [--path DIR] [--mirror URL] [--quiet]
 *   deepstrf run <dataset> [--path DIR] [--batch-size B] [--epochs E]
 *   deepstrf fit <dataset> [--path DIR] [--lags L] [--lambdas A,B,C] [--folds K] [--min-snr X] [--out DIR]
 *   deepstrf export <dataset> --format zarr --out DIR [--path DIR] [--quiet]
 *   deepstrf --help | --version
 * plus each dataset's own flags; every dataset of the registry (src/zoo/catalog.ts) is accepted.
 * Exit codes: 0 success, 1 failure (message on stderr; `info` on an incomplete folder),
 * 2 usage error, 130 interrupted (Ctrl-C).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platform } from '#platform';
import { downloadDataset } from '../download/download.js';
import { defaultCacheDir } from '../download/cache.js';
import { getDataset, listDatasets } from '../zoo/catalog.js';
import { ValueError } from '../errors.js';
import type { DatasetEntry, DatasetFlag } from '../zoo/registry.js';
import { describeDataset } from '../zoo/describe-folder.js';
import { runEpoch } from '../jobs/epoch.js';
import { fitCommand, fitSettings } from './fit.js';
import { exportCommand, exportSettings } from './export.js';
import { ProgressBar, megabytes, type ProgressSink } from './progress.js';
import { COMMANDS, COMMON_FLAGS, UsageError, checkFlags, parseCommandLine, type CheckedFlags, type Command } from './flags.js';

/**
 * Where the CLI writes and what it reads (injectable for tests).
 * @example
 * ```ts
 * const io: CliIO = { stdout: process.stdout, stderr: process.stderr, signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  /** Aborting it interrupts the command: exit code 130 (`runCliProcess` wires SIGINT to it). */
  signal?: AbortSignal;
}

/** The package's version, from the `package.json` above this module (sources or dist). */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'deepstrf' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown (package.json not found)';
  }
}

function usage(): string {
  const entries = listDatasets();
  const line = (flag: string, help: string) => `  ${flag.padEnd(20)} ${help}`;
  const flagText = (f: Omit<DatasetFlag, 'option'>) => `--${f.name}${f.kind === 'boolean' ? '' : ` ${f.metavar ?? (f.kind === 'integer' ? 'N' : 'VALUE')}`}`;
  // Each dataset flag says whose it is ("nat4: …"), whether or not its help already does.
  const own = entries.flatMap((e) => (e.flags ?? []).map((f) => ({ ...f, help: f.help.startsWith(`${e.name}:`) ? f.help : `${e.name}: ${f.help}` })));
  const nameWidth = Math.max(...entries.map((e) => e.name.length)) + 1;
  return `usage:
  deepstrf info <dataset> [--path DIR] [--verify] [--json]
  deepstrf download <dataset> [--path DIR] [--mirror URL] [--quiet]
  deepstrf run <dataset> [--path DIR] [--batch-size B] [--epochs E]
  deepstrf fit <dataset> [--path DIR] [--lags L] [--lambdas A,B,C] [--folds K] [--min-snr X] [--out DIR]
  deepstrf export <dataset> --format zarr --out DIR [--path DIR] [--quiet]
  deepstrf --help | --version
Dataset options (below) apply to the datasets and commands they name.

options:
${COMMON_FLAGS.map((f) => line(flagText(f), f.help)).join('\n')}
${own.map((f) => line(flagText(f), `${f.help} [${f.commands.join(', ')}]`)).join('\n')}

datasets:
${entries.map((e) => `  ${e.name.padEnd(nameWidth)} ${e.description}`).join('\n')}
`;
}

const isHttpUrl = (s: string) => {
  try {
    return /^https?:$/.test(new URL(s).protocol);
  } catch {
    return false;
  }
};

const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code.
 * @example
 * ```ts
 * import { main } from './dist/cli.js';
 * process.exitCode = await main(['info', 'ns1']);
 * ```
 */
export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const entries = listDatasets();
  let entry: DatasetEntry;
  let command: Command;
  let flags: CheckedFlags;
  try {
    const line = parseCommandLine(argv, entries);
    if (line.flags.has('version')) {
      io.stdout.write(`deepstrf ${packageVersion()}\n`);
      return 0;
    }
    if (line.flags.has('help') || line.command === 'help' || line.command === '') {
      io.stdout.write(usage());
      return line.command === '' && !line.flags.has('help') ? 2 : 0;
    }
    if (!COMMANDS.includes(line.command as Command)) throw new UsageError(`unknown command "${line.command}" (${COMMANDS.join(', ')})`);
    command = line.command as Command;
    if (!line.dataset) throw new UsageError(`${command}: which dataset? (${entries.map((e) => e.name).join(', ')})`);
    try {
      entry = getDataset(line.dataset);
    } catch (e) {
      throw e instanceof ValueError ? new UsageError(e.message) : e;
    }
    flags = checkFlags(line, command, entry);
    if (command === 'fit') fitSettings(flags, entry.name); // its flags' values, checked before any load
    if (command === 'export') exportSettings(flags);
    const mirror = flags.common.get('mirror');
    if (typeof mirror === 'string' && !isHttpUrl(mirror)) {
      throw new UsageError(`--mirror must be an http:// or https:// URL, got "${mirror}"`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`deepstrf: ${e.message}\n(\`deepstrf --help\` lists the commands, options and datasets)\n`);
    return 2;
  }
  const path = (flags.common.get('path') as string | undefined) ?? (entry.cacheFolder === null ? null : defaultCacheDir(entry.cacheFolder));
  try {
    if (command === 'info') return await info(entry, path, flags, io);
    if (command === 'download') return await download(entry, path as string, flags, io);
    if (command === 'fit') return await fitCommand(entry, path, flags, io);
    if (command === 'export') return await exportCommand(entry, path, flags, io);
    return await run(entry, path, flags, io);
  } catch (e) {
    if (io.signal?.aborted) {
      io.stderr.write(`deepstrf: interrupted${command === 'download' ? '; partial files are kept and the next download resumes them' : ''}\n`);
      return 130;
    }
    io.stderr.write(`deepstrf: ${errorText(e)}\n`);
    return 1;
  }
}

/** `deepstrf info <name>`: what the folder holds; exit 1 when it is incomplete or damaged. */
async function info(entry: DatasetEntry, path: string | null, flags: CheckedFlags, io: CliIO): Promise<number> {
  const d = await describeDataset(entry, path, { ...flags.options, verify: flags.common.has('verify') });
  if (flags.common.has('json')) io.stdout.write(`${JSON.stringify(d.data, null, 2)}\n`);
  else {
    const w = Math.max(...d.rows.map(([k]) => k.length));
    io.stdout.write(`${entry.cacheFolder ?? entry.name}\n${d.rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`);
  }
  if (!d.complete) io.stderr.write(`deepstrf: ${path}: the ${entry.name} folder is incomplete or damaged (see above); \`deepstrf download ${entry.name}\` completes it\n`);
  return d.complete ? 0 : 1;
}

/** `deepstrf download <name>`: fetches what is missing, with progress on stderr. */
async function download(entry: DatasetEntry, path: string, flags: CheckedFlags, io: CliIO): Promise<number> {
  const mirror = flags.common.get('mirror') as string | undefined;
  const manifest = entry.download ? null : entry.manifest({ ...flags.options, mirror });
  if (entry.download) {
    const label = entry.cacheFolder ?? entry.name;
    const bar = new ProgressBar(io.stderr, label, () => platform.now());
    try {
      const quiet = flags.common.has('quiet');
      const line = await entry.download(path, { ...flags.options, mirror, signal: io.signal, onProgress: quiet ? undefined : (p) => bar.update(p) });
      bar.finish();
      io.stderr.write(`${label}: ${line}\n`);
      return 0;
    } finally {
      bar.finish();
    }
  }
  if (!manifest) {
    io.stderr.write(`${entry.name}: generated in memory; nothing to download\n`);
    return 0;
  }
  const label = entry.cacheFolder ?? entry.name;
  const quiet = flags.common.has('quiet');
  const bar = new ProgressBar(io.stderr, label, () => platform.now());
  const t0 = platform.now();
  if (!quiet) io.stderr.write(`${label}: checking ${path}\n`);
  try {
    const r = await downloadDataset(manifest, { root: path, signal: io.signal, onProgress: quiet ? undefined : (p) => bar.update(p) });
    const secs = ((platform.now() - t0) / 1000).toFixed(1);
    const extracted = r.extracted.length ? `, ${r.extracted.length} extracted` : '';
    bar.finish();
    io.stderr.write(
      `${label}: ${r.downloaded.length} file(s) downloaded (${megabytes(r.bytesReceived)} MB)${extracted}, ` +
        `${r.skipped.length} already present, in ${secs} s → ${r.root}\n`,
    );
    return 0;
  } finally {
    bar.finish();
  }
}

/** `deepstrf run <name>`: the main job (src/jobs/epoch.ts) on the dataset. */
async function run(entry: DatasetEntry, path: string | null, flags: CheckedFlags, io: CliIO): Promise<number> {
  const plan = entry.mainJob?.(flags.options) ?? { load: {} };
  const batchSize = (flags.common.get('batch-size') as number | undefined) ?? 8;
  const epochs = (flags.common.get('epochs') as number | undefined) ?? 1;
  const write = (line: string) => io.stdout.write(`${line}\n`);
  const t0 = platform.now();
  const ds = await entry.load({ ...plan.load, ...(path === null ? {} : { path }), signal: io.signal });
  io.signal?.throwIfAborted();
  write(`deepstrf main job: ${epochs === 1 ? 'one epoch' : `${epochs} epochs`} of ${entry.className} (${ds.path}) built in ${(platform.now() - t0).toFixed(0)} ms, collated by the wasm kernels in 2 loader worker threads`);
  const s = await runEpoch(ds, { batchSize, epochs, numWorkers: 2, population: plan.population, write, signal: io.signal });
  if (s.batches === 0) {
    const sel = plan.population ? ` (${plan.population[0]} = ${JSON.stringify(plan.population[1])})` : '';
    io.stderr.write(`deepstrf: no batch: the selection${sel} matches no neuron with data\n`);
    return 1;
  }
  return 0;
}

/**
 * The process around {@link main}: argv from `process.argv`, the exit code into
 * `process.exitCode`, and the first Ctrl-C (SIGINT) aborting the command (workers terminated,
 * exit 130); a second Ctrl-C, or a command still running 5 s after the first, ends the process.
 * @example
 * ```ts
 * // bin/deepstrf.mjs
 * import { runCliProcess } from '../dist/cli.js';
 * await runCliProcess();
 * ```
 */
export async function runCliProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
    interrupt.abort();
    setTimeout(() => process.exit(130), 5000).unref();
  });
  process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, signal: interrupt.signal });
}
