/**
 * The HDF5 guard's scan (src/io/hdf5-guard.ts: every GCOL and HEAP signature of a file, checked
 * before h5wasm opens it) on 200 MB of float64 noise holding no signature, as ratios against
 * baselines measured in this process:
 *  - the same two searches written as the browsers' platform does them (`indexOf` of the first
 *    byte, then a comparison), which the guard used everywhere before 2026-11-30 15:00 UTC;
 *  - a plain copy of the same bytes (`Uint8Array.prototype.slice`), the speed of memory.
 * Medians of 5 passes. Run: `npm run bench -- hdf5-guard`.
 */
import { checkHdf5Termination } from '../src/io/hdf5-guard.js';
import { Rng } from '../src/util/random.js';

const MB = 200;
const bytes = new Uint8Array(MB * 1e6);
const values = new Float64Array(bytes.buffer);
const rng = new Rng(5);
for (let i = 0; i < values.length; i++) values[i] = (rng.next() - 0.5) * 1000;
// A version 0 superblock's signature and its sizes of offsets and lengths (8, 8): what the guard reads first.
bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 8, 8], 0);

const firstByteSearch = (sig: number[]) => {
  let found = 0;
  for (let at = bytes.indexOf(sig[0]); at >= 0; at = bytes.indexOf(sig[0], at + 1)) {
    let k = 1;
    while (k < sig.length && bytes[at + k] === sig[k]) k++;
    if (k === sig.length) found++;
  }
  return found;
};
const median = (f: () => unknown) => {
  const t: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[2];
};
const guard = median(() => checkHdf5Termination(bytes, 0, 'noise.h5'));
const before = median(() => firstByteSearch([0x47, 0x43, 0x4f, 0x4c, 1]) + firstByteSearch([0x48, 0x45, 0x41, 0x50, 0]));
const copy = median(() => bytes.slice());
console.log(`${MB} MB of float64 noise, no signature in it`);
console.log(`  guard (this platform's search)     ${guard.toFixed(1)} ms  ${(before / guard).toFixed(2)} × the first-byte search, ${(copy / guard).toFixed(2)} × a copy`);
console.log(`  first-byte search (browsers; before) ${before.toFixed(1)} ms`);
console.log(`  plain copy of the bytes            ${copy.toFixed(1)} ms`);
