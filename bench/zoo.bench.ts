// `npm run bench -- zoo`: each zoo dataset's build time on a synthetic release in its real
// layout, as a ratio to a same-run baseline (reading / parsing the same files; bench/zoo/*.ts).
// Each dataset runs in its own Node process (a build's store stays in that process's wasm heap);
// `ZOO_BENCH=aa1,downer2025` picks datasets. Sizes: DEEPSTRF_BENCH_DOWNER_CHANNELS (default 100
// of 1718), DEEPSTRF_BENCH_ALICE_SUBJECTS (default 1 of 33); those full-release times are
// projected linearly.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { downer2025BuildTime } from './zoo/downer2025.js';
import { aliceEegBuildTime } from './zoo/alice-eeg.js';
import { benchAA1 } from './zoo/aa1.js';
import { benchAA2 } from './zoo/aa2.js';
import { benchAA4 } from './zoo/aa4.js';
import { benchLe2025 } from './zoo/le2025.js';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const benches: Record<string, () => void | Promise<void>> = {
  downer2025: async () => {
    const d = await downer2025BuildTime(Number(process.env.DEEPSTRF_BENCH_DOWNER_CHANNELS ?? 100));
    console.log(`Downer2025 (TIMIT, 499 sentences, ${d.channels} channels): build ${s(d.buildMs)}, parse floor ${s(d.parseMs)}, ratio ${d.ratio.toFixed(2)}×; projected 1718 channels: ${s(d.projectedFullMs)}`);
  },
  alice: async () => {
    const a = await aliceEegBuildTime(Number(process.env.DEEPSTRF_BENCH_ALICE_SUBJECTS ?? 1));
    console.log(`Alice EEG (${a.subjects} subject × 61 ch × 744 s, 12 stimuli): build ${s(a.buildMs)}, read floor ${s(a.readMs)}, ratio ${a.ratio.toFixed(2)}×; projected 33 subjects: ${s(a.projectedFullMs)}`);
  },
  aa1: benchAA1,
  aa2: benchAA2,
  aa4: benchAA4,
  le2025: benchLe2025,
};
const one = process.argv[2];
if (one) {
  await benches[one]();
} else {
  const only = process.env.ZOO_BENCH?.split(',');
  for (const name of Object.keys(benches)) {
    if (only && !only.includes(name)) continue;
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
