// `npm run build`: wasm kernels, then with esbuild
//   dist/index.js            Node ESM entry (dependencies stay external)
//   dist/browser/index.js    browser ESM bundle (self-contained)
//   dist/cli.js              the `deepstrf` command (launched by bin/deepstrf.mjs)
//   dist/[browser/]workers/  worker entries (added by the loader)
// the .wasm files copied next to each output, and type declarations under dist/types.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { workerUrlPlugin } from './worker-url-plugin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs')], { stdio: 'inherit' });

const workerEntries = existsSync(join(root, 'workers'))
  ? readdirSync(join(root, 'workers')).filter((f) => f.endsWith('.ts')).map((f) => join(root, 'workers', f))
  : [];
const common = { bundle: true, format: 'esm', target: 'es2022', sourcemap: true, keepNames: true, logLevel: 'warning', plugins: [workerUrlPlugin] };

const entries = (outdir) => ({
  index: join(root, 'src', 'index.ts'),
  ...Object.fromEntries(workerEntries.map((w) => [join('workers', w.split(/[\\/]/).pop().replace(/\.ts$/, '')), w])),
});

// Node: one ESM entry per file, dependencies external (h5wasm, fflate, comlink are installed).
await build({ ...common, entryPoints: entries(dist), outdir: dist, platform: 'node', conditions: ['node'], packages: 'external' });
// The `deepstrf` command (bin/deepstrf.mjs imports dist/cli.js).
await build({ ...common, entryPoints: { cli: join(root, 'src', 'cli', 'main.ts') }, outdir: dist, platform: 'node', conditions: ['node'], packages: 'external' });
// Browser: the entry and the workers in ONE build with code splitting, so each module ships once:
// code they share is a common chunk, and lazily imported modules (h5wasm, ~6 MB with its wasm)
// are their own chunk, fetched only when an HDF5 file is read (workers never read one). No
// source maps for the self-contained browser bundle (h5wasm's alone weigh 13 MB).
const browserDir = join(dist, 'browser');
await build({ ...common, sourcemap: false, entryPoints: entries(browserDir), outdir: browserDir, platform: 'browser', conditions: ['browser'], splitting: true, chunkNames: 'chunks/[name]-[hash]' });
for (const outdir of [dist, browserDir]) {
  mkdirSync(outdir, { recursive: true });
  for (const f of ['deepstrf.wasm', 'deepstrf.shared.wasm']) copyFileSync(join(root, 'build', f), join(outdir, f));
}

execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
writeFileSync(join(dist, 'index.d.ts'), "export * from './types/src/index.js';\n");
console.log('built dist/index.js, dist/browser/index.js, dist/index.d.ts');
