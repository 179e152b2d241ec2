// Seeded mutations of the AC1 fixture's MAT files: the build either succeeds (a damaged trial
// file is skipped with a warning, as the reference does) or fails with a typed error naming a file.
import { describe, expect, it } from 'vitest';
import { CRCNSAC1Dataset, DatasetValidationError, FormatError, MemorySource, ValueError } from '../../../src/index.js';
import { Rng } from '../../../src/util/random.js';
import { ac1Files } from '../../helpers/zoo/ac1-fixture.js';

const TARGETS = [
  'crcns-ac1/wehr/Results/0205-mw-001/t1.mat', // big-endian v5
  'crcns-ac1/wehr/Results/0205-mw-001/t2.mat', // uncompressed v6
  'crcns-ac1/wehr/Stimuli/fragments/1.mat',
  'crcns-ac1/asari/Stimuli/class1/2.mat',
  'crcns-ac1-asari-results-1/asari-results-1/20050101-ha1-001/r1.mat',
  'crcns-ac1-asari-results-2/asari-results-2/20050202-ha2-x/s1.mat',
];

describe('CRCNSAC1Dataset: mutated files', () => {
  it('only typed errors come out (120 seeded mutations)', async () => {
    const rng = new Rng(13);
    const base = ac1Files();
    let failed = 0;
    for (let trial = 0; trial < 120; trial++) {
      const files = { ...base };
      const target = TARGETS[trial % TARGETS.length];
      const b = Uint8Array.from(files[target]);
      const kind = rng.next();
      if (kind < 0.3) files[target] = b.subarray(0, Math.floor(rng.next() * b.length));
      else for (let k = 0; k < 1 + Math.floor(rng.next() * 8); k++) b[Math.floor(rng.next() * b.length)] = Math.floor(rng.next() * 256);
      if (kind >= 0.3) files[target] = b;
      try {
        await CRCNSAC1Dataset.load({ source: new MemorySource(files), onWarning: () => {} });
      } catch (e) {
        failed++;
        const typed = e instanceof FormatError || e instanceof ValueError || e instanceof DatasetValidationError || e instanceof RangeError;
        expect(typed, `${target} (trial ${trial}): ${(e as Error)?.stack}`).toBe(true);
      }
    }
    expect(failed).toBeGreaterThan(0);
  }, 120_000);
});
