/**
 * What differs between Node and browsers, behind one interface. `#platform` resolves to
 * `node.ts` or `browser.ts` through the package's `imports` conditions; nothing else in `src/`
 * imports `node:*` modules or touches DOM-only globals.
 * @module
 */

import type { FileSource, SyncFileSource, WritableSource } from '../sources/types.js';
import type { Sha256Hasher } from '../download/sha256.js';
import type { CacheEnvironment } from '../download/cache.js';
import type { Endpoint } from 'comlink';
/** The platform services deepstrf needs. */
export interface Platform {
  /** `'node'` or `'browser'`. */
  readonly name: 'node' | 'browser';
  /** Decodes standard base64 to bytes (Node 20 lacks `Uint8Array.fromBase64`). */
  decodeBase64(b64: string): Uint8Array<ArrayBuffer>;
  /** True when a shared `WebAssembly.Memory` can be created and posted to workers. */
  sharedMemoryAvailable(): boolean;
  /** Reads a whole local file (Node: a path; browser: a URL fetched). */
  readFile(path: string): Promise<Uint8Array<ArrayBuffer>>;
  /** Monotonic milliseconds. */
  now(): number;
  /**
   * A new `ArrayBuffer` of `bytes` bytes whose contents are undefined: the caller writes every
   * byte (batch arrays). Node: `Buffer.allocUnsafeSlow` (malloc without zeroing, so memory the
   * allocator recycles stays warm: no page faults, no zero pass); browsers: `new ArrayBuffer`.
   */
  allocUninitialized(bytes: number): ArrayBuffer;
  /**
   * `target.set(source, offset)`, for bytes that may lie in a `SharedArrayBuffer` (the two ranges
   * must not overlap). V8 copies shared memory with relaxed atomic accesses, 8 bytes at a time
   * when source and target are equally aligned mod 8 and byte by byte otherwise. Node: a plain
   * `memcpy` (`Buffer.prototype.fill` with a byte array exactly as long as the range);
   * browsers: `target.set(source, offset)`. The collate's staged copies (docs/loader.md,
   * "Batch memory").
   */
  copyBytes(target: Uint8Array, offset: number, source: Uint8Array): void;
  /**
   * The first position at or after `from` where the bytes of `needle` (not empty) occur in
   * `haystack`, or -1. Node: `Buffer.prototype.indexOf` (a native search, ~2 × the browser's on
   * large files); browsers: `indexOf` of the first byte, then a comparison. Used to find
   * signatures in whole files (src/io/hdf5-guard.ts).
   */
  indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number;
  // --- download ---
  /** A new incremental SHA-256 (Node: `node:crypto`; browsers: the TypeScript implementation). */
  createSha256(): Sha256Hasher;
  /** Opens (creating on first write) a file store: Node, a folder path; browsers, an OPFS path. */
  openWritableSource(root: string): Promise<WritableSource>;
  /**
   * The path `openWritableSource` would open `source` again from (Node: a `NodeFolderSource`'s
   * folder; browsers: an OPFS source's path), or null for any other source. Lets a worker open
   * the same files itself (src/zarr/store-location.ts).
   */
  writableSourceRoot(source: FileSource): string | null;
  /** Environment, OS and home folder for the cache path; `null` in browsers (OPFS is used). */
  cacheEnvironment(): CacheEnvironment | null;
  // --- datasets ---
  /** A local folder as a synchronous file source (Node); browsers throw `TypeError` (use the async `load`). */
  folderSource(path: string): SyncFileSource;
  // --- loader ---
  /**
   * Starts a module worker from `url` and returns its Comlink endpoint and lifecycle handle
   * (Node: `worker_threads`; browsers: a module `Worker`). A `.ts` URL (sources under vitest or
   * tsx) is bundled once per process with esbuild in Node; browsers load it from the dev server.
   */
  createWorker(url: URL, name: string): Promise<WorkerHandle>;
  /** The Comlink endpoint of the current thread when it is a worker (Node: `parentPort`; browsers: `self`). */
  workerEndpoint(): Endpoint;
  /** A URL `import()` can load in a worker or here: `.ts` modules are bundled in Node (dev only). */
  importableModuleUrl(url: string): Promise<string>;
  /** `import(url)` of an absolute URL (a per-item transform module). */
  importModule(url: string): Promise<unknown>;
}

/** A started worker: its Comlink endpoint and lifecycle (see `Platform.createWorker`). */
export interface WorkerHandle {
  readonly endpoint: Endpoint;
  /** Stops the worker immediately. */
  terminate(): Promise<void>;
  /** Called once if the worker stops on its own (exit, uncaught error, failed load). */
  onDeath(listener: (error: Error) => void): void;
  /** Whether this worker keeps a Node process alive (true while it has work; no-op in browsers). */
  setActive(active: boolean): void;
  /**
   * A private channel to this worker beside the endpoint: `remote` is to be transferred to the
   * worker; `post` sends on the channel and `onMessage` gets what the worker posts on `remote`.
   * This end never keeps a Node process alive (`setActive` does), a message that cannot be
   * deserialised counts as the worker's death, and `terminate()` closes the channel.
   */
  openPort(onMessage: (data: unknown) => void): { remote: MessagePort; post(message: unknown, transfer: Transferable[]): void };
}
