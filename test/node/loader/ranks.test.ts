// Ranks in separate processes: N Node processes (2 and 3), each started with RANK / WORLD_SIZE
// in its environment like torchrun starts them, each running several epochs of a
// DistributedSampler + DataLoader (fixtures/rank-process.mts). Per epoch the test checks, from
// what the processes print:
//   - each shard is the one torch's DistributedSampler gives, computed here from its formula:
//     the epoch's order (ascending, or the seeded permutation of seed + epoch) padded by
//     wrapping around to ceil(n / world) · world (dropLast: false) or cut to
//     floor(n / world) · world (dropLast: true), rank r taking positions r, r + world, …;
//   - the shards have equal length, are disjoint except for exactly the padding's repeats, and
//     together cover the epoch (every index, or with dropLast all but n mod world of them);
//   - the batches each process's DataLoader gave have the checksums of the batches collated
//     here from the same index lists.
// Then the same with every process reading ONE Zarr store (the export of the same dataset) over
// a loopback HTTP server (test/helpers/static-server.ts) with a small cache: the batches must
// equal those of the in-memory dataset.
// The epoch's order under shuffle comes from the exported `permutation(n, seed, epoch)` (the
// samplers' shared seeded shuffle, tested in test/loader/samplers.test.ts); the sharding on top
// of it is what this file checks.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportZarr, neuralCollate, type DatasetItem } from '../../../src/index.js';
import { permutation } from '../../../src/loader/samplers.js';
import { batchChecksum } from '../../helpers/batch-checksum.js';
import { serveFolder, type StaticServer } from '../../helpers/static-server.js';
import { rankDataset, type RankConfig, type RankReport } from './fixtures/rank-dataset.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/rank-process.mts', import.meta.url));

/** Starts one rank; resolves with its per-epoch reports, rejects with its stderr on failure. */
function runRank(rank: number, worldSize: number, config: RankConfig): Promise<RankReport[]> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, RANK: String(rank), WORLD_SIZE: String(worldSize), LOCAL_RANK: String(rank), MASTER_ADDR: '127.0.0.1', RANK_TEST_CONFIG: JSON.stringify(config) };
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`rank ${rank}/${worldSize} exited with ${code ?? signal}: ${err}`));
      resolve(out.trim().split('\n').map((line) => JSON.parse(line) as RankReport));
    });
  });
}

/** torch's DistributedSampler.__iter__ for one rank, from its formula. */
function torchShard(n: number, rank: number, world: number, c: RankConfig, epoch: number): number[] {
  let indices = c.shuffle ? permutation(n, c.seed, epoch) : Array.from({ length: n }, (_, i) => i);
  const total = c.dropLast ? Math.floor(n / world) * world : Math.ceil(n / world) * world;
  if (c.dropLast) indices = indices.slice(0, total);
  else {
    const pad = total - n;
    indices = indices.concat(Array.from({ length: pad }, (_, k) => indices[k % n]));
  }
  return indices.filter((_, k) => k % world === rank);
}

const chunks = (xs: number[], size: number) => Array.from({ length: Math.ceil(xs.length / size) }, (_, k) => xs.slice(k * size, (k + 1) * size));

const runs: Array<[string, number, RankConfig]> = [
  ['2 ranks, 23 items (1 padded), shuffled, 1 worker each', 2, { nStims: 23, epochs: 3, batchSize: 4, shuffle: true, dropLast: false, seed: 11, numWorkers: 1 }],
  ['3 ranks, 22 items (2 padded), shuffled', 3, { nStims: 22, epochs: 3, batchSize: 3, shuffle: true, dropLast: false, seed: 0, numWorkers: 0 }],
  ['3 ranks, 23 items, dropLast (2 dropped), shuffled', 3, { nStims: 23, epochs: 3, batchSize: 5, shuffle: true, dropLast: true, seed: 3, numWorkers: 0 }],
  ['2 ranks, 7 items (1 padded), in order', 2, { nStims: 7, epochs: 2, batchSize: 2, shuffle: false, dropLast: false, seed: 0, numWorkers: 0 }],
];

/** Runs `world` ranks with `config` and checks every epoch (see the top of this file). */
async function checkRanks(world: number, config: RankConfig): Promise<void> {
  const reports = await Promise.all(Array.from({ length: world }, (_, r) => runRank(r, world, config)));
  const n = config.nStims;
  const ds = rankDataset(n);
  const perEpochOrders: string[] = [];
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const shards = reports.map((lines, r) => {
      const line = lines[epoch];
      expect([line.rank, line.worldSize, line.epoch]).toEqual([r, world, epoch]);
      expect(line.indices).toEqual(torchShard(n, r, world, config, epoch));
      return line.indices;
    });
    // Equal lengths; every index at most twice, exactly `pad` repeats; coverage.
    const len = config.dropLast ? Math.floor(n / world) : Math.ceil(n / world);
    for (const s of shards) expect(s.length).toBe(len);
    const counts = new Map<number, number>();
    for (const i of shards.flat()) counts.set(i, (counts.get(i) ?? 0) + 1);
    const repeats = [...counts.values()].filter((c) => c > 1);
    if (config.dropLast) {
      expect(repeats).toEqual([]);
      expect(counts.size).toBe(n - (n % world));
    } else {
      expect(repeats).toEqual(Array(len * world - n).fill(2));
      expect([...counts.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    perEpochOrders.push(JSON.stringify(shards));
    // Each process's batches are the batches of its index list, collated here from memory.
    reports.forEach((lines, r) => {
      const expected = chunks(shards[r], config.batchSize).map((b) => batchChecksum(neuralCollate(b.map((i) => ds.get(i) as DatasetItem))));
      expect(lines[epoch].checksums).toEqual(expected);
    });
  }
  // Shuffled epochs differ from each other (setEpoch reached every rank's sampler).
  if (config.shuffle) expect(new Set(perEpochOrders).size).toBe(config.epochs);
  ds.dispose();
}

describe('DistributedSampler ranks in separate processes', () => {
  for (const [name, world, config] of runs) it(name, () => checkRanks(world, config), 120_000);
});

describe('ranks in separate processes reading one Zarr store over HTTP', () => {
  let dir: string;
  let server: StaticServer;
  const nStims = 23;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ranks-zarr-'));
    const ds = rankDataset(nStims);
    await exportZarr(ds, join(dir, 'store'), { chunkElements: 4096 });
    ds.dispose();
    server = await serveFolder(dir);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const world of [2, 3]) {
    it(`${world} ranks, shuffled, a cache smaller than the store: batches equal the in-memory ones`, async () => {
      server.resetStats();
      // ~8 KB of cache: a handful of cells, so cells are evicted and fetched again across epochs.
      await checkRanks(world, { nStims, epochs: 2, batchSize: 3, shuffle: true, dropLast: false, seed: 4, numWorkers: 0, zarrUrl: `${server.url}store/`, cacheBytes: 8192 });
      expect(server.stats.rangeRequests).toBeGreaterThan(0);
    }, 120_000);
  }
});
