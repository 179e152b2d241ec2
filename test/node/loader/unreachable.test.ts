// Workers of a loader nobody can reach end: 50 loaders run an epoch each and are dropped
// without close(). With workers kept idle forever, garbage collection of the loader ends them
// (FinalizationRegistry); with a short idle timeout, they end without any GC. Thread count,
// wasm held bytes and RSS come back down. Each case runs in a child process (--expose-gc).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/unreachable.mts', import.meta.url));
const linux = existsSync('/proc/self/status');
if (!linux) console.warn('SKIPPED unreachable-loader tests: thread counts are read from /proc/self/status (Linux only)');

interface Report { base: { threads: number; rss: number; held: number }; peakThreads: number; peakRss: number; end: { threads: number; rss: number; held: number } }

function run(mode: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, mode], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() as string) as Report);
    });
  });
}

const MiB = 2 ** 20;

describe.skipIf(!linux)('unreachable loaders end their workers', () => {
  for (const mode of ['gc', 'idle']) {
    it(`${mode === 'gc' ? 'garbage collection (FinalizationRegistry)' : 'the idle timeout'}: threads, held bytes and RSS come back down`, { timeout: 180_000 }, async () => {
      const r = await run(mode);
      console.log(`unreachable loaders (${mode}): threads ${r.base.threads} → peak ${r.peakThreads} → ${r.end.threads}; ` +
        `RSS ${(r.base.rss / MiB).toFixed(0)} → peak ${(r.peakRss / MiB).toFixed(0)} → ${(r.end.rss / MiB).toFixed(0)} MiB; held ${r.base.held} → ${r.end.held}`);
      // Some workers ran at some point (the test would pass trivially otherwise)…
      expect(r.peakThreads).toBeGreaterThanOrEqual(r.base.threads + 2);
      // …and every one of them has ended: back to the baseline (2 threads of slack for V8's own helpers).
      expect(r.end.threads).toBeLessThanOrEqual(r.base.threads + 2);
      // Their scratch is back in the heap.
      expect(r.end.held).toBe(r.base.held);
      // RSS: a worker costs ~10–20 MiB; 100 of them alive would add >1 GiB. Allow 128 MiB of
      // allocator and V8 heap growth that the OS does not take back.
      expect(r.end.rss - r.base.rss).toBeLessThan(128 * MiB);
    });
  }
});
