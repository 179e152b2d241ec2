// bench/zarr.bench.ts in a reduced size (0.05 GB, a 4 MiB cache so that cells are evicted and
// fetched again, one round of epochs), as `npm run bench -- zarr` runs it, in a child process:
// it must finish, every batch of every epoch (in memory, lazy from the folder and over HTTP with and
// without latency, with 0 and 2 loader workers, each epoch in its own process) must equal the batch
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
      const r = await runBench({ DEEPSTRF_BENCH_ZARR_GB: '0.05', DEEPSTRF_BENCH_ZARR_CACHE_MB: '4', DEEPSTRF_BENCH_ZARR_ROUNDS: '1', DEEPSTRF_BENCH_ZARR_DIR: join(dir, 'store') });
      expect(r.err.replace(/ {2}export \d+ %.*\n/g, '')).toBe('');
      expect(r.code).toBe(0);
      const line = r.out.split('\n').find((l) => l.startsWith('ZARR_BENCH_RESULT '));
      expect(line).toBeDefined();
      const res = JSON.parse(line!.slice('ZARR_BENCH_RESULT '.length)) as {
        datasetBytes: number; cacheBytes: number; exact: boolean; covered: boolean; epochs: number; peakRss: number;
        latency: Record<'w0' | 'w2', { requests: number; requests0: number; ms0: number[]; ms20: number[] }>;
      };
      expect(res.datasetBytes).toBeGreaterThan(0.04e9);
      expect(res.cacheBytes).toBe(4 * 2 ** 20);
      expect(res.exact).toBe(true);
      expect(res.covered).toBe(true);
      // One round: per worker count (0, 2), an in-memory process of 3 epochs, one from the folder,
      // two over HTTP: 12 epochs checked.
      expect(res.epochs).toBe(12);
      for (const w of ['w0', 'w2'] as const) {
        expect(res.latency[w].requests).toBeGreaterThan(0);
        expect(res.latency[w].requests0).toBeGreaterThan(0);
        expect(res.latency[w].ms0).toHaveLength(1);
        expect(res.latency[w].ms20).toHaveLength(1);
      }
      // Generous: Node + tsx + the wasm heap + a 4 MiB cache; the whole store is 50 MB.
      expect(res.peakRss).toBeLessThan(1024 * 2 ** 20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
