/**
 * Where datasets are cached (docs/download.md), with the same layout and environment variable
 * as the Python deepSTRF so both can share one folder.
 * @module
 */
import { platform } from '#platform';

/**
 * What the cache path depends on in Node (browsers have none: they use OPFS).
 * @example
 * ```ts
 * const e: CacheEnvironment = { env: process.env, os: process.platform, home: os.homedir() };
 * ```
 */
export interface CacheEnvironment {
  /** Environment variables (`DEEPSTRF_DATA_DIR`, `XDG_CACHE_HOME`, `LOCALAPPDATA`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `process.platform`: `'linux'`, `'darwin'`, `'win32'`, … */
  readonly os: string;
  /** The user's home folder. */
  readonly home: string;
}

/**
 * The cache folder of dataset `name` for a given environment (pure: no I/O).
 * `DEEPSTRF_DATA_DIR` (non-empty, `~` expanded) wins; otherwise the user cache folder of
 * platformdirs: Linux `$XDG_CACHE_HOME/deepSTRF/<name>` (else `~/.cache/…`), macOS
 * `~/Library/Caches/deepSTRF/<name>`, Windows `%LOCALAPPDATA%\deepSTRF\deepSTRF\Cache\<name>`.
 * @example
 * ```ts
 * cacheDirFor('NS1', { env: {}, os: 'linux', home: '/home/ada' }); // '/home/ada/.cache/deepSTRF/NS1'
 * ```
 */
export function cacheDirFor(name: string, e: CacheEnvironment): string {
  const win = e.os === 'win32';
  const sep = win ? '\\' : '/';
  const join = (...parts: string[]) =>
    parts.map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, ''))).filter((p, i) => i === 0 || p !== '').join(sep);
  const expand = (p: string) => (p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? e.home + p.slice(1) : p);
  const data = e.env.DEEPSTRF_DATA_DIR;
  if (data) return join(expand(data), name);
  if (win) {
    const local = e.env.LOCALAPPDATA || join(e.home, 'AppData', 'Local');
    return join(local, 'deepSTRF', 'deepSTRF', 'Cache', name);
  }
  if (e.os === 'darwin') return join(e.home, 'Library', 'Caches', 'deepSTRF', name);
  // platformdirs ignores a relative XDG_CACHE_HOME, as the XDG spec asks.
  const xdg = e.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(e.home, '.cache'), 'deepSTRF', name);
}

/**
 * The default cache folder of dataset `name`: in Node the path from {@link cacheDirFor} for
 * this process; in browsers the OPFS folder `deepSTRF/<name>`. Only builds the path.
 * @example
 * ```ts
 * defaultCacheDir('NS1'); // e.g. '/home/ada/.cache/deepSTRF/NS1'
 * ```
 */
export function defaultCacheDir(name: string): string {
  const e = platform.cacheEnvironment();
  return e ? cacheDirFor(name, e) : `deepSTRF/${name}`;
}
