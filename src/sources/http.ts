/**
 * `HttpSource`: a read-only `FileSource` over an HTTP(S) base URL — a mirror or a static server
 * holding a dataset's files under their relative paths. Byte ranges are read with
 * `Range: bytes=a-b` (206 and its `Content-Range` checked; a server that ignores `Range` and
 * answers 200 is handled by slicing the whole body). HTTP has no directory listing, so the tree
 * comes from the dataset's file list (its download manifest); sizes come from that list, else
 * from a `HEAD` request.
 * @module
 */
import type { EntryInfo, FileSource } from './types.js';
import { FormatError, ValueError } from '../errors.js';
import { normaliseRelativePath, splitPath } from '../download/manifest.js';
import { FileTree } from './tree.js';

/**
 * A request to an {@link HttpSource} that failed: an error status (`status`), a network failure
 * (`status` undefined: refused, DNS, TLS, …), or a reply that is not the bytes asked for.
 * `file` is the URL.
 * @example
 * ```ts
 * try { await src.read('a.mat'); } catch (e) { if (e instanceof HttpSourceError) console.log(e.url, e.status); }
 * ```
 */
export class HttpSourceError extends FormatError {
  /** The URL requested. */
  readonly url: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  constructor(url: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(url, message, undefined, options);
    this.name = 'HttpSourceError';
    this.url = url;
    this.status = status;
  }
}

/**
 * Options of {@link HttpSource}.
 * @example
 * ```ts
 * const o: HttpSourceOptions = { files: [{ path: 'a.mat', size: 5217 }] };
 * ```
 */
