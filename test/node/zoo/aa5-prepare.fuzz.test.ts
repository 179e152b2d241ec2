// Seeded mutations of a raw AA5 site archive holding the real pandas 1.5.3 unit pickles: the
// preparer either prepares the site or fails with a FormatError (gzip, tar, pickle, content);
// never an untyped error, and never a manifest for a failed site.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, Rng } from '../../../src/index.js';
import { prepareAA5 } from '../../../src/zoo/aa5-prepare.js';
import { mutate } from '../../io/helpers/fuzz.js';
import { aa5PickleArchive } from '../../helpers/zoo/aa5-archive.js';

const SITE = 'ZF4F_9t_190101_120000';
const pkl = (n: string): [string, Uint8Array] => [n, new Uint8Array(readFileSync(join(__dirname, '../../fixtures/aa5', n)))];

describe('prepareAA5 fuzz', () => {
  it('mutated archives: prepared or FormatError', async () => {
    const archive = aa5PickleArchive(SITE, [pkl('goodPlayback-e3-c12.pkl'), pkl('goodPlayback-e0-c5.pkl')]);
    const rng = new Rng(99);
    let failed = 0;
    for (let i = 0; i < 60; i++) {
      const raw = mkdtempSync(join(tmpdir(), 'aa5fz-'));
      const cache = mkdtempSync(join(tmpdir(), 'aa5fzc-'));
      mkdirSync(join(raw, 'ZF4F'));
      writeFileSync(join(raw, 'ZF4F', `${SITE}.tar.gz`), mutate(archive, rng, 10));
      try {
        await prepareAA5(raw, cache, { micAlignmentCheck: false });
        expect(existsSync(join(cache, 'ZF4F', SITE, 'manifest.json'))).toBe(true);
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`#${i}: untyped ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        expect(existsSync(join(cache, 'ZF4F', SITE, 'manifest.json'))).toBe(false);
        failed++;
      } finally {
        rmSync(raw, { recursive: true, force: true });
        rmSync(cache, { recursive: true, force: true });
      }
    }
    expect(failed).toBeGreaterThan(10);
  }, 120_000);
});
