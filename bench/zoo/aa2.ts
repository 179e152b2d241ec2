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

export function benchAA2(): void {
  const rng = new Rng(11);
  const files = new Map<string, Uint8Array>();
  const types: Array<[string, number]> = [['conspecific', 72], ['flatrip', 20], ['songrip', 25]];
  const regions = ['mld', 'OV', 'L', 'L1', 'L2a', 'L2b', 'L3', 'CM', 'None'];
  let regionsCsv = '', classesCsv = 'cell,classes\n', stimCsv = '';
  for (const [type, n] of types) {
    for (let i = 0; i < n; i++) {
      files.set(`all_stims/${type}${i}.wav`, noiseWav(rng, 16000, 32000));
      stimCsv += `${type}${i}.wav,32000,16,16000,${type}\n`;
    }
  }
  for (let c = 0; c < 494; c++) {
    const cell = `bird${c % 40}_${c}`;
    regionsCsv += `${cell},x,${regions[c % regions.length]}\n`;
    classesCsv += `${cell},x\n`;
    for (const [type, n] of types) {
      if (type === 'flatrip' && c % 2) continue;
      for (let i = 0; i < n; i++) {
        files.set(`all_cells/${cell}/${type}/stim${i + 1}`, enc(`${type}${i}.wav\n`));
        files.set(`all_cells/${cell}/${type}/spike${i + 1}`, spikeText(rng, 10, 10, 500));
      }
    }
  }
  files.set('cell_regions.csv', enc(regionsCsv));
  files.set('cell_stim_classes.csv', enc(classesCsv));
  files.set('stim_data.csv', enc(stimCsv));
  const dir = writeTree(files, 'aa2');
  try {
    readAllMs(dir);
    const base = Math.min(...Array.from({ length: 3 }, () => readAllMs(dir).ms));
    const { bytes } = readAllMs(dir);
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
  const rng = new Rng(12);
  const files = new Map<string, Uint8Array>();
  const durMs = 2000, trials = 10, F = 32;
  const types: Array<[string, number, number]> = [['conspecific', 72, 20], ['flatrip', 20, 10], ['songrip', 25, 10]];
  const regions = ['mld', 'OV', 'L', 'L1', 'L2a', 'L2b', 'L3', 'CM', 'None'];
  let regionsCsv = '', classesCsv = 'cell,classes\n', stimCsv = '';
  for (const [type, n] of types) {
    for (let i = 0; i < n; i++) {
      files.set(`all_stims/${type}${i}.wav`, noiseWav(rng, 32 * durMs, 32000));
      stimCsv += `${type}${i}.wav,32000,16,${32 * durMs},${type}\n`;
    }
  }
  let pairs = 0;
  for (let c = 0; c < 494; c++) {
    const cell = `bird${c % 57}_${c}`;
    regionsCsv += `${cell},x,${regions[c % regions.length]}\n`;
    classesCsv += `${cell},x\n`;
    for (const [type, n, heard] of types) {
      for (let j = 0; j < heard; j++) {
        files.set(`all_cells/${cell}/${type}/stim${j + 1}`, enc(`${type}${(c * 7 + j) % n}.wav\n`));
        files.set(`all_cells/${cell}/${type}/spike${j + 1}`, spikeText(rng, trials, 20, durMs));
        pairs++;
      }
    }
  }
  files.set('cell_regions.csv', enc(regionsCsv));
  files.set('cell_stim_classes.csv', enc(classesCsv));
  files.set('stim_data.csv', enc(stimCsv));
  const dir = writeTree(files, 'aa2-release');
  try {
    readAllMs(dir);
    const base = Math.min(...Array.from({ length: 3 }, () => readAllMs(dir).ms));
    const { bytes } = readAllMs(dir);
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
