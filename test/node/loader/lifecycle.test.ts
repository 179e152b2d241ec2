// Worker lifecycle in Node: a process that uses the loader exits on its own (checked in a child
// process with a deadline), and a worker that dies gives an error, never a hang.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DataLoader, DataLoaderWorkerError, SyntheticDataset } from '../../../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/one-batch.mts', import.meta.url));

/** Runs the child; resolves with its exit code and output, or 'timeout' after `ms` (then kills it). */
function runChild(mode: string, ms: number): Promise<{ code: number | 'timeout'; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, mode], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'timeout', out, err });
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out, err });
    });
  });
}

describe('DataLoader lifecycle (Node)', () => {
  it('a process that takes one batch and breaks exits on its own, workers terminated', async () => {
    const r = await runChild('break', 40_000);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('batch 2x1x16x'); // stims (B, 1, F, T)
    expect(r.out).toContain('workers 0');
  });

  it('a process that finishes an epoch without close() exits: idle workers do not hold it', async () => {
    const r = await runChild('epoch', 40_000);
    expect(r.code).toBe(0);
    expect(r.out).toContain('batches 6');
    expect(r.out).toContain('workers 2'); // still alive, yet the process ends
  });

  it('a process that abandons an iterator mid-epoch exits once the prefetched batches land', async () => {
    const r = await runChild('abandon', 40_000);
    expect(r.code).toBe(0);
    expect(r.out).toContain('first ok');
  });

  it('a worker that dies (process.exit in a transform) rejects the iteration, no hang', async () => {
    const ds = new SyntheticDataset({ seed: 1, nNeurons: 8, nStims: 12, bins: [20, 30] });
    const loader = new DataLoader(ds, {
      batchSize: 2, numWorkers: 2, transform: { url: new URL('./fixtures/exit-transform.ts', import.meta.url) },
    });
    const outcome = await Promise.race([
      (async () => {
        try {
          for await (const _ of loader) { /* consume */ }
          return new Error('the epoch finished although a worker died');
        } catch (e) {
          return e as Error;
        }
      })(),
      new Promise<Error>((resolve) => setTimeout(() => resolve(new Error('hang: no error within 30 s')), 30_000)),
    ]);
    expect(outcome).toBeInstanceOf(DataLoaderWorkerError);
    expect(outcome.message).toMatch(/DataLoader worker \d died during batch 1: worker deepstrf-collate-\d exited with code 3/);
    expect(loader.stats.liveWorkers).toBe(0);
  });
});
