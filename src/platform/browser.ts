/** Browser (and Web Worker) implementation of the platform module. @module */
import { createWorker, importModule, importableModuleUrl, workerEndpoint } from './browser-worker.js';
import { Sha256 } from '../download/sha256.js';
import { openOpfsSource, opfsRootOf } from '../sources/opfs.js';
import type { Platform } from './types.js';

/** The browser platform. @example `import { platform } from '#platform'; platform.name // 'browser'` */
export const platform: Platform = {
  name: 'browser',
  decodeBase64: (b64) => {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  },
  sharedMemoryAvailable: () =>
    typeof SharedArrayBuffer !== 'undefined' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  allocUninitialized: (bytes) => new ArrayBuffer(bytes), // browsers have no uninitialised allocation
  copyBytes: (target, offset, source) => target.set(source, offset),
  indexOfBytes: (haystack, needle, from) => {
    for (let at = haystack.indexOf(needle[0], from); at >= 0; at = haystack.indexOf(needle[0], at + 1)) {
      let k = 1;
      while (k < needle.length && haystack[at + k] === needle[k]) k++;
      if (k === needle.length) return at;
    }
    return -1;
  },
  readFile: async (path) => {
    const res = await fetch(path);
    if (!res.ok) throw new Error(`cannot read ${path}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  },
  now: () => performance.now(),
  // --- download ---
  createSha256: () => new Sha256(),
  openWritableSource: (root) => openOpfsSource(root),
  writableSourceRoot: (source) => opfsRootOf(source),
  cacheEnvironment: () => null,
  // --- datasets ---
  folderSource: (path) => {
    throw new TypeError(`cannot read the folder ${path} synchronously in a browser: build datasets with their async factory (e.g. await NS1Dataset.load({ source }))`);
  },
  // --- loader ---
  createWorker,
  workerEndpoint,
  importableModuleUrl,
  importModule,
};
