// One loader's epochs measured alone: bench/zarr/solo-epoch.ts in its own Node process (nothing
// else on its event loop or in its heap; a cold cache), started by bench/zarr.bench.ts, which
// waits idle meanwhile. The child answers with one line, `SOLO_RESULT {json}`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BigSpec } from './big-dataset.js';
import type { EpochRun } from './measure.js';

export interface SoloArgs {
  spec: BigSpec;
  /** The store's folder or URL; null: in memory, the generator's first `memStims` stimuli. */
  where: string | null;
  memStims: number;
  numWorkers: number;
  /** Epochs of the one loader (each is returned). */
  epochs: number;
  cacheBytes: number;
  concurrency: number;
  batchSize: number;
  prefetchFactor: number;
  seed: number;
}

export interface SoloResult {
  runs: EpochRun[];
  /** RSS after the warm-up, before the dataset was opened (or built). */
  rssBefore: number;
  /** Peak RSS during the epochs (the loader's workers are threads of the child: included). */
  peakRss: number;
}

export const SOLO_TAG = 'SOLO_RESULT ';
const main = fileURLToPath(new URL('./solo-epoch.ts', import.meta.url));

/** Runs `args` in a fresh child process; rejects if it fails. */
export function solo(args: SoloArgs): Promise<SoloResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', main, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(SOLO_TAG));
      if (code !== 0 || !line) reject(new Error(`solo epoch (${args.where ?? 'memory'}, ${args.numWorkers} workers) failed: ${code ?? signal}\n${out}`));
      else resolve(JSON.parse(line.slice(SOLO_TAG.length)) as SoloResult);
    });
  });
}
