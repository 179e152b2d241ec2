// The zoo's build benchmarks: every `bench*` function exported by bench/zoo/*.ts (one file per
// dataset), each file in its own Node process (a build's store stays in that process's wasm
// heap), in file order. `npm run bench -- zoo` runs them all; `DEEPSTRF_BENCH_ZOO=aa1,nat4` picks
// files. Each function prints its own ratios against a baseline measured in the same process.
// Sizes: DEEPSTRF_BENCH_DOWNER_CHANNELS (default 100 of 1718), DEEPSTRF_BENCH_ALICE_SUBJECTS
// (default 1 of 33); those full-release times are projected linearly.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'zoo');
const one = process.argv[2];
if (one) {
  const mod = (await import(pathToFileURL(join(dir, one)).href)) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(mod)) {
    if (!name.startsWith('bench') || typeof fn !== 'function') continue;
    console.log(`\n--- bench/zoo/${one}: ${name} ---`);
    await (fn as () => void | Promise<void>)();
  }
} else {
  const only = process.env.DEEPSTRF_BENCH_ZOO?.split(',');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    if (only && !only.some((o) => f.startsWith(o))) continue;
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), f], { stdio: 'inherit' });
    if (r.status !== 0) console.log(`bench/zoo/${f} failed (exit ${r.status})`);
  }
}
