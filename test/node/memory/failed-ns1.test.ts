// A failed NS1 build leaks nothing: a copy of the release (files linked, not copied) with one
// corrupt spike file (right size, garbage inside: the release check passes) fails after other
// units' cells were written into the heap; the build driver's heap scope (runSync/runAsync,
// src/memory/build-scope.ts) frees them. Sync constructor and async load. Real NS1 data;
// skipped with a printed reason when absent (a failure under CI=true), and on a tree where NS1
// does not build through the build driver yet (it does since the sources rewrite).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { NS1Dataset, defaultHeap } from '../../../src/index.js';
import * as driver from '../../../src/sources/build.js';
import { findNs1 } from '../../helpers/ns1-data.js';

const { dir } = findNs1('failed NS1 build');
const viaDriver = 'SourceFileError' in driver; // exported by the rewrite that builds NS1 with runSync/runAsync
if (!viaDriver) console.warn('SKIPPED failed NS1 build: NS1 does not build through src/sources/build.ts on this tree');

/** Every file under `root`, relative, sorted. */
function files(root: string, at = root): string[] {
  return readdirSync(at, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(root, join(at, e.name)) : [relative(root, join(at, e.name))]).sort();
}

describe.skipIf(!dir || !viaDriver)('failed NS1 builds give their memory back', () => {
  it('a corrupt spike file: held bytes equal before and after, sync and async', async () => {
    const src = dir as string;
    const copy = mkdtempSync(join(tmpdir(), 'ns1-corrupt-'));
    try {
      const all = files(src);
      const spikes = all.filter((f) => f.endsWith('.mat') && f.startsWith('spikesandwav/'));
      const bad = spikes[spikes.length - 1];
      for (const f of all) {
        mkdirSync(dirname(join(copy, f)), { recursive: true });
        // Same size (the release check passes), garbage inside: parsing fails after the other units.
        if (f === bad) writeFileSync(join(copy, f), new Uint8Array(statSync(join(src, f)).size).fill(7));
        else symlinkSync(join(src, f), join(copy, f));
      }
      new NS1Dataset({ path: src }).dispose(); // warm-up: this thread's caches
      const held = defaultHeap().stats().held;
      for (let i = 0; i < 3; i++) {
        expect(() => new NS1Dataset({ path: copy })).toThrow(bad.split('/').pop() as string);
        expect(defaultHeap().stats().held).toBe(held);
        await expect(NS1Dataset.load({ path: copy })).rejects.toThrow(bad.split('/').pop() as string);
        expect(defaultHeap().stats().held).toBe(held);
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 300_000);
});
