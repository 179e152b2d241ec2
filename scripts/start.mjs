// `npm start`: builds the package, then runs the main job on the embedded default dataset:
// `deepstrf fit synthetic` (a linear STRF per neuron, the per-neuron table with each STRF's
// correlation with the ground truth, and build/fit-synthetic/report.html + model.json).
// Extra arguments go to the job: `npm start -- --seed 3 --lags 10`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Ctrl-C reaches the whole process group: the job handles it (stops, exit 130); this process
// only waits for it and passes its exit code on.
process.on('SIGINT', () => {});
const step = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? (r.signal === 'SIGINT' ? 130 : 1));
};
step([join(root, 'scripts', 'build.mjs')]);
step([join(root, 'bin', 'deepstrf.mjs'), 'fit', 'synthetic', '--out', join(root, 'build', 'fit-synthetic'), ...process.argv.slice(2)]);
