// `npm run bench`: builds the wasm kernels, then runs every bench/*.bench.ts in its own Node
// process (so one benchmark's heap does not disturb the next) and prints their figures.
// Each benchmark prints ratios against a baseline measured in the same process.
// `npm run bench -- collate` runs only the benchmarks whose file name contains "collate".
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run([join(root, 'scripts', 'build-wasm.mjs')]);
const filter = process.argv[2] ?? '';
const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  run(['--expose-gc', '--import', 'tsx', join(root, 'bench', f)]);
}
