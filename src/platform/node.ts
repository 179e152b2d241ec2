/** Node implementation of the platform module. @module */
import { readFile as fsReadFile } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { createWorker, importModule, importableModuleUrl, workerEndpoint } from './node-worker.js';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { NodeFolderSource } from '../sources/node-folder.js';
import type { Platform } from './types.js';

const fillBytes = Buffer.prototype.fill as (this: Uint8Array, value: Uint8Array, offset: number, end: number) => Uint8Array;
const indexOfBuffer = Buffer.prototype.indexOf as (this: Uint8Array, value: Uint8Array, from: number) => number;

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
  // Buffer#fill with a byte-array value is a memcpy of it (repeated: once here, as long as the
  // range), also out of and into shared memory; an empty value would throw.
  copyBytes: (target, offset, source) => {
    if (source.length > 0) fillBytes.call(target, source, offset, offset + source.length);
  },
  // A start past the end would be taken from the end by Buffer#indexOf: nothing is found there.
  indexOfBytes: (haystack, needle, from) => (from >= haystack.length ? -1 : indexOfBuffer.call(haystack, needle, from)),
  // --- download ---
  createSha256: () => {
    const h = createHash('sha256');
    return { update: (data) => void h.update(data), hex: () => h.digest('hex') };
  },
  openWritableSource: async (root) => new NodeFolderSource(root),
  writableSourceRoot: (source) => (source instanceof NodeFolderSource ? source.root : null),
  cacheEnvironment: () => ({ env: process.env, os: process.platform, home: homedir() }),
  // --- datasets ---
  folderSource: (path) => new NodeFolderSource(path),
  // --- loader ---
  createWorker,
  workerEndpoint,
  importableModuleUrl,
  importModule,
};
