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
import { FormatError } from '../errors.js';

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
  | { readonly op: 'list'; readonly path: string }
  | { readonly op: 'root' }
  | { readonly op: 'prefetch'; readonly paths: readonly string[] };

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
  /** The source's `root` (for messages: see {@link fileLabel}). */
  *root(): Generator<SourceRequest, string, unknown> {
    return (yield { op: 'root' }) as string;
  },
  /**
   * A hint: the build will read these whole files in this order. `runAsync` reads a few ahead
   * in parallel (latency of HTTP, OPFS); `runSync` ignores it. Reading them is still `fs.read`.
   */
  *prefetch(paths: readonly string[]): Generator<SourceRequest, void, unknown> {
    yield { op: 'prefetch', paths };
  },
};

/**
 * How a file of a source is named in messages: the source's root joined with the relative path.
 * @example
 * ```ts
 * fileLabel('/data/NS1', 'a/b.mat'); // '/data/NS1/a/b.mat'
 * fileLabel('https://m.org/NS1/', 'a.mat'); // 'https://m.org/NS1/a.mat'
 * ```
 */
export function fileLabel(root: string, path: string): string {
  return root === '' ? path : root.endsWith('/') || root.endsWith(':') ? `${root}${path}` : `${root}/${path}`;
}

/**
 * A file of a dataset that could not be read or parsed, naming it twice: `file` (the full label,
 * as every `FormatError`) and `source` + `path` (the source's root and the path relative to it).
 * The cause is kept in `cause`.
 * @example
 * ```ts
 * catch (e) { if (e instanceof SourceFileError) console.log(e.source, e.path, e.message); }
 * ```
 */
export class SourceFileError extends FormatError {
  /** The source's root. */
  readonly source: string;
  /** The file's path relative to the root. */
  readonly path: string;
  constructor(source: string, path: string, message: string, offset?: number, options?: { cause?: unknown }) {
    super(fileLabel(source, path), message, offset, options);
    this.name = 'SourceFileError';
    this.source = source;
    this.path = path;
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs `parse` (the parsing of the file `path` of `source`) and turns any error that is not
 * already a `FormatError` into a {@link SourceFileError} naming the file, so that nothing raised
 * while building a dataset leaves the file unnamed.
 * @example
 * ```ts
 * const wav = parsing(root, 'a.wav', () => prepareWaveform(decodeWav(bytes).data, { fromFs: 0 }));
 * // SourceFileError: /data/a.wav: sample rates must be positive, …
 * ```
 */
export function parsing<T>(source: string, path: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new SourceFileError(source, path, messageOf(e), undefined, { cause: e });
  }
}

/** A failed source request as a {@link SourceFileError} (the raw error, e.g. `EISDIR`, in `cause`). */
function requestError(root: string, r: SourceRequest, e: unknown): unknown {
  if (e instanceof FormatError || r.op === 'root' || r.op === 'prefetch' || (e as { name?: string }).name === 'AbortError') return e;
  const code = (e as { code?: string }).code;
  const what = r.op === 'read' ? 'cannot read' : r.op === 'stat' ? 'cannot stat' : 'cannot list';
  const why = code === 'EISDIR' ? 'is a folder, expected a file' : code === 'ENOENT' ? 'no such file' : messageOf(e);
  return new SourceFileError(root, r.path, `${what}: ${why}`, undefined, { cause: e });
}

/**
 * Runs a build against a synchronous source. A request the source cannot answer is thrown into
 * the build as a {@link SourceFileError} naming the file (the raw error in `cause`).
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
      answer = r.op === 'read' ? source.readSync(r.path, r.start, r.end) : r.op === 'stat' ? source.statSync(r.path) : r.op === 'list' ? source.listSync(r.path) : r.op === 'root' ? source.root : undefined;
    } catch (e) {
      step = build.throw(requestError(source.root, r, e));
      continue;
    }
    step = build.next(answer);
  }
  return step.value;
}

/**
 * Options of {@link runAsync}.
 * @example
 * ```ts
 * const o: RunAsyncOptions = { signal: AbortSignal.timeout(60_000), readAhead: 6 };
 * ```
 */
export interface RunAsyncOptions {
  /** Stops the build before its next request, rejecting with the signal's reason. */
  signal?: AbortSignal;
  /** After `fs.prefetch`, whole files read in parallel beyond the one the build waits for (default 4; 0 = none). */
  readAhead?: number;
}

/**
 * Runs a build against any source (Node folder, OPFS, a picked folder, HTTP, memory). Failed
 * requests reach the build as in {@link runSync}. After `fs.prefetch(paths)`, up to `readAhead`
 * of those files are read while the build waits for or parses an earlier one; each is still
 * delivered (or its error thrown) at the build's own `fs.read`.
 * @example
 * ```ts
 * const n = await runAsync(size('a.bin'), source, { signal: AbortSignal.timeout(10_000) });
 * ```
 */
export async function runAsync<T>(build: Build<T>, source: FileSource, options: RunAsyncOptions = {}): Promise<T> {
  const ahead = options.readAhead ?? 4;
  const queue: string[] = [];
  const pending = new Map<string, Promise<Uint8Array>>();
  const fill = () => {
    while (pending.size < ahead && queue.length > 0) {
      const p = queue.shift()!;
      if (pending.has(p)) continue;
      const read = source.read(p);
      read.catch(() => {}); // delivered (or thrown) when the build reads it
      pending.set(p, read);
    }
  };
  build = heapScoped(build); // a failed or abandoned build gives back the wasm memory it took
  let step = build.next();
  while (!step.done) {
    if (options.signal?.aborted) {
      build.return(undefined as T); // runs the build's finally blocks
      throw options.signal.reason;
    }
    const r = step.value;
    let answer: unknown;
    try {
      if (r.op === 'read') {
        const early = !r.start && r.end === undefined ? pending.get(r.path) : undefined;
        if (early) pending.delete(r.path);
        fill();
        answer = await (early ?? source.read(r.path, r.start, r.end));
      } else if (r.op === 'prefetch') {
        queue.push(...r.paths);
        fill();
      } else {
        answer = r.op === 'stat' ? await source.stat(r.path) : r.op === 'list' ? await source.list(r.path) : source.root;
      }
    } catch (e) {
      step = build.throw(requestError(source.root, r, e));
      continue;
    }
    step = build.next(answer);
  }
  return step.value;
}
