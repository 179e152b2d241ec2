// Seeded mutation fuzzing of the pickle reader and the AA5 unit-file reader on the pandas 1.5.3
// fixtures: only FormatError may come out (never a crash, a hang or an untyped error).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, Rng } from '../../../src/index.js';
import { loadPickles } from '../../../src/io/pickle.js';
import { readAA5UnitFile } from '../../../src/zoo/aa5-unit-pickle.js';
import { mutate } from '../../io/helpers/fuzz.js';

const NAMES = ['goodPlayback-e3-c12.pkl', 'goodPlayback-e0-c5.pkl', 'goodPlayback-e2-c1.pkl'];
const FILES = NAMES.map((n) => new Uint8Array(readFileSync(join(__dirname, '../../fixtures/aa5', n))));

describe('pickle reader fuzz', () => {
  it('byte mutations of the AA5 unit pickles give FormatError or a value', () => {
    const rng = new Rng(20261130);
    let failures = 0;
    for (let i = 0; i < 1500; i++) {
      const k = i % FILES.length;
      const bytes = mutate(FILES[k], rng, 2);
      try {
        loadPickles(bytes, NAMES[k], 3);
        readAA5UnitFile(bytes, NAMES[k], 'ZF4F_2t_190611_160843');
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`#${i} (${NAMES[k]}): untyped ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        expect((e as FormatError).file).toBe(NAMES[k]);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(100); // the mutations do reach the error paths
  }, 120_000);
});
