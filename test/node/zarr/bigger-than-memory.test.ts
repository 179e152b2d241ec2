// bench/zarr.bench.ts in a reduced size (0.05 GB, a 4 MiB cache so that cells are evicted and
// fetched again), as `npm run bench -- zarr` runs it, in a child process: it must finish, every
// batch of every lazy epoch (folder and HTTP, with and without latency, with 0 and 2 loader
// workers) and of the in-memory epochs must equal the batch
// regenerated from the generator's formula, every epoch must hold every stimulus once, and the
// peak RSS must stay under a generous bound. No timing is asserted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function runBench(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'bench/zarr.bench.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('bench/zarr.bench.ts, reduced size', () => {
  it('gives exact batches from the lazy store, every stimulus once per epoch, RSS bounded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zarr-bench-'));
    try {
      const r = await runBench({ DEEPSTRF_BENCH_ZARR_GB: '0.05', DEEPSTRF_BENCH_ZARR_CACHE_MB: '4', DEEPSTRF_BENCH_ZARR_DIR: join(dir, 'store') });
      expect(r.err.replace(/ {2}export \d+ %.*\n/g, '')).toBe('');
      expect(r.code).toBe(0);
      const line = r.out.split('\n').find((l) => l.startsWith('ZARR_BENCH_RESULT '));
      expect(line).toBeDefined();
      const res = JSON.parse(line!.slice('ZARR_BENCH_RESULT '.length)) as {
        stims: number; datasetBytes: number; cacheBytes: number; exact: boolean; covered: boolean; requests: { http0: number; http20: number }; peakRss: number;
        batchesPerSecond: { folderWorkers: number };
      };
      expect(res.datasetBytes).toBeGreaterThan(0.04e9);
      expect(res.cacheBytes).toBe(4 * 2 ** 20);
      expect(res.exact).toBe(true);
      expect(res.covered).toBe(true);
      expect(res.requests.http0).toBeGreaterThan(0);
      expect(res.requests.http20).toBeGreaterThan(0);
      expect(res.batchesPerSecond.folderWorkers).toBeGreaterThan(0); // the 2-worker lazy epochs ran (their batches are in `exact`)
      // Generous: Node + tsx + the wasm heap + a 4 MiB cache; the whole store is 50 MB.
      expect(res.peakRss).toBeLessThan(1024 * 2 ** 20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
