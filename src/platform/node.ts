/** Node implementation of the platform module. @module */
import { readFile as fsReadFile } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { createWorker, importModule, importableModuleUrl, workerEndpoint } from './node-worker.js';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { NodeFolderSource } from '../sources/node-folder.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { H5WasmModule, Platform } from './types.js';
import { openHdf5At } from './h5-handle.js';

let h5wasmNode: Promise<H5WasmModule> | null = null;

/** The Node platform. @example `import { platform } from '#platform'; platform.name // 'node'` */
export const platform: Platform = {
  name: 'node',
  decodeBase64: (b64) => {
    const buf = Buffer.from(b64, 'base64');
    return new Uint8Array(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength);
  },
  sharedMemoryAvailable: () => true,
  readFile: async (path) => {
    const buf = await fsReadFile(path);
    return new Uint8Array(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength);
  },
  now: () => performance.now(),
  // An unpooled Buffer owns its whole ArrayBuffer (byteOffset 0, exactly `bytes` long).
  allocUninitialized: (bytes) => Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer,
  // --- download ---
  createSha256: () => {
    const h = createHash('sha256');
    return { update: (data) => void h.update(data), hex: () => h.digest('hex') };
  },
  openWritableSource: async (root) => new NodeFolderSource(root),
  writableSourceRoot: (source) => (source instanceof NodeFolderSource ? source.root : null),
  cacheEnvironment: () => ({ env: process.env, os: process.platform, home: homedir() }),
  // --- io ---
  openHdf5: async (bytes) => {
    // The Node build of h5wasm reads the real file system (NODERAWFS): go through a private temp file.
    h5wasmNode ??= import('h5wasm/node').then(async (m) => {
      await m.ready;
      return m as unknown as H5WasmModule;
    });
    const h5 = await h5wasmNode;
    const dir = mkdtempSync(join(tmpdir(), 'deepstrf-h5-'));
    const path = join(dir, 'data.h5');
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    try {
      writeFileSync(path, bytes);
    } catch (e) {
      cleanup();
      throw e;
    }
    return openHdf5At(h5, path, cleanup);
  },
  // --- datasets ---
  folderSource: (path) => new NodeFolderSource(path),
  // --- loader ---
  createWorker,
  workerEndpoint,
  importableModuleUrl,
  importModule,
};
