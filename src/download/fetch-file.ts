/**
 * One file: a streamed GET into `<path>.part`, resumed with `Range` after a dropped connection,
 * retried with backoff, checked for size and SHA-256, then renamed into place.
 * @module
 */
import { platform } from '#platform';
import type { WritableSource, FileWriter } from '../sources/types.js';
import type { FileDigest } from './manifest.js';
import { DownloadError } from './errors.js';
import { verifyStoredFile } from './verify.js';
import { networkFailure } from './network-error.js';

/**
 * A progress report, sent after every chunk received.
 * @example
 * ```ts
 * const onProgress = (p: FileProgress) => console.log(p.file, p.loaded, p.total, p.bytesPerSecond);
 * ```
 */
export interface FileProgress {
  /** The file's path in the cache folder. */
  readonly file: string;
  /** Bytes of this file on disk so far (including a resumed prefix). */
  readonly loaded: number;
  /** The file's size when known (manifest or `Content-Length`), else `undefined`. */
  readonly total: number | undefined;
  /** Throughput of the current connection, bytes per second. */
  readonly bytesPerSecond: number;
}

/**
 * Options of {@link fetchFile}.
 * @example
 * ```ts
 * const o: FetchFileOptions = { retries: 3, retryDelayMs: 250, stallTimeoutMs: 60_000 };
 * ```
 */
