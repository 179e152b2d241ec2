// CRCNS AA4 build at the scale of one real bird (LblBlu2028M: 53 units × 137 stimuli × 10
// trials; 1 s wavs at 24 414 Hz). Every unit file holds the same 137 stimulus groups (written once
// with h5wasm, latest format: the trial groups of a stimulus are stored densely, in a fractal heap).
// Baseline: reading every file back from disk (same run). Both the synchronous constructor and
// load() are timed (the same build; unit files read by src/io/hdf5-sync.ts).
import { rmSync } from 'node:fs';
import { CRCNSAA4Dataset } from '../../src/zoo/crcns-aa4.js';
import { Rng } from '../../src/util/random.js';
import { buildH5 } from '../../test/io/helpers/h5-writer.js';
import { noiseWav, readAllMs, writeTree } from './aa1.js';

export async function benchAA4(): Promise<void> {
  const rng = new Rng(5);
  const bird = 'LblBlu2028M';
  const units = Number(process.env.AA4_UNITS ?? 53), nStims = 137, trials = 10;
  const files = new Map<string, Uint8Array>();
  for (let s = 0; s < nStims; s++) files.set(`${bird}/wavfiles/stim${s}.wav`, noiseWav(rng, 24414, 24414));
  const unit = await buildH5((f) => {
    f.create_attribute('sortType', 'single');
    f.create_attribute('site', 'Site1');
    f.create_attribute('electrode', 3);
    const groups = ['Call', 'Song', 'Ripple'].map((n) => f.create_group(n));
    for (let s = 0; s < nStims; s++) {
      const g = groups[s % 3].create_group(String(s));
      g.create_attribute('stim_type', ['call', 'song', 'mlnoise'][s % 3]);
      g.create_attribute('stim_md5', `md5-${s}`);
      g.create_attribute('stim_class', 'Te');
      g.create_attribute('stim_duration', 1.0);
      for (let t = 0; t < trials; t++) {
        const times = Float64Array.from({ length: 20 }, () => rng.next() * 1.2 - 0.2);
        g.create_group(String(t)).create_dataset({ name: 'spike_times', data: times, shape: [times.length] });
      }
    }
  });
  for (let u = 0; u < units; u++) files.set(`${bird}/Site1_L1400R1400_e${u}_s0.h5`, unit);
  const dir = writeTree(files, 'aa4');
  try {
    readAllMs(dir);
    const base = Math.min(...Array.from({ length: 3 }, () => readAllMs(dir).ms));
    const { bytes } = readAllMs(dir);
    let t = performance.now();
    await CRCNSAA4Dataset.load({ path: dir, animals: [bird] });
    const ms = performance.now() - t;
    t = performance.now();
    new CRCNSAA4Dataset({ path: dir, animals: [bird] });
    const msSync = performance.now() - t;
    console.log(`AA4 (one bird: ${units} units × ${nStims} sounds × ${trials} trials, ${(bytes / 1e6).toFixed(1)} MB in ${files.size} files)`);
    console.log(`  read every file: ${base.toFixed(1)} ms (baseline)`);
    console.log(`  load(), spectrogram mode: ${ms.toFixed(0)} ms = ${(ms / base).toFixed(1)} × baseline`);
    console.log(`  new CRCNSAA4Dataset(), spectrogram mode: ${msSync.toFixed(0)} ms = ${(msSync / base).toFixed(1)} × baseline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
