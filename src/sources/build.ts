/**
 * One build function per dataset, run synchronously or asynchronously. A zoo loader writes its
 * build as a generator that yields file requests (`yield* fs.read(path)`) and returns what it
 * built; {@link runSync} answers the requests from a {@link SyncFileSource} (the synchronous
 * `new X({ path })` in Node), {@link runAsync} from any {@link FileSource} (`await X.load(...)`,
 * everywhere). The same code parses every file once, whichever way it runs.
 * @module
 */
import { heapScoped } from '../memory/build-scope.js';
import type { EntryInfo, FileSource, SyncFileSource } from './types.js';

/**
 * A file request yielded by a build.
 * @example
 * ```ts
 * const r: SourceRequest = { op: 'read', path: 'a.mat' };
 * ```
 */
export type SourceRequest =
  | { readonly op: 'read'; readonly path: string; readonly start?: number; readonly end?: number }
  | { readonly op: 'stat'; readonly path: string }
  | { readonly op: 'list'; readonly path: string };

/**
 * A build: a generator yielding {@link SourceRequest}s and returning `T`.
 * @example
 * ```ts
 * function* size(path: string): Build<number> { return (yield* fs.read(path)).length; }
 * ```
 */
export type Build<T> = Generator<SourceRequest, T, unknown>;

/** A folder entry as `list` returns it. @example `{ name: 'a.wav', kind: 'file' }` */
export interface ListEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory';
}

/**
 * The requests a build can make, as sub-generators: `const bytes = yield* fs.read('a.mat')`.
 * @example
 * ```ts
 * function* build(): Build<string[]> {
 *   const names = (yield* fs.list('')).map((e) => e.name);
 *   if ((yield* fs.stat('meta.json')) === null) throw new Error('meta.json missing');
 *   return names;
 * }
 * ```
 */
export const fs = {
  /** Bytes `[start, end)` of a file (whole file by default). */
  *read(path: string, start?: number, end?: number): Generator<SourceRequest, Uint8Array, unknown> {
    return (yield { op: 'read', path, start, end }) as Uint8Array;
  },
  /** Kind and size, `null` when absent. */
  *stat(path: string): Generator<SourceRequest, EntryInfo | null, unknown> {
    return (yield { op: 'stat', path }) as EntryInfo | null;
  },
  /** Entries directly inside a folder (`''` = the root). */
  *list(path: string): Generator<SourceRequest, ListEntry[], unknown> {
    return (yield { op: 'list', path }) as ListEntry[];
  },
};

/**
 * Runs a build against a synchronous source.
 * @example
 * ```ts
 * const n = runSync(size('a.bin'), new MemorySource({ 'a.bin': new Uint8Array(3) })); // 3
 * ```
 */
export function runSync<T>(build: Build<T>, source: SyncFileSource): T {
  let step = (build = heapScoped(build)).next(); // a failed build gives back the wasm memory it took
  while (!step.done) {
    const r = step.value;
    let answer: unknown;
    try {
      answer = r.op === 'read' ? source.readSync(r.path, r.start, r.end) : r.op === 'stat' ? source.statSync(r.path) : source.listSync(r.path);
    } catch (e) {
      step = build.throw(e);
      continue;
    }
    step = build.next(answer);
  }
  return step.value;
}

/**
 * Runs a build against any source (Node folder, OPFS, a picked folder, HTTP, memory).
 * @example
 * ```ts
 * const n = await runAsync(size('a.bin'), source);
 * ```
 */
export async function runAsync<T>(build: Build<T>, source: FileSource): Promise<T> {
  let step = (build = heapScoped(build)).next(); // a failed build gives back the wasm memory it took
  while (!step.done) {
    const r = step.value;
    let answer: unknown;
    try {
      answer = r.op === 'read' ? await source.read(r.path, r.start, r.end) : r.op === 'stat' ? await source.stat(r.path) : await source.list(r.path);
    } catch (e) {
      step = build.throw(e);
      continue;
    }
    step = build.next(answer);
  }
  return step.value;
}
