/**
 * What differs between Node and browsers, behind one interface. `#platform` resolves to
 * `node.ts` or `browser.ts` through the package's `imports` conditions; nothing else in `src/`
 * imports `node:*` modules or touches DOM-only globals.
 * @module
 */

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
}