export interface HttpSourceOptions {
  /** The files under the base URL (relative paths, sizes when known): the listing and the stat answers. */
  files?: ReadonlyArray<{ readonly path: string; readonly size?: number }>;
  /**
   * `files` names every file there is (e.g. a server's full index): a path it does not list is
   * absent, answered without a request (default false: an unlisted path is asked for with `HEAD`,
   * as a manifest may leave out optional files).
   */
  complete?: boolean;
  /** The fetch implementation (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Extra request headers (e.g. authorisation). */
  headers?: Record<string, string>;
  /** Cancels every request. */
  signal?: AbortSignal;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** Why a fetch rejected, in words (Node puts the system error code in `cause`). */
function networkReason(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found (DNS)';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code && /CERT|TLS|SSL/.test(code)) return `TLS failure (${code})`;
  return [e instanceof Error ? e.message : String(e), cause?.message].filter(Boolean).join(': ');
}

/**
 * Files under an HTTP base URL.
 * @example
 * ```ts
 * import { HttpSource, NS1Dataset, NS1_RELEASE_FILES } from 'deepstrf';
 * const src = new HttpSource('https://mirror.example.org/NS1/', { files: NS1_RELEASE_FILES });
 * const ds = await NS1Dataset.load({ source: src, singleUnitsOnly: true });
 * ```
 */
export class HttpSource implements FileSource {
  /** The base URL, ending with `/`. */
  readonly root: string;
  /** The listed files, each with its listed size (undefined: ask the server). */
  private readonly tree = new FileTree<{ size: number | undefined }>();
  private readonly listed: boolean;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string, private readonly options: HttpSourceOptions = {}) {
    let base: URL;
    try {
      base = new URL(baseUrl);
    } catch {
      throw new ValueError(`HttpSource: "${baseUrl}" is not an absolute URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ValueError(`HttpSource: "${baseUrl}" is not an http(s) URL`);
    this.root = base.href.endsWith('/') ? base.href : `${base.href}/`;
    this.fetchImpl = options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
    this.listed = options.files !== undefined;
    for (const f of options.files ?? []) {
      this.tree.add(normaliseRelativePath(f.path, 'file path'), { size: f.size });
    }
  }

  /**
   * The options another thread needs to open the same source (`new HttpSource(root, options)`):
   * the file list and the headers; null when a custom `fetch` was given (a function cannot be
   * posted to a worker). The `signal` is left out.
   * @example
   * ```ts
   * const o = src.cloneableOptions(); // in a worker: new HttpSource(src.root, o ?? {})
   * ```
   */
  cloneableOptions(): HttpSourceOptions | null {
    const { files, complete, headers, fetch: custom } = this.options;
    if (custom) return null;
    return { ...(files && { files: files.map((f) => ({ path: f.path, size: f.size })) }), ...(complete !== undefined && { complete }), ...(headers && { headers: { ...headers } }) };
  }

  /** The URL of a relative path (each component percent-encoded). */
  url(path: string): string {
    return this.root + splitPath(normaliseRelativePath(path)).map(encodeURIComponent).join('/');
  }

  private async request(url: string, method: 'GET' | 'HEAD', range?: string): Promise<Response> {
    const headers: Record<string, string> = { ...this.options.headers };
    if (range) headers.Range = range;
    try {
      return await this.fetchImpl(url, { method, headers, signal: this.options.signal });
    } catch (e) {
      if ((e as { name?: string }).name === 'AbortError') throw e;
      throw new HttpSourceError(url, `request failed: ${networkReason(e)}`, undefined, { cause: e });
    }
  }

  async stat(path: string): Promise<EntryInfo | null> {
    const key = splitPath(normaliseRelativePath(path)).join('/');
    const size = this.tree.get(key)?.size;
    if (size !== undefined) return { kind: 'file', size };
    if (this.tree.stat(key)?.kind === 'directory') return { kind: 'directory', size: 0 };
    if (this.listed && this.options.complete && this.tree.stat(key) === null) return null;
    const url = this.url(key);
    const res = await this.request(url, 'HEAD');
    if (res.status === 404 || res.status === 410) return null;
    if (!res.ok) throw new HttpSourceError(url, `HEAD answered HTTP ${res.status} ${res.statusText}`.trim(), res.status);
    const len = res.headers.get('Content-Length');
    if (len !== null && /^\d+$/.test(len)) return { kind: 'file', size: Number(len) };
    // No length on HEAD: ask for the first byte and read the total from Content-Range.
    const probe = await this.request(url, 'GET', 'bytes=0-0');
    const total = CONTENT_RANGE.exec(probe.headers.get('Content-Range') ?? '')?.[3];
    const body = new Uint8Array(await probe.arrayBuffer());
    if (probe.status === 206 && total && total !== '*') return { kind: 'file', size: Number(total) };
    if (probe.status === 200) return { kind: 'file', size: body.length };
    throw new HttpSourceError(url, `cannot tell the size: HEAD gave no Content-Length and a 1-byte range request answered HTTP ${probe.status}`, probe.status);
  }

  async read(path: string, start = 0, end?: number): Promise<Uint8Array> {
    if (!Number.isInteger(start) || start < 0) throw new RangeError(`${this.url(path)}: start ${start} is not a non-negative integer`);
    if (end !== undefined && end <= start) return new Uint8Array(0);
    const url = this.url(path);
    const whole = start === 0 && end === undefined;
    const res = await this.request(url, 'GET', whole ? undefined : `bytes=${start}-${end === undefined ? '' : end - 1}`);
    const listed = this.tree.get(normaliseRelativePath(path))?.size;
    if (res.status === 416) {
      // Range not satisfiable: the range starts at or after the end of the file (an empty read),
      // unless the size the server states (or the file list gives) says otherwise.
      await res.body?.cancel();
      const stated = /^bytes \*\/(\d+)$/.exec(res.headers.get('Content-Range') ?? '')?.[1];
      const size = stated !== undefined ? Number(stated) : listed;
      if (size !== undefined && start < size) throw new HttpSourceError(url, `416 for bytes from ${start} of a ${size}-byte file`, 416);
      return new Uint8Array(0);
    }
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new HttpSourceError(url, `GET${whole ? '' : ` bytes ${start}-${end === undefined ? '' : end - 1}`} answered HTTP ${res.status} ${res.statusText}`.trim(), res.status);
    }
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status === 200 && listed !== undefined && body.length !== listed) {
      throw new HttpSourceError(url, `200 reply of ${body.length} bytes; the file list says ${listed}`, 200);
    }
    if (res.status === 200) {
      // The whole file (asked for, or the server ignored Range): cut the range out.
      return whole ? body : body.subarray(Math.min(start, body.length), Math.min(end ?? body.length, body.length));
    }
    const cr = CONTENT_RANGE.exec(res.headers.get('Content-Range') ?? '');
    if (!cr) throw new HttpSourceError(url, `206 reply without a valid Content-Range (got "${res.headers.get('Content-Range') ?? ''}")`, 206);
    const first = Number(cr[1]);
    const last = Number(cr[2]);
    if (first !== start || (end !== undefined && last > end - 1) || last < first || body.length !== last - first + 1) {
      throw new HttpSourceError(url, `206 reply covers bytes ${first}-${last} with ${body.length} bytes of body; asked for ${start}-${end === undefined ? '' : end - 1}`, 206);
    }
    return body;
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    if (!this.listed) throw new ValueError(`${this.root}: HTTP has no directory listing; give HttpSource the dataset's file list ({ files })`);
    return this.tree.list(normaliseRelativePath(path));
  }
}
