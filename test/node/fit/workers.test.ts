// `fitStrfsAsync` / `deepstrf fit --workers N`: the ridge path's folds scored in worker threads
// (workers/fit-worker.ts) give the model the calling thread gives, bit for bit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { platform } from '#platform';
import { main } from '../../../src/cli/main.js';
import { SyntheticDataset, ValueError, fitStrfs, fitStrfsAsync, type FitResult } from '../../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'deepstrf-fitworkers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let out = '', err = '';
  const code = await main(args, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } as never });
  return { code, out, err };
}

function expectSameFit(a: FitResult, b: FitResult): void {
  expect(b.model.weights).toEqual(a.model.weights);
  expect(b.model.bias).toEqual(a.model.bias);
  expect(b.model.lambda).toEqual(a.model.lambda);
  expect(b.model.neurons).toEqual(a.model.neurons);
  expect(b.cvCC).toEqual(a.cvCC);
  expect(b.scores).toEqual(a.scores);
  expect(b.medians).toEqual(a.medians);
}

describe('fitStrfsAsync with workers', () => {
  const ds = new SyntheticDataset();
  const opts = { lags: 6, folds: 4 };

  it('workers 0 and workers 2 give the model fitStrfs gives, bit for bit, with the same progress steps', async () => {
    const syncSteps: number[][] = [];
    const sync = fitStrfs(ds, { ...opts, onProgress: (s, d, t) => s === 'ridge' && syncSteps.push([d, t]) });
    expect(sync.model.weights.some(Number.isNaN)).toBe(false); // a real fit, not NaNs on both sides
    const steps: number[][] = [];
    const w0 = await fitStrfsAsync(ds, { ...opts, workers: 0 });
    const w2 = await fitStrfsAsync(ds, { ...opts, workers: 2, onProgress: (s, d, t) => s === 'ridge' && steps.push([d, t]) });
    expectSameFit(sync, w0);
    expectSameFit(sync, w2);
    // Per neuron group 4 folds + the final solve, counted 1…total whichever fold ends first.
    const total = syncSteps[0][1];
    expect(total % 5).toBe(0);
    expect(steps).toEqual(syncSteps);
    expect(steps).toEqual(Array.from({ length: total }, (_, i) => [i + 1, total]));
  }, 120_000);

  it('more workers than folds, and neurons in several groups (NaN targets), still match', async () => {
    const ds2 = new SyntheticDataset();
    ds2.responses[ds2.responses.length - 1][0].data.fill(Number.NaN); // neuron 0 loses a stimulus
    const o = { lags: 4, folds: 3, neurons: [0, 1, 3] };
    expectSameFit(fitStrfs(ds2, o), await fitStrfsAsync(ds2, { ...o, workers: 5 }));
  }, 120_000);

  afterEach(() => vi.restoreAllMocks());

  /** Counts the workers the platform starts and those terminated. */
  function countWorkers(failAt = -1) {
    const real = platform.createWorker.bind(platform);
    const n = { started: 0, terminated: 0 };
    vi.spyOn(platform, 'createWorker').mockImplementation(async (url, name) => {
      if (n.started === failAt) throw new Error(`worker ${failAt} failed to start`);
      const h = await real(url, name);
      n.started++;
      return { ...h, endpoint: h.endpoint, terminate: () => (n.terminated++, h.terminate()) };
    });
    return n;
  }

  it('terminates every worker it started, at the end and when a later worker fails to start', async () => {
    const ok = countWorkers();
    await fitStrfsAsync(ds, { ...opts, workers: 3 });
    expect(ok).toEqual({ started: 3, terminated: 3 });
    vi.restoreAllMocks();
    const bad = countWorkers(2);
    await expect(fitStrfsAsync(ds, { ...opts, workers: 3 })).rejects.toThrow('worker 2 failed to start');
    expect(bad).toEqual({ started: 2, terminated: 2 });
  }, 120_000);

  it('a bad worker count is a ValueError naming it', async () => {
    for (const w of [-1, 1.5, Number.NaN]) {
      await expect(fitStrfsAsync(ds, { ...opts, workers: w })).rejects.toThrow(ValueError);
      await expect(fitStrfsAsync(ds, { ...opts, workers: w })).rejects.toThrow(`fit: workers must be a non-negative integer, got ${w}`);
    }
  });
});

describe('deepstrf fit --workers', () => {
  it('--workers 2 exits 0 and writes the model.json of --workers 0', async () => {
    const a = await cli(['fit', 'synthetic', '--lags', '6', '--workers', '0', '--out', join(dir, 'w0')]);
    const b = await cli(['fit', 'synthetic', '--lags', '6', '--workers', '2', '--out', join(dir, 'w2')]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const j0 = readFileSync(join(dir, 'w0', 'model.json'), 'utf8');
    expect(JSON.parse(j0).lags).toBe(6);
    expect(readFileSync(join(dir, 'w2', 'model.json'), 'utf8')).toBe(j0);
  }, 120_000);

  it('the real process (test/node/cli/launch.ts) with --workers 2 exits 0 on its own and writes the same model.json', () => {
    const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
    const args = ['--import', 'tsx', join(repo, 'test', 'node', 'cli', 'launch.ts'), 'fit', 'synthetic', '--lags', '6'];
    const a = spawnSync(process.execPath, [...args, '--out', join(dir, 'p0')], { cwd: repo, encoding: 'utf8', timeout: 90_000 });
    const b = spawnSync(process.execPath, [...args, '--workers', '2', '--out', join(dir, 'p2')], { cwd: repo, encoding: 'utf8', timeout: 90_000 });
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0); // null (killed by the timeout) if a worker kept it alive
    expect(readFileSync(join(dir, 'p2', 'model.json'), 'utf8')).toBe(readFileSync(join(dir, 'p0', 'model.json'), 'utf8'));
  }, 200_000);

  it('a negative or non-integer --workers is a usage error (exit 2) naming the flag', async () => {
    for (const v of ['-1', '1.5', 'two']) {
      const r = await cli(['fit', 'synthetic', '--workers', v]);
      expect(r.code, v).toBe(2);
      expect(r.err).toContain(`--workers must be a non-negative integer, got "${v}"`);
    }
  });
});
