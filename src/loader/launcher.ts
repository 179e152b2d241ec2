/**
 * A launcher's environment (torchrun / `torch.distributed.launch` style) mapped onto
 * {@link DistributedSampler} options: `RANK` → `rank`, `WORLD_SIZE` → `worldSize`
 * (docs/distributed.md). `LOCAL_RANK`, `LOCAL_WORLD_SIZE`, `MASTER_ADDR` and `MASTER_PORT` are
 * read by nothing here: ranks of a DataLoader never talk to each other, they only agree on the
 * seed and the epoch.
 * @module
 */
import { platform } from '#platform';
import { ValueError } from '../errors.js';
import type { DistributedSamplerOptions } from './samplers.js';

/**
 * Environment variables as a launcher sets them (Node's `process.env` has this type).
 * @example
 * ```ts
 * const env: LauncherEnv = { RANK: '1', WORLD_SIZE: '4' };
 * ```
 */
export type LauncherEnv = Readonly<Record<string, string | undefined>>;

const DIGITS = /^\d+$/;

/** The variable's value as a non-negative integer, or undefined when unset or empty. */
function readCount(env: LauncherEnv, name: 'RANK' | 'WORLD_SIZE'): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const text = raw.trim();
  const n = Number(text);
  if (!DIGITS.test(text) || !Number.isSafeInteger(n)) {
    throw new ValueError(`distributedFromEnv: ${name}=${JSON.stringify(raw)} is not a non-negative integer`);
  }
  return n;
}

/**
 * `DistributedSampler` options from a launcher's environment: `RANK` and `WORLD_SIZE` as
 * torchrun sets them, merged with `options` (shuffle, seed, dropLast; give every rank the same).
 * Neither variable set means a plain single-process run: rank 0 of 1. Throws `ValueError` when
 * only one is set, when a value is not a non-negative integer (`"1.5"`, `"-1"`, `"two"`), when
 * `WORLD_SIZE` is 0, or when `RANK ≥ WORLD_SIZE`. `env` defaults to the process's environment
 * in Node; browsers have none, so pass one there (without it: rank 0 of 1).
 * @example
 * ```ts
 * // RANK=1 WORLD_SIZE=4 node train.mjs
 * const sampler = new DistributedSampler(ds, distributedFromEnv(process.env, { seed: 0 }));
 * sampler.rank; // 1
 * ```
 */
export function distributedFromEnv(
  env: LauncherEnv = platform.cacheEnvironment()?.env ?? {},
  options: Omit<DistributedSamplerOptions, 'rank' | 'worldSize'> = {},
): DistributedSamplerOptions {
  const rank = readCount(env, 'RANK');
  const worldSize = readCount(env, 'WORLD_SIZE');
  if (rank === undefined && worldSize === undefined) return { ...options, rank: 0, worldSize: 1 };
  if (rank === undefined || worldSize === undefined) {
    const [set, unset] = rank === undefined ? ['WORLD_SIZE', 'RANK'] : ['RANK', 'WORLD_SIZE'];
    throw new ValueError(`distributedFromEnv: ${set} is set but ${unset} is not; a launcher sets both`);
  }
  if (worldSize === 0) throw new ValueError('distributedFromEnv: WORLD_SIZE=0; it must be at least 1');
  if (rank >= worldSize) {
    throw new ValueError(`distributedFromEnv: RANK=${rank} is out of range for WORLD_SIZE=${worldSize} (0 ≤ RANK < WORLD_SIZE)`);
  }
  return { ...options, rank, worldSize };
}
