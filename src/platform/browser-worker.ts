/**
 * Browser side of the loader's workers: module Web Workers, whose `postMessage` is already a
 * Comlink endpoint. Uncaught errors in the worker (including a failed module load) count as
 * its death, so the loader rejects instead of waiting for a reply that will never come.
 * @module
 */
import type { Endpoint } from 'comlink';
import type { WorkerHandle } from './types.js';
import { deathWatch } from './death-watch.js';

/** See `Platform.createWorker`. */
export async function createWorker(url: URL, name: string): Promise<WorkerHandle> {
  const worker = new Worker(url, { type: 'module', name });
  const watch = deathWatch();
  const die = watch.die;
  worker.addEventListener('error', (ev: ErrorEvent) => {
    ev.preventDefault();
    die(new Error(`worker ${name} failed: ${ev.message || 'uncaught error or module load failure'}${ev.filename ? ` (${ev.filename}:${ev.lineno})` : ''}`));
  });
  const undeserialisable = () => die(new Error(`worker ${name}: a message could not be deserialised`));
  worker.addEventListener('messageerror', undeserialisable);
  const ports: MessagePort[] = [];
  return {
    endpoint: worker as unknown as Endpoint,
    terminate: async () => {
      watch.stopping();
      worker.terminate();
      for (const p of ports) p.close();
    },
    onDeath: watch.onDeath,
    setActive: () => undefined,
    openPort: (onMessage) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = (ev) => onMessage(ev.data);
      port1.onmessageerror = undeserialisable;
      ports.push(port1);
      return { remote: port2, post: (message, transfer) => port1.postMessage(message, transfer) };
    },
  };
}

/** See `Platform.workerEndpoint`. */
export function workerEndpoint(): Endpoint {
  return globalThis as unknown as Endpoint;
}

/** See `Platform.importableModuleUrl`: browsers (and the Vite dev server) load URLs as given. */
export async function importableModuleUrl(url: string): Promise<string> {
  return url;
}

// `import()` compiled at run time, so that no bundler or test runner rewrites it (vitest's
// browser runner wraps `import()` in a helper that does not exist inside a worker). A page whose
// CSP forbids eval gets the plain `import()`.
const nativeImport: (url: string) => Promise<unknown> = (() => {
  try {
    return new Function('u', 'return import(u)') as (url: string) => Promise<unknown>;
  } catch {
    return (url: string) => import(/* @vite-ignore */ url);
  }
})();

/** See `Platform.importModule`. */
export function importModule(url: string): Promise<unknown> {
  return nativeImport(url);
}
