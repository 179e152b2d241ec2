// CRCNS AA2 build from a fixture at the real release's scale: 494 cells, 117 sounds (72
// conspecific, 20 flat ripples, 25 song ripples; 0.5 s at 32 kHz, so the dense 1 ms store stays near 1 GB); every cell heard conspecific
// and songrip, half of them flatrip; 10 trials of ~20 spikes. Baseline: reading every file back.
import { rmSync } from 'node:fs';
import { CRCNSAA2Dataset } from '../../src/zoo/crcns-aa2.js';
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
    const spec = medianMs(1, () => new CRCNSAA2Dataset({ path: dir }));
    console.log(`AA2 (494 cells × 117 sounds × 10 trials, ${(bytes / 1e6).toFixed(1)} MB in ${files.size} files)`);
    console.log(`  read every file: ${base.toFixed(1)} ms (baseline)`);
    console.log(`  build, spectrogram mode: ${spec.toFixed(0)} ms = ${(spec / base).toFixed(1)} × baseline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
