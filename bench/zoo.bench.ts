// `npm run bench -- zoo`: each zoo dataset's build time on a synthetic release in its real
// layout, as a ratio to reading/parsing the same files in the same process (bench/zoo/*.ts).
// Sizes: DEEPSTRF_BENCH_DOWNER_CHANNELS (default 100 of 1718), DEEPSTRF_BENCH_ALICE_SUBJECTS
// (default 1 of 33); the full-release time is projected linearly.
import { downer2025BuildTime } from './zoo/downer2025.js';
import { aliceEegBuildTime } from './zoo/alice-eeg.js';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const d = await downer2025BuildTime(Number(process.env.DEEPSTRF_BENCH_DOWNER_CHANNELS ?? 100));
console.log(`Downer2025 (TIMIT, 499 sentences, ${d.channels} channels): build ${s(d.buildMs)}, parse floor ${s(d.parseMs)}, ratio ${d.ratio.toFixed(2)}×; projected 1718 channels: ${s(d.projectedFullMs)}`);
const a = await aliceEegBuildTime(Number(process.env.DEEPSTRF_BENCH_ALICE_SUBJECTS ?? 1));
console.log(`Alice EEG (${a.subjects} subject × 61 ch × 744 s, 12 stimuli): build ${s(a.buildMs)}, read floor ${s(a.readMs)}, ratio ${a.ratio.toFixed(2)}×; projected 33 subjects: ${s(a.projectedFullMs)}`);
