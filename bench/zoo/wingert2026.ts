// Wingert 2026 at the real per-session counts for 4 of the 68 sessions (bench/zoo/nems-build.ts).
import { Wingert2026Dataset } from '../../src/zoo/wingert2026.js';
import { wingertBenchFiles } from '../../test/helpers/zoo/nems-bench.js';
import { timeNemsBuild } from './nems-build.js';

/** Builds Wingert 2026 once (≈20 s) and prints the build time and its ratio to the baseline. */
export async function benchWingert2026(): Promise<void> {
  await timeNemsBuild(
    'Wingert 2026 at the real per-session counts (46 cells, 106 stimuli of 32 × 2000, val R 10) for 4 of the 68 sessions',
    await wingertBenchFiles(4), (source) => Wingert2026Dataset.load({ source }), 1);
}