export interface FetchFileOptions {
  /** Progress callback. */
  onProgress?: (p: FileProgress) => void;
  /** Aborts the download; the `.part` file is kept for a later resume. */
  signal?: AbortSignal;
  /** Failed attempts in a row (without any new byte) before giving up; default 5. */
  retries?: number;
  /** First backoff delay in ms, doubled after each failure; default 500. */
  retryDelayMs?: number;
  /** Abort an attempt when no byte arrives for this long (ms); default 600 000 (docs/download.md). */
  stallTimeoutMs?: number;
  /** The fetch implementation; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/**
 * What {@link fetchFile} did.
 * @example
 * ```ts
 * const { bytesReceived, resumed } = await fetchFile(store, url, { path: 'a.mat' });
 * ```
 */
export interface FetchFileResult {
  /** Bytes received over the network. */
  readonly bytesReceived: number;
  /** HTTP requests made. */
  readonly attempts: number;
  /** True when at least one request resumed a partial file with `Range`. */
  readonly resumed: boolean;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_ATTEMPTS = 1000; // a hard stop even when every attempt makes a little progress

/** `.part` appended to the last suffix (docs/download.md). */
export const partName = (path: string): string => `${path}.part`;

class RetryableFailure extends Error {}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Parses `Content-Range: bytes a-b/N` → `[a, N | undefined]`. */
function parseContentRange(h: string | null): [number, number | undefined] | null {
  const m = h && /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(h.trim());
  if (!m) return null;
  return [Number(m[1]), m[3] === '*' ? undefined : Number(m[3])];
}

/**
 * Downloads `url` into `expected.path` of `store`: streams into `<path>.part`, resumes from
 * the `.part` size with `Range: bytes=N-` (appending on 206, restarting on 200), retries
 * dropped connections and 5xx/429 answers with exponential backoff (but not a refused
 * connection, an unknown host or a TLS failure: those throw at once, explained), then checks size and
 * SHA-256 (a bad file is removed and `IntegrityError` thrown) and renames into place.
 * HTTP error statuses throw `DownloadError` with `status`; an HTML page where a data file was
 * expected (a login or error page) throws `DownloadError` too.
 * @example
 * ```ts
 * const store = await platform.openWritableSource('/tmp/NS1');
 * await fetchFile(store, 'https://example.org/a.mat', { path: 'a.mat', size: 1024 }, {
 *   onProgress: (p) => console.log(p.loaded),
 * });
 * ```
 */
export async function fetchFile(
  store: WritableSource,
  url: string,
  expected: FileDigest,
  options: FetchFileOptions = {},
): Promise<FetchFileResult> {
  const { onProgress, signal } = options;
  const retries = options.retries ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const stallTimeoutMs = options.stallTimeoutMs ?? 600_000;
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const file = expected.path;
  const part = partName(file);
  let failures = 0;
  let attempts = 0;
  let received = 0;
  let resumed = false;

  for (;;) {
    signal?.throwIfAborted();
    if (++attempts > MAX_ATTEMPTS) throw new DownloadError(file, url, `gave up after ${MAX_ATTEMPTS} requests`);
    let have = (await store.stat(part))?.size ?? 0;
    if (expected.size !== undefined && have > expected.size) {
      await store.remove(part); // longer than the file can be: stale, start over
      have = 0;
    }
    if (expected.size !== undefined && have === expected.size && have > 0) break; // complete already

    const attempt = new AbortController();
    const onAbort = () => attempt.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let stall: ReturnType<typeof setTimeout> | undefined;
    const armStall = () => {
      clearTimeout(stall);
      stall = setTimeout(() => attempt.abort(new RetryableFailure(`no data for ${stallTimeoutMs} ms`)), stallTimeoutMs);
    };
    let writer: FileWriter | undefined;
    const before = received;
    try {
      armStall();
      const res = await fetchImpl(url, {
        headers: have > 0 ? { Range: `bytes=${have}-` } : {},
        signal: attempt.signal,
        redirect: 'follow',
      });
      if (res.status === 416 && have > 0) {
        await res.body?.cancel();
        const cr = parseContentRange(res.headers.get('content-range')?.replace(/^bytes\s+\*/, 'bytes 0-0') ?? null);
        if (cr && cr[1] === have) break; // the .part already holds the whole file
        await store.remove(part);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        if (RETRYABLE_STATUS.has(res.status)) throw new RetryableFailure(`HTTP ${res.status}`);
        throw new DownloadError(file, url, `HTTP ${res.status} ${res.statusText}`.trim(), res.status);
      }
      let append = false;
      let total: number | undefined = expected.size;
      let announced: number | undefined; // the file size the server states for this response
      if (res.status === 206) {
        const cr = parseContentRange(res.headers.get('content-range'));
        if (!cr || cr[0] !== have) {
          // A range we did not ask for: throw it away and fetch the whole file.
          await res.body?.cancel();
          await store.remove(part);
          continue;
        }
        append = true;
        resumed = true;
        announced = cr[1];
      } else {
        const len = res.headers.get('content-length');
        if (len !== null && res.headers.get('content-encoding') === null) announced = Number(len);
        have = 0;
      }
      total ??= announced;
      if (!res.body) throw new DownloadError(file, url, `HTTP ${res.status} without a body`, res.status);
      const htmlExpected = /\.html?$/i.test(file);
      const isHtml = (res.headers.get('content-type') ?? '').toLowerCase().includes('text/html');
      writer = await store.openWriter(part, { append });
      const reader = res.body.getReader();
      const started = platform.now();
      let loaded = have;
      let first = true;
      onProgress?.({ file, loaded, total, bytesPerSecond: 0 });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armStall();
        if (!value || value.length === 0) continue;
        if (first && isHtml && !htmlExpected && !append) {
          const head = new TextDecoder().decode(value.subarray(0, 4096)).toLowerCase();
          if (head.includes('<html') || head.includes('<form')) {
            await reader.cancel();
            throw new DownloadError(file, url, 'the server returned an HTML page instead of the file', res.status);
          }
        }
        first = false;
        await writer.write(value);
        loaded += value.length;
        received += value.length;
        const seconds = (platform.now() - started) / 1000;
        onProgress?.({ file, loaded, total, bytesPerSecond: seconds > 0 ? (loaded - have) / seconds : 0 });
      }
      await writer.close();
      // A short body against the server's own length is a dropped connection; a complete body
      // of the wrong length is left to the size check below.
      if (announced !== undefined && loaded < announced) throw new RetryableFailure(`connection closed at byte ${loaded} of ${announced}`);
      break;
    } catch (e) {
      await writer?.close().catch(() => undefined); // keep what arrived, for the next Range request
      if (signal?.aborted) throw signal.reason;
      if (e instanceof DownloadError) {
        await store.remove(part);
        throw e;
      }
      const net = networkFailure(e, url);
      if (net?.permanent) throw new DownloadError(file, url, net.message, undefined, { cause: e }); // refused, no such host, TLS: retrying cannot help
      failures = received > before ? 1 : failures + 1; // progress resets the count
      if (failures > retries) {
        const why = net?.message ?? (e instanceof Error ? e.message : String(e));
        throw new DownloadError(file, url, `failed after ${attempts} requests: ${why}`, undefined, { cause: e });
      }
      await sleep(retryDelayMs * 2 ** (failures - 1), signal);
    } finally {
      clearTimeout(stall);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  if (!(await verifyStoredFile(store, expected, url, { stored: part }))) {
    throw new DownloadError(file, url, 'the download produced no file');
  }
  await store.rename(part, file);
  return { bytesReceived: received, attempts, resumed };
}
