// NS1 build benchmark (bar: < 1 s on one core, peak memory < 2 × the packed store).
// Runs in its own process (npm run bench). Prints the build time of the 119-unit dataset in
// both modes with a same-run baseline: writing the same number of bytes into fresh memory
// (on some machines first-touch page faults dominate any build), and the peak RSS growth
// during the first build as a multiple of the packed store. Then the same build through the
// async driver (`NS1Dataset.load`) from the Node folder and from a MemorySource holding the
// release, as ratios against the synchronous build measured here.
import { NS1Dataset } from '../src/zoo/ns1.js';
import { MemorySource } from '../src/sources/memory.js';
import { NodeFolderSource } from '../src/sources/node-folder.js';
import { findNs1 } from '../test/helpers/ns1-data.js';
import { releaseFiles } from '../test/node/zoo/ns1-release.js';

const { dir } = findNs1('NS1 benchmark');
if (!dir) process.exit(0);

const rss0 = process.memoryUsage().rss;
let t = performance.now();
const spec = new NS1Dataset({ path: dir });
const firstMs = performance.now() - t;
const peak = process.resourceUsage().maxRSS * 1024 - rss0;
const storeBytes = (ds: NS1Dataset) => {
  let b = 0;
  for (const s of ds.stims) b += s.data.byteLength;
  for (const row of ds.responses) for (const r of row) b += r.data.byteLength;
  return b;
};
const store = storeBytes(spec);

const times: number[] = [];
for (let i = 0; i < 3; i++) {
  t = performance.now();
  new NS1Dataset({ path: dir });
  times.push(performance.now() - t);
}
const wave: number[] = [];
for (let i = 0; i < 2; i++) {
  t = performance.now();
  new NS1Dataset({ path: dir, returnWaveform: true });
  wave.push(performance.now() - t);
}
t = performance.now();
const fresh = new Float32Array(store / 4);
fresh.fill(1);
const touchMs = performance.now() - t;

const best = (xs: number[]) => Math.min(...xs);
console.log(`NS1 (119 units × 20 sounds × 20 repeats × 999 bins), packed store ${(store / 1e6).toFixed(1)} MB`);
console.log(`  spectrogram mode: first build ${firstMs.toFixed(0)} ms (cold JIT), best warm ${best(times).toFixed(0)} ms`);
console.log(`  waveform mode (48 kHz):          best ${best(wave).toFixed(0)} ms`);
console.log(`  baseline: first touch of ${(store / 1e6).toFixed(0)} MB fresh memory ${touchMs.toFixed(0)} ms → build / first-touch = ${(best(times) / touchMs).toFixed(2)}`);
console.log(`  peak RSS growth during the first build ${(peak / 1e6).toFixed(0)} MB = ${(peak / store).toFixed(2)} × the packed store (bar < 2)`);

// The async driver: the same build, files from the folder (async reads) and from memory,
// interleaved with the synchronous build so that load on the machine hits all three alike.
const folder = new NodeFolderSource(dir);
const memory = new MemorySource(releaseFiles(dir));
const syncAgain: number[] = [];
const asyncFolder: number[] = [];
const asyncMemory: number[] = [];
for (let i = 0; i < 3; i++) {
  t = performance.now();
  new NS1Dataset({ path: dir });
  syncAgain.push(performance.now() - t);
  t = performance.now();
  await NS1Dataset.load({ source: folder });
  asyncFolder.push(performance.now() - t);
  t = performance.now();
  await NS1Dataset.load({ source: memory });
  asyncMemory.push(performance.now() - t);
}
const sync = best(syncAgain);
console.log(`  spectrogram mode, best of 3 interleaved: sync constructor ${sync.toFixed(0)} ms; async load from NodeFolderSource ${best(asyncFolder).toFixed(0)} ms = ${(best(asyncFolder) / sync).toFixed(2)} × sync; ` +
  `from MemorySource ${best(asyncMemory).toFixed(0)} ms = ${(best(asyncMemory) / sync).toFixed(2)} × sync`);
