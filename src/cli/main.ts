/**
 * The `deepstrf` command (built to `dist/cli.js`, launched by `bin/deepstrf.mjs`):
 *   deepstrf download <dataset> [--path DIR] [--mirror URL] [--no-spectrogram] [--quiet]
 *   deepstrf info <dataset> [--path DIR] [--verify] [--json]
 *   deepstrf run synthetic [--seed N] [--batch-size B] [--area NAME]
 *   deepstrf run ns1 [--path DIR] [--batch-size B]
 * Exit codes: 0 success, 1 failure (message on stderr), 2 usage error, 130 interrupted.
 * @module
 */
import { platform } from '#platform';
import { downloadDataset } from '../download/download.js';
import { defaultCacheDir } from '../download/cache.js';
import { CLI_DATASETS } from './datasets.js';
import { ProgressBar, megabytes, type ProgressSink } from './progress.js';
import { SyntheticDataset } from '../zoo/synthetic.js';
import { runEpoch } from '../jobs/epoch.js';
import { NS1Dataset } from '../zoo/ns1.js';

/** Where the CLI writes and what it reads (injectable for tests). */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: ProgressSink;
  /** Aborts a running download (the launcher wires SIGINT to it). */
  signal?: AbortSignal;
}

const USAGE = `usage:
  deepstrf download <dataset> [--path DIR] [--mirror URL] [--no-spectrogram] [--quiet]
  deepstrf info <dataset> [--path DIR] [--verify] [--json]
  deepstrf run synthetic [--seed N] [--batch-size B] [--area NAME]
  deepstrf run ns1 [--path DIR] [--batch-size B]
  deepstrf --help

  --path DIR        dataset folder (default: $DEEPSTRF_DATA_DIR/<name>, else the user cache folder)
  --mirror URL      fetch from a mirror holding the release under its relative paths
                    (NS1: also $DEEPSTRF_NS1_MIRROR); default: the authors' public hosts
  --no-spectrogram  NS1: skip the DNet spectrogram file (waveform mode only)
  --quiet           no progress display
  --verify          info: check SHA-256 of every file, not only sizes
  --json            info: print JSON
  --seed N          run: dataset seed (default 0)
  --batch-size B    run: items per batch (default 8)
  --area NAME       run: select the neurons of this area (default A1; "all" for every neuron)

datasets:
${Object.entries(CLI_DATASETS).map(([k, d]) => `  ${k.padEnd(8)} ${d.title}`).join('\n')}
`;

class UsageError extends Error {}

interface Parsed {
  command: string;
  dataset: string;
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['path', 'mirror', 'seed', 'batch-size', 'area']);
const BOOL_FLAGS: Record<string, Set<string>> = {
  download: new Set(['no-spectrogram', 'quiet']),
  info: new Set(['verify', 'json']),
  run: new Set([]),
};
const RUN_FLAGS = new Set(['seed', 'batch-size', 'area']);

function parse(argv: readonly string[]): Parsed {
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
    if (VALUE_FLAGS.has(name)) {
      const v = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (v === undefined || v === '') throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    } else if (eq < 0) flags.set(name, true);
    else throw new UsageError(`--${name} takes no value`);
  }
  const [command = '', dataset = '', ...extra] = positional;
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
  return { command, dataset, flags };
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code.
 * @example
 * ```ts
 * import { main } from './dist/cli.js';
 * process.exitCode = await main(['info', 'ns1']);
 * ```
 */
