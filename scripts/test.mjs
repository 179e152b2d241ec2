// `npm test`: builds the wasm kernels, type-checks, runs the Node suite, then the browser
// suite in real Chromium when one is found. Without Chromium it says so plainly and, under
// CI=true, fails: CI must run both environments.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')]);
run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extra = process.argv.slice(2);
if (existsSync(chromium)) {
  run(bin('vitest'), ['run', ...extra], { CHROMIUM_PATH: chromium });
} else {
  const msg = `browser suite SKIPPED: no Chromium at ${chromium} (install Debian's chromium or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') {
    console.error(`${msg}; CI=true requires it.`);
    process.exit(1);
  }
  run(bin('vitest'), ['run', '--project', 'node', ...extra]);
  console.log(msg);
}
