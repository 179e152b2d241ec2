// NAT4 A1 at the real cell count with 29 of the 575 estimation sounds (bench/zoo/nems-build.ts).
import { NAT4Dataset } from '../../src/zoo/nat4.js';
import { nat4BenchFiles } from '../../test/helpers/zoo/nems-bench.js';
import { timeNemsBuild } from './nems-build.js';

/** Builds NAT4 once (≈15 s) and prints the build time and its ratio to the baseline. */
export async function benchNAT4(): Promise<void> {
  await timeNemsBuild(
    'NAT4 A1 at the real cell count (849 cells, 30 sites, 18 val sounds × 20 repeats) with 29 of the 575 estimation sounds (the population CSV at full size is 1.9 GB)',
    await nat4BenchFiles(29), (source) => NAT4Dataset.load({ source }), 1);
}
