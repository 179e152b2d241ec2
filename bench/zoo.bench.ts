// Zoo build benchmarks: each dataset's build from a fixture at its real release's scale, as a
// ratio to a same-run baseline (see each bench/zoo/<name>.ts). `npm run bench -- zoo`.
import { benchAA1 } from './zoo/aa1.js';

const benches: Array<[string, () => void | Promise<void>]> = [['aa1', benchAA1]];
const only = process.env.ZOO_BENCH;
for (const [name, run] of benches) if (!only || only.split(',').includes(name)) await run();
