// Zoo build benchmarks: each dataset's build from a fixture at its real release's scale, as a
// ratio to a same-run baseline (see each bench/zoo/<name>.ts). Each dataset runs in its own Node
// process (a build's store stays in that process's wasm heap). `npm run bench -- zoo`;
// `ZOO_BENCH=aa1,aa2` picks datasets.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchAA1 } from './zoo/aa1.js';
import { benchAA2 } from './zoo/aa2.js';
import { benchAA4 } from './zoo/aa4.js';
import { benchLe2025 } from './zoo/le2025.js';

const benches: Record<string, () => void | Promise<void>> = { aa1: benchAA1, aa2: benchAA2, aa4: benchAA4, le2025: benchLe2025 };
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
