/**
 * Node side of the loader's workers: `worker_threads` behind Comlink's Node adapter (both ends
 * are wrapped: the parent wraps the `Worker`, the worker wraps `parentPort`). TypeScript
 * entries (running from sources under vitest or tsx) are bundled once per process with esbuild,
 * because a worker thread cannot load `.ts` by itself; the built package ships `.js` workers.
 * @module
 */
import { MessageChannel, Worker, parentPort, threadId, type MessagePort as NodeMessagePort, type TransferListItem as NodeTransferable } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Endpoint } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { WorkerHandle } from './types.js';
import { deathWatch } from './death-watch.js';

const bundles = new Map<string, Promise<string>>();

/**
 * Where bundles go: `node_modules/.cache/deepstrf-bundles` of the sources' package, so that a
 * bundle's package imports (kept external: h5wasm, fflate, comlink) resolve exactly as the
 * sources' do and load only if used. Files are named by a hash of their contents, so processes
 * share them, nothing needs cleaning up, and the folder holds one file per distinct source.
 */
function bundleDirFor(root: string): string {
  const dir = join(root, 'node_modules', '.cache', 'deepstrf-bundles');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The nearest folder at or above `from` that has a `node_modules` folder, or null. */
function packageRoot(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** Bundles a `.ts` module (and the sources it imports) into one `.mjs` file; cached per process. */
function bundleTs(url: string): Promise<string> {
  let p = bundles.get(url);
  if (!p) {
    p = (async () => {
      // esbuild is a dev dependency: only sources (never the built package) reach this line.
      const { build } = await import('esbuild');
      const entry = fileURLToPath(url);
      const root = packageRoot(dirname(entry));
      const out = await build({
        entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', target: 'node20',
        conditions: ['node'], write: false, logLevel: 'silent', packages: root ? 'external' : undefined, external: ['esbuild'],
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      });
      const bytes = out.outputFiles[0].contents;
      const dir = bundleDirFor(root ?? tmpdir());
      const file = join(dir, `${basename(entry, '.ts')}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.mjs`);
      if (!existsSync(file)) {
        const part = `${file}.${process.pid}.${threadId}.part`;
        writeFileSync(part, bytes);
        renameSync(part, file); // atomic: a concurrent process sees the whole file or none
      }
      return pathToFileURL(file).href;
    })();
    bundles.set(url, p);
  }
  return p;
}

/** See `Platform.importableModuleUrl`. */
export async function importableModuleUrl(url: string): Promise<string> {
  return url.startsWith('file:') && /\.(c|m)?ts$/.test(url) ? bundleTs(url) : url;
}

// Flags of the parent that must not reach a worker: how the parent's own script was given
// (-e, -p, stdin's --input-type), the inspector and debugger ports, the test runner, watch
// mode, and module hooks (--import, --require, --loader: the worker runs a bundled .mjs/.js
// entry and needs none). Each maps to whether it takes the next argument as its value.
const DROPPED: Record<string, boolean> = {
  '-e': true, '--eval': true, '-p': true, '--print': true, '--input-type': true,
  '-i': false, '--interactive': false, '-c': false, '--check': false,
  '--import': true, '-r': true, '--require': true, '--loader': true, '--experimental-loader': true,
  '--inspect': false, '--inspect-brk': false, '--inspect-wait': false, '--inspect-port': true, '--debug-port': true,
  '--watch': false, '--watch-path': true, '--watch-preserve-output': false,
  '--test': false, '--test-only': false, '--test-name-pattern': true, '--test-reporter': true,
  '--test-reporter-destination': true, '--test-concurrency': true, '--test-shard': true, '--test-timeout': true,
  '--test-skip-pattern': true, '--test-coverage-include': true, '--test-coverage-exclude': true,
};
const TS_ENTRY = /\.(c|m)?ts$/;

/**
 * The parent's `execArgv` minus the flags a worker must not inherit (see `DROPPED`); module
 * hooks stay only for a TypeScript entry (never ours: those are bundled first). Kept:
 * `--experimental-*`, `--expose-gc`, memory limits, `--conditions` and the rest.
 * @example
 * ```ts
 * workerExecArgv(['--input-type=module', '-e', 'code', '--expose-gc'], 'file:///w.mjs'); // ['--expose-gc']
 * ```
 */
export function workerExecArgv(execArgv: readonly string[], entry: string): string[] {
  const keepHooks = TS_ENTRY.test(new URL(entry).pathname);
  const hooks = new Set(['--import', '-r', '--require', '--loader', '--experimental-loader']);
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const takesValue = DROPPED[flag];
    if (takesValue === undefined || (keepHooks && hooks.has(flag))) {
      out.push(arg);
      if (takesValue && eq < 0 && i + 1 < execArgv.length) out.push(execArgv[++i]);
      continue;
    }
    if (takesValue && eq < 0) i++; // skip its value too
  }
  return out;
}

/** See `Platform.createWorker`. */
export async function createWorker(url: URL, name: string): Promise<WorkerHandle> {
  const href = await importableModuleUrl(url.href);
  let worker: Worker;
  try {
    worker = new Worker(new URL(href), { name, execArgv: workerExecArgv(process.execArgv, href) });
  } catch (e) {
    // A flag Node does not allow in workers (per-process options such as --title): start bare.
    if ((e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    worker = new Worker(new URL(href), { name, execArgv: [] });
  }
  const watch = deathWatch();
  const die = watch.die;
  worker.on('error', (e: Error) => die(e));
  worker.on('exit', (code: number) => die(new Error(`worker ${name} exited with code ${code}`)));
  worker.unref();
  const ports: NodeMessagePort[] = [];
  return {
    endpoint: nodeEndpoint(worker) as Endpoint,
    terminate: async () => {
      watch.stopping();
      worker.ref(); // an unref'd worker would let the process end before terminate() settles
      await worker.terminate();
      for (const p of ports) p.close();
    },
    onDeath: watch.onDeath,
    // Once stopping, the worker stays ref'd until terminate() settles (or the process could end first).
    setActive: (active) => (watch.isStopping ? undefined : active ? worker.ref() : worker.unref()),
    openPort: (onMessage) => {
      const { port1, port2 } = new MessageChannel();
      port1.on('message', onMessage);
      port1.on('messageerror', (e: Error) => die(e));
      port1.unref(); // after the listener (which refs it): the worker's own ref (setActive) keeps the process alive while a batch is due
      ports.push(port1);
      return { remote: port2 as unknown as MessagePort, post: (message, transfer) => port1.postMessage(message, transfer as NodeTransferable[]) };
    },
  };
}

/** See `Platform.workerEndpoint`. */
export function workerEndpoint(): Endpoint {
  if (!parentPort) throw new Error('workerEndpoint() called outside a worker thread');
  return nodeEndpoint(parentPort) as Endpoint;
}

/** See `Platform.importModule`. */
export function importModule(url: string): Promise<unknown> {
  return import(/* @vite-ignore */ url);
}
