/**
 * `deepstrf export <dataset> --format zarr --out DIR`: loads the dataset (with its flags' options)
 * and writes it as a Zarr v3 store (src/zarr/export.ts, docs/zarr-layout.md), with the download
 * command's progress bar on stderr. Re-running the same command resumes an interrupted export.
 * @module
 */
import { resolve } from 'node:path';
import { platform } from '#platform';
import { exportZarr } from '../zarr/export.js';
import type { DatasetEntry } from '../zoo/registry.js';
import { UsageError, type CheckedFlags } from './flags.js';
import { ProgressBar, megabytes, type ProgressSink } from './progress.js';

/** The formats `--format` accepts. */
const FORMATS = ['zarr'] as const;

/**
 * Checks the export flags (before anything is loaded): `--out` is required, `--format` is `zarr`.
 * @throws UsageError naming the flag.
 * @example
 * ```ts
 * exportSettings(flags).out; // '/abs/path/ns1.zarr'
 * ```
 */
export function exportSettings(flags: CheckedFlags): { format: (typeof FORMATS)[number]; out: string } {
  const format = (flags.common.get('format') as string | undefined) ?? 'zarr';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
  const out = flags.common.get('out') as string | undefined;
  if (out === undefined) throw new UsageError('export: --out DIR is required (the folder the store is written to)');
  return { format: format as 'zarr', out: resolve(out) };
}

/**
 * Runs `deepstrf export`; returns the exit code.
 * @example
 * ```ts
 * await exportCommand(getDataset('synthetic'), null, checkFlags(line, 'export', entry), { stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function exportCommand(
  entry: DatasetEntry,
  path: string | null,
  flags: CheckedFlags,
  io: { stdout: { write(text: string): unknown }; stderr: ProgressSink; signal?: AbortSignal },
): Promise<number> {
  const { out } = exportSettings(flags);
  const t0 = platform.now();
  const ds = await entry.load({ ...flags.options, ...(path === null ? {} : { path }), signal: io.signal });
  io.signal?.throwIfAborted();
  const quiet = flags.common.has('quiet');
  const bar = new ProgressBar(io.stderr, `${entry.name} → ${out}`, () => platform.now(), 'chunk');
  try {
    const r = await exportZarr(ds, out, {
      provenance: { dataset: entry.name, options: { ...flags.options } },
      signal: io.signal,
      onProgress: quiet
        ? undefined
        : (p) => bar.update({ fileIndex: p.chunk - 1, fileCount: p.chunks, overallLoaded: p.bytesDone, overallTotal: p.bytesTotal, file: out, loaded: p.bytesDone, total: p.bytesTotal, bytesPerSecond: 0 }),
    });
    bar.finish();
    const secs = ((platform.now() - t0) / 1000).toFixed(1);
    io.stdout.write(
      `${entry.name}: ${r.S} stimuli × ${r.N} neurons exported as Zarr v3 → ${r.root} ` +
        `(${r.chunksWritten} chunk(s) written, ${r.chunksSkipped} already there, ${megabytes(r.bytes)} MB, ${secs} s)\n`,
    );
    return 0;
  } finally {
    bar.finish();
    ds.dispose();
  }
}