export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
    if (parsed.flags.has('help') || parsed.command === 'help' || parsed.command === '') {
      io.stdout.write(USAGE);
      return parsed.command === '' && !parsed.flags.has('help') ? 2 : 0;
    }
    if (!(parsed.command in BOOL_FLAGS)) throw new UsageError(`unknown command "${parsed.command}"`);
    if (!parsed.dataset) throw new UsageError(`${parsed.command}: which dataset? (${Object.keys(CLI_DATASETS).join(', ')})`);
    const inapplicable = (f: string) => RUN_FLAGS.has(f) !== (parsed.command === 'run'); // seed/batch-size/area belong to run; mirror to download/info
    const allowed = new Set([...[...VALUE_FLAGS].filter((f) => !inapplicable(f) || f === 'path'), ...BOOL_FLAGS[parsed.command]]);
    for (const f of parsed.flags.keys()) if (!allowed.has(f)) throw new UsageError(`${parsed.command}: unknown option --${f}`);
    if (parsed.command === 'info' && parsed.flags.has('mirror')) throw new UsageError('info: unknown option --mirror');
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`deepstrf: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.command === 'run') return runJob(parsed, io);
  const ds = CLI_DATASETS[parsed.dataset.toLowerCase()];
  if (!ds) {
    io.stderr.write(`deepstrf: unknown dataset "${parsed.dataset}" (known: ${Object.keys(CLI_DATASETS).join(', ')})\n`);
    return 2;
  }
  const path = (parsed.flags.get('path') as string | undefined) ?? defaultCacheDir(ds.cacheName);
  const bar = new ProgressBar(io.stderr, ds.cacheName, () => platform.now());
  try {
    if (parsed.command === 'info') {
      const d = await ds.describe(path, { verify: parsed.flags.has('verify') });
      if (parsed.flags.has('json')) io.stdout.write(`${JSON.stringify(d.data, null, 2)}\n`);
      else {
        const w = Math.max(...d.rows.map(([k]) => k.length));
        io.stdout.write(`${ds.cacheName}\n${d.rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n`);
      }
      return 0;
    }
    const manifest = ds.manifest({ mirror: parsed.flags.get('mirror') as string | undefined, minimal: parsed.flags.has('no-spectrogram') });
    const quiet = parsed.flags.has('quiet');
    const t0 = platform.now();
    if (!quiet) io.stderr.write(`${ds.cacheName}: checking ${path}\n`);
    const r = await downloadDataset(manifest, {
      root: path,
      signal: io.signal,
      onProgress: quiet ? undefined : (p) => bar.update(p),
    });
    bar.finish();
    const secs = ((platform.now() - t0) / 1000).toFixed(1);
    const extracted = r.extracted.length ? `, ${r.extracted.length} extracted` : '';
    io.stderr.write(
      `${ds.cacheName}: ${r.downloaded.length} file(s) downloaded (${megabytes(r.bytesReceived)} MB)${extracted}, ` +
        `${r.skipped.length} already present, in ${secs} s → ${r.root}\n`,
    );
    return 0;
  } catch (e) {
    bar.finish();
    if (io.signal?.aborted) {
      io.stderr.write(`deepstrf: interrupted; partial files are kept and the next run resumes them\n`);
      return 130;
    }
    io.stderr.write(`deepstrf: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    return 1;
  }
}

/** `deepstrf run synthetic`: the main job on the embedded default dataset. */
async function runJob(parsed: Parsed, io: CliIO): Promise<number> {
  const which = parsed.dataset.toLowerCase();
  if (which !== 'synthetic' && which !== 'ns1') {
    io.stderr.write(`deepstrf: run: unknown dataset "${parsed.dataset}" (synthetic, ns1)\n`);
    return 2;
  }
  const int = (name: string, dflt: number) => {
    const v = parsed.flags.get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < (name === 'seed' ? 0 : 1)) throw new UsageError(`--${name} must be a ${name === 'seed' ? 'non-negative' : 'positive'} integer, got "${String(v)}"`);
    return n;
  };
  let seed: number, batchSize: number;
  try {
    seed = int('seed', 0);
    batchSize = int('batch-size', 8);
  } catch (e) {
    io.stderr.write(`deepstrf: ${(e as Error).message}\n`);
    return 2;
  }
  const area = (parsed.flags.get('area') as string | undefined) ?? 'A1';
  const write = (line: string) => io.stdout.write(`${line}\n`);
  const t0 = platform.now();
  if (which === 'ns1') {
    const path = (parsed.flags.get('path') as string | undefined) ?? defaultCacheDir('NS1');
    let ns1: NS1Dataset;
    try {
      ns1 = await NS1Dataset.load({ path });
    } catch (e) {
      io.stderr.write(`deepstrf: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
      return 1;
    }
    write(`deepstrf main job: one epoch of NS1 (${path}) built in ${(platform.now() - t0).toFixed(0)} ms, collated by the wasm kernels in 2 loader worker threads`);
    await runEpoch(ns1, { batchSize, numWorkers: 2, population: ['singleUnit', true], write });
    return 0;
  }
  if (parsed.flags.has('path')) {
    io.stderr.write('deepstrf: run synthetic: --path applies to ns1 only (the synthetic dataset is embedded)\n');
    return 2;
  }
  const ds = new SyntheticDataset({ seed });
  write(`deepstrf main job: one epoch of SyntheticDataset (seed ${seed}) built in ${(platform.now() - t0).toFixed(0)} ms, collated by the wasm kernels in 2 loader worker threads`);
  const s = await runEpoch(ds, { batchSize, numWorkers: 2, population: area === 'all' ? undefined : ['area', area], write });
  if (s.batches === 0) {
    io.stderr.write(`deepstrf: no batch: the selection (area ${area}) matches no neuron with data\n`);
    return 1;
  }
  return 0;
}
