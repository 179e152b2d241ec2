// Le 2025 build at the scale of the real nat8b experiment: 445 units × 96 stimuli (8 motifs ×
// (C, CM + 2 CIs × G, N, GB, CB, GM)) × 8 trials; 2 s wavs at 48 kHz; 5 ms bins. Baseline:
// reading every file back from disk (same run).
import { rmSync } from 'node:fs';
import { Le2025Dataset } from '../../src/zoo/le2025.js';
import { Rng } from '../../src/util/random.js';
import { medianMs, noiseWav, readAllMs, writeTree } from './aa1.js';

const enc = (s: string) => new TextEncoder().encode(s);

export function benchLe2025(): void {
  const rng = new Rng(3);
  const files = new Map<string, Uint8Array>();
  const stems: string[] = [];
  for (let m = 0; m < 8; m++) {
    stems.push(`ep_nat8mk${m}_C`, `ep_nat8mk${m}_CM`);
    for (const ci of [1, 2]) for (const v of ['G', 'N', 'GB', 'CB', 'GM']) stems.push(`ep_nat8mk${m}_${v}_g${ci}`);
  }
  for (const s of stems) files.set(`nat8b-stimuli/${s}.wav`, noiseWav(rng, 96000, 48000));
  files.set('metadata/ephys-birds.csv', enc('bird,uuid,sex,group,age,cohort,sire\n'));
  files.set('metadata/song-birds.csv', enc('bird,nat8b_encoding,gap,gap_start,gap_stop,uuid,group\n'));
  files.set('metadata/recordings.csv', enc('site,bird,probe,stimulus_set,hemisphere,area\n'));
  for (let u = 0; u < Number(process.env.LE_UNITS ?? 445); u++) {
    const pprox = stems.flatMap((name) => Array.from({ length: 8 }, () => ({
      stimulus: { name }, events: Array.from({ length: 20 }, () => +(rng.next() * 2.5 - 0.5).toFixed(5)), interval: [-1, 2.5],
    })));
    files.set(`nat8b-responses/C${u % 20}_1_${u}_c${u}.pprox`, enc(JSON.stringify({ $schema: 'https://meliza.org/spec:2/stimtrial.json#', bird: 'uuid', pprox })));
  }
  const dir = writeTree(files, 'le2025');
  try {
    readAllMs(dir);
    const base = Math.min(...Array.from({ length: 3 }, () => readAllMs(dir).ms));
    const { bytes } = readAllMs(dir);
    const spec = medianMs(1, () => new Le2025Dataset({ path: dir }));
    const wave = medianMs(1, () => new Le2025Dataset({ path: dir, returnWaveform: true, computeReliability: false }));
    console.log(`Le 2025 nat8b (445 units × 96 sounds × 8 trials, ${(bytes / 1e6).toFixed(1)} MB in ${files.size} files)`);
    console.log(`  read every file: ${base.toFixed(1)} ms (baseline)`);
    console.log(`  build, gammatone mode with reliability: ${spec.toFixed(0)} ms = ${(spec / base).toFixed(1)} × baseline`);
    console.log(`  build, waveform mode:                   ${wave.toFixed(0)} ms = ${(wave / base).toFixed(1)} × baseline`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
