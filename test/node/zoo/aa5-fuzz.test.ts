// Seeded fuzzing of the AA5 cache reader: byte mutations of every cache file and structural
// mutations of the JSON and NPZ contents (wrong types, out-of-range indices, NaN times). Only
// typed errors may come out; a build that succeeds must still satisfy the contract.
import { describe, expect, it } from 'vitest';
import { CRCNSAA5Dataset, DatasetValidationError, FormatError, Rng, ValueError } from '../../../src/index.js';
import { MemorySource } from '../../../src/sources/memory.js';
import { mutate } from '../../io/helpers/fuzz.js';
import { CALL, SITE_A, SITE_B, aa5Files, pyJson, spikesNpz, type Rec } from '../../helpers/zoo/aa5-fixture.js';

const TYPED = [ValueError, FormatError, DatasetValidationError, RangeError];
const WEIRD: unknown[] = [null, -1, 1e308, NaN, 'x', [], {}, true, 0.5, -0.0];

async function expectTyped(files: Record<string, Uint8Array>, what: string): Promise<void> {
  try {
    const ds = await CRCNSAA5Dataset.load({ source: new MemorySource(files), returnWaveform: true, smooth: false });
    expect(ds.responses.length).toBe(ds.getS());
  } catch (e) {
    if (!TYPED.some((C) => e instanceof C)) throw new Error(`${what}: untyped ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
}

describe('CRCNSAA5Dataset fuzz', () => {
  it('byte mutations of every cache file', async () => {
    const base = aa5Files();
    const targets = ['stimuli/index.json', `stimuli/${CALL}`, `ZF4F/${SITE_A}/units.json`, `ZF4F/${SITE_A}/playbacks.json`, `ZF4F/${SITE_A}/spikes.npz`, `ZF6M/${SITE_B}/spikes.npz`];
    const rng = new Rng(20261130);
    for (let i = 0; i < 150; i++) {
      const path = targets[i % targets.length];
      const files = { ...base, [path]: mutate(base[path], rng) };
      await expectTyped(files, `${path} #${i}`);
    }
  }, 120_000);

  it('structural mutations of the JSON and NPZ contents', async () => {
    const rng = new Rng(7);
    const pick = <T,>(xs: readonly T[]) => xs[rng.int(xs.length)];
    for (let i = 0; i < 120; i++) {
      const files = aa5Files();
      const kind = i % 4;
      if (kind === 0) {
        const pbs = [{ trial: pick(WEIRD), file: pick([CALL, ...WEIRD]), mic_peak: pick(WEIRD), mic_second: pick(WEIRD), mic_offset_ms: pick(WEIRD), next_onset_s: pick(WEIRD) }];
        files[`ZF6M/${SITE_B}/playbacks.json`] = pyJson(rng.int(2) ? pbs : pick(WEIRD));
      } else if (kind === 1) {
        const u = { cell_id: pick(WEIRD), bird: pick(['ZF6M', ...WEIRD]), electrode: pick(WEIRD), cluster: pick(WEIRD), sort: pick(WEIRD), spike_shape: pick(WEIRD) };
        files[`ZF6M/${SITE_B}/units.json`] = pyJson(rng.int(3) ? [u] : pick(WEIRD));
      } else if (kind === 2) {
        const recs: Rec[] = Array.from({ length: 1 + rng.int(4) }, () => [pick([0, 0, 1, -1, 5]), pick([10, 11, 12, -3, 99]), [pick([0.1, NaN, Infinity, -Infinity, -0.5, 4.5, 1e300])]]);
        files[`ZF6M/${SITE_B}/spikes.npz`] = spikesNpz(recs);
      } else {
        files['stimuli/index.json'] = pyJson({ [CALL]: pick(WEIRD), 'randripple3.wav': { integer_pcm: pick(WEIRD) }, 'stim1.wav': {}, 'stim2_sfilt.wav': {} });
      }
      await expectTyped(files, `structural #${i} (kind ${kind})`);
    }
  }, 120_000);
});
