// CRCNS AA2 builds from fixtures at the real release's counts: 494 cells, 117 sounds (72
// conspecific, 20 flat ripples, 25 song ripples), 10 trials of ~20 spikes, 1 ms bins (the
// reference's default). Baseline: reading every file back (same run).
// * benchAA2: 0.5 s sounds, every cell heard conspecific and songrip, half of them flatrip
//   (91 % of the pairs real: 1 GB of cells at 0.5 s, it would be 3.9 GiB at 2 s).
// * benchAA2Release: the release as it is recorded, 2 s sounds and each cell heard 20 songs, 10
//   flat and 10 song ripples (40 of 117); also the wasm heap against the memory rule of
//   docs/memory.md (real cells only; a missing pair costs nothing) and against a dense store.
import { rmSync } from 'node:fs';
import { CRCNSAA2Dataset } from '../../src/zoo/crcns-aa2.js';
import { neuralCollate } from '../../src/collate/neural-collate.js';
import { defaultHeap } from '../../src/memory/heap.js';
import { Rng } from '../../src/util/random.js';
import { medianMs, noiseWav, readAllMs, spikeText, writeTree } from './aa1.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** The release's three sound classes: name and how many sounds each has. */
const TYPES: Array<[string, number]> = [['conspecific', 72], ['flatrip', 20], ['songrip', 25]];
const REGIONS = ['mld', 'OV', 'L', 'L1', 'L2a', 'L2b', 'L3', 'CM', 'None'];

/**
 * An AA2 release tree: every sound (`durMs` of noise at 32 kHz), the three CSV tables, and for
 * each of the 494 cells (bird `c % birds`) the sounds `heard(c, type, n)` of each class (indices),
 * each with `trials` trials of `spikes` spikes. Returns the files and the number of pairs heard.
 */
function aa2Tree(rng: Rng, durMs: number, birds: number, heard: (c: number, type: string, n: number) => number[], trials: number, spikes: number): { files: Map<string, Uint8Array>; pairs: number } {
  const files = new Map<string, Uint8Array>();
  let regionsCsv = '', classesCsv = 'cell,classes\n', stimCsv = '';
  for (const [type, n] of TYPES) {
    for (let i = 0; i < n; i++) {
      files.set(`all_stims/${type}${i}.wav`, noiseWav(rng, 32 * durMs, 32000));
      stimCsv += `${type}${i}.wav,32000,16,${32 * durMs},${type}\n`;
    }
  }
  let pairs = 0;
  for (let c = 0; c < 494; c++) {
    const cell = `bird${c % birds}_${c}`;
    regionsCsv += `${cell},x,${REGIONS[c % REGIONS.length]}\n`;
    classesCsv += `${cell},x\n`;
    for (const [type, n] of TYPES) {
      heard(c, type, n).forEach((stim, j) => {
        files.set(`all_cells/${cell}/${type}/stim${j + 1}`, enc(`${type}${stim}.wav\n`));
        files.set(`all_cells/${cell}/${type}/spike${j + 1}`, spikeText(rng, trials, spikes, durMs));
        pairs++;
      });
    }
  }
  files.set('cell_regions.csv', enc(regionsCsv));
  files.set('cell_stim_classes.csv', enc(classesCsv));
  files.set('stim_data.csv', enc(stimCsv));
  return { files, pairs };
}

/** Writes the tree, reads it back once to warm the cache, then the best of 3 full reads (the baseline) and its bytes. */
function writeAndBaseline(files: Map<string, Uint8Array>, name: string): { dir: string; base: number; bytes: number } {
  const dir = writeTree(files, name);
  try {
    readAllMs(dir);
    const base = Math.min(...Array.from({ length: 3 }, () => readAllMs(dir).ms));
    return { dir, base, bytes: readAllMs(dir).bytes };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export function benchAA2(): void {
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  const { files } = aa2Tree(new Rng(11), 500, 40, (c, type, n) => (type === 'flatrip' && c % 2 ? [] : all(n)), 10, 10);
  const { dir, base, bytes } = writeAndBaseline(files, 'aa2');
  try {
    const spec = medianMs(1, () => new CRCNSAA2Dataset({ path: dir }).dispose());
    console.log(`AA2 (494 cells × 117 sounds × 10 trials, ${(bytes / 1e6).toFixed(1)} MB in ${files.size} files)`);
    console.log(`  read every file: ${base.toFixed(1)} ms (baseline)`);
    console.log(`  build, spectrogram mode: ${spec.toFixed(0)} ms = ${(spec / base).toFixed(1)} × baseline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MiB = 2 ** 20;
const mib = (b: number) => `${(b / MiB).toFixed(0)} MiB`;

export function benchAA2Release(): void {
  const durMs = 2000, trials = 10, F = 32;
  const heardOf: Record<string, number> = { conspecific: 20, flatrip: 10, songrip: 10 };
  const { files, pairs } = aa2Tree(new Rng(12), durMs, 57, (c, type, n) => Array.from({ length: heardOf[type] }, (_, j) => (c * 7 + j) % n), trials, 20);
  const { dir, base, bytes } = writeAndBaseline(files, 'aa2-release');
  try {
    const heap = defaultHeap();
    const before = heap.stats();
    const t0 = performance.now();
    const ds = new CRCNSAA2Dataset({ path: dir });
    const ms = performance.now() - t0;
    const after = heap.stats();
    const T = ds.stims[0].shape[2];
    const real = pairs * trials * T * 4, stims = 117 * F * T * 4, dense = 117 * 494 * trials * T * 4;
    const held = after.held - before.held;
    console.log(`AA2 release at dt 1 ms (494 cells × 117 sounds of ${durMs / 1000} s, T = ${T}; ${pairs} of ${494 * 117} pairs heard, ${trials} trials; ${(bytes / 1e6).toFixed(1)} MB in ${files.size} files)`);
    console.log(`  read every file: ${base.toFixed(0)} ms (baseline)`);
    console.log(`  build, spectrogram mode: ${ms.toFixed(0)} ms = ${(ms / base).toFixed(1)} × baseline`);
    console.log(`  heap held by the store: ${mib(held)} = ${(held / (real + stims)).toFixed(3)} × the rule (real cells ${mib(real)} + stimuli ${mib(stims)}); heap ${mib(after.capacity)} of ${mib(after.limit)}`);
    console.log(`  a dense S × N × R × T store would need ${mib(dense + stims)} (${((dense + stims) / after.limit).toFixed(2)} × the 4 GiB limit); this one holds ${(held / (dense + stims)).toFixed(2)} × that`);
    const t1 = performance.now();
    const batch = neuralCollate([0, 1, 2, 3, 4, 5, 6, 7].map((i) => ds.get(i)));
    console.log(`  collate 8 items × 494 neurons → [${batch.responses.shape.join(', ')}] in ${(performance.now() - t1).toFixed(0)} ms; heap ${mib(heap.stats().capacity)} of ${mib(after.limit)} with its scratch`);
    ds.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
