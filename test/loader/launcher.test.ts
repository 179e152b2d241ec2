// distributedFromEnv: torchrun's RANK / WORLD_SIZE onto DistributedSampler options, and the
// errors for values a launcher would never set. The environments are written by hand.
import { describe, expect, it } from 'vitest';
import { DistributedSampler, ValueError, distributedFromEnv } from '../../src/index.js';

describe('distributedFromEnv', () => {
  it('maps RANK and WORLD_SIZE, keeps the other options and ignores LOCAL_RANK and MASTER_*', () => {
    const env = { RANK: '3', WORLD_SIZE: '4', LOCAL_RANK: '1', LOCAL_WORLD_SIZE: '2', MASTER_ADDR: '10.0.0.1', MASTER_PORT: '29500' };
    expect(distributedFromEnv(env, { seed: 7, shuffle: false, dropLast: true })).toEqual({ rank: 3, worldSize: 4, seed: 7, shuffle: false, dropLast: true });
    expect(distributedFromEnv({ RANK: ' 0 ', WORLD_SIZE: '1' })).toEqual({ rank: 0, worldSize: 1 });
  });

  it('without a launcher (neither variable, or both empty) is rank 0 of 1', () => {
    expect(distributedFromEnv({}, { seed: 2 })).toEqual({ rank: 0, worldSize: 1, seed: 2 });
    expect(distributedFromEnv({ RANK: '', WORLD_SIZE: '' })).toEqual({ rank: 0, worldSize: 1 });
  });

  it('the options build a sampler whose shard is rank r of the torch layout', () => {
    // n = 10, world 4: positions padded to 12 (indices 0..9, 0, 1); rank 2 takes 2, 6, 0.
    const s = new DistributedSampler({ length: 10 }, distributedFromEnv({ RANK: '2', WORLD_SIZE: '4' }, { shuffle: false }));
    expect([...s]).toEqual([2, 6, 0]);
  });

  const bad: Array<[string, Record<string, string>, string]> = [
    ['a fraction', { RANK: '1.5', WORLD_SIZE: '4' }, 'distributedFromEnv: RANK="1.5" is not a non-negative integer'],
    ['a negative rank', { RANK: '-1', WORLD_SIZE: '4' }, 'distributedFromEnv: RANK="-1" is not a non-negative integer'],
    ['a word', { RANK: '0', WORLD_SIZE: 'two' }, 'distributedFromEnv: WORLD_SIZE="two" is not a non-negative integer'],
    ['an exponent', { RANK: '0', WORLD_SIZE: '1e3' }, 'distributedFromEnv: WORLD_SIZE="1e3" is not a non-negative integer'],
    ['past 2^53', { RANK: '0', WORLD_SIZE: '9007199254740993' }, 'distributedFromEnv: WORLD_SIZE="9007199254740993" is not a non-negative integer'],
    ['rank = world size', { RANK: '4', WORLD_SIZE: '4' }, 'distributedFromEnv: RANK=4 is out of range for WORLD_SIZE=4 (0 ≤ RANK < WORLD_SIZE)'],
    ['rank > world size', { RANK: '9', WORLD_SIZE: '2' }, 'distributedFromEnv: RANK=9 is out of range for WORLD_SIZE=2 (0 ≤ RANK < WORLD_SIZE)'],
    ['world size 0', { RANK: '0', WORLD_SIZE: '0' }, 'distributedFromEnv: WORLD_SIZE=0; it must be at least 1'],
    ['RANK alone', { RANK: '1' }, 'distributedFromEnv: RANK is set but WORLD_SIZE is not; a launcher sets both'],
    ['WORLD_SIZE alone', { WORLD_SIZE: '2', RANK: ' ' }, 'distributedFromEnv: WORLD_SIZE is set but RANK is not; a launcher sets both'],
  ];
  for (const [name, env, message] of bad) {
    it(`refuses ${name} with a ValueError naming the variable`, () => {
      let err: unknown;
      try {
        distributedFromEnv(env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValueError);
      expect((err as Error).message).toBe(message);
    });
  }
});
