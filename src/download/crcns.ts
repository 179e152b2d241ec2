/**
 * CRCNS downloads (free account): the login form, a session cookie reused for every file of the
 * process, the dataset's `filelist.txt`, and resumable file downloads (`Range`) through
 * `fetchFile`. Credentials come from the options or `CRCNS_USERNAME` / `CRCNS_PASSWORD`; they are
 * sent only in the login form's body and never logged, stored or put in a message.
 * See docs/download.md ("CRCNS accounts").
 * @module
 */
import { platform } from '#platform';
import type { WritableSource } from '../sources/types.js';
import { AuthenticationError, DownloadError } from './errors.js';
import { fetchFile, type FetchFileOptions, type FetchFileResult } from './fetch-file.js';

/** The CRCNS login form. @example `crcnsSession({ loginUrl: CRCNS_LOGIN_URL })` */
export const CRCNS_LOGIN_URL = 'https://crcns.org/login_form';
/** Where CRCNS files are served. @example `` `${CRCNS_DOWNLOAD_BASE}/aa-1/crcns-aa1.zip` `` */
export const CRCNS_DOWNLOAD_BASE = 'https://download.crcns.org';
/** Free account registration. @example `console.log(`get an account at ${CRCNS_REGISTER_URL}`)` */
export const CRCNS_REGISTER_URL = 'https://crcns.org/register';
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const LOGIN_TIMEOUT_MS = 120_000;
const MAX_REDIRECTS = 10;

/**
 * Options of every CRCNS call.
 * @example
 * ```ts
 * const o: CrcnsOptions = { username: 'ada', password: process.env.PW, onProgress: (p) => console.log(p.loaded) };
 * ```
 */
export interface CrcnsOptions extends FetchFileOptions {
  /** CRCNS account name (default `CRCNS_USERNAME`). */
  username?: string;
  /** CRCNS password (default `CRCNS_PASSWORD`). */
  password?: string;
  /** Login form URL (default {@link CRCNS_LOGIN_URL}; tests point it at a local server). */
  loginUrl?: string;
  /** File server base URL (default {@link CRCNS_DOWNLOAD_BASE}). */
  downloadBase?: string;
}

/**
 * The account to use: the options' `username` / `password`, else `CRCNS_USERNAME` /
 * `CRCNS_PASSWORD` (Node). Checked before any network request.
 * @throws AuthenticationError "CRCNS credentials missing: …" when either is absent
 * @example
 * ```ts
 * const { username } = crcnsCredentials({}); // from the environment
 * ```
 */
export function crcnsCredentials(o: Pick<CrcnsOptions, 'username' | 'password'> = {}): { username: string; password: string } {
  const env = platform.cacheEnvironment()?.env ?? {};
  const username = o.username || env.CRCNS_USERNAME || '';
  const password = o.password || env.CRCNS_PASSWORD || '';
  if (!username || !password) {
    throw new AuthenticationError('CRCNS', `credentials missing: pass { username, password } or set CRCNS_USERNAME and CRCNS_PASSWORD (free account: ${CRCNS_REGISTER_URL})`);
  }
  return { username, password };
}

interface Cookie { value: string; domain: string }

/**
 * A logged-in CRCNS session: a cookie jar and `fetch` that follows redirects itself so that
 * cookies set along the way are kept (Node; browsers cannot read cross-site cookies).
 * @example
 * ```ts
 * const s = await crcnsSession('aa-1', { username, password });
 * const res = await s.fetch('https://download.crcns.org/aa-1/filelist.txt');
 * ```
 */
export class CrcnsSession {
  private readonly cookies = new Map<string, Cookie>();
  constructor(private readonly fetchImpl: typeof fetch) {}

  /** `fetch` with the session's cookies and browser User-Agent, redirects followed here. */
  fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    let method = init.method ?? 'GET';
    let body = init.body;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers = new Headers(init.headers);
      headers.set('user-agent', USER_AGENT);
      const cookie = this.cookieHeader(url);
      if (cookie) headers.set('cookie', cookie);
      const res = await this.fetchImpl(url, { ...init, method, body, headers, redirect: 'manual' });
      this.keep(url, res.headers);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return res;
      await res.body?.cancel();
      url = new URL(location, url);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
    }
    throw new DownloadError(url.pathname, url.origin + url.pathname, `more than ${MAX_REDIRECTS} redirects`);
  };

  private keep(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      let domain = url.hostname.toLowerCase();
      let expired = false;
      for (const a of attrs) {
        const [k, v = ''] = a.split('=').map((s) => s.trim());
        if (k.toLowerCase() === 'domain' && v) domain = v.replace(/^\./, '').toLowerCase();
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) expired = true;
      }
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(eq + 1).trim(), domain });
    }
  }

  /**
   * Cookies for `url`'s host: those of its domain and of every parent domain. Like Python's
   * liberal cookie jar (what the reference's `requests` session uses), a cookie set by
   * crcns.org without a Domain attribute also goes to download.crcns.org.
   */
  private cookieHeader(url: URL): string {
    const h = url.hostname.toLowerCase();
    return [...this.cookies].filter(([, c]) => h === c.domain || h.endsWith(`.${c.domain}`)).map(([k, c]) => `${k}=${c.value}`).join('; ');
  }
}

// One session per server and account; a call with another password logs in again (and fails
// when that password is wrong), so a wrong password never rides on an earlier login.
const sessions = new Map<string, { readonly password: string; readonly session: Promise<CrcnsSession> }>();
const sessionKey = (o: CrcnsOptions) =>
  JSON.stringify([o.loginUrl ?? CRCNS_LOGIN_URL, (o.downloadBase ?? CRCNS_DOWNLOAD_BASE).replace(/\/+$/, ''), crcnsCredentials(o).username]);

/**
 * The session of the account, logging in once per account and process: POST the login form,
 * then check that `<downloadBase>/<dataset>` says "logged in as".
 * @throws AuthenticationError when credentials are missing or the login is rejected
 * @example
 * ```ts
 * const s = await crcnsSession('aa-5', { username: 'ada', password: '…' });
 * ```
 */
export async function crcnsSession(dataset: string, o: CrcnsOptions = {}): Promise<CrcnsSession> {
  const { username, password } = crcnsCredentials(o);
  const loginUrl = o.loginUrl ?? CRCNS_LOGIN_URL;
  const base = (o.downloadBase ?? CRCNS_DOWNLOAD_BASE).replace(/\/+$/, '');
  const key = sessionKey(o);
  const cached = sessions.get(key);
  if (cached && cached.password === password) return cached.session;
  const session = login(dataset, username, password, loginUrl, base, o);
  const entry = { password, session };
  sessions.set(key, entry);
  session.catch(() => {
    if (sessions.get(key) === entry) sessions.delete(key);
  });
  return session;
}

async function login(dataset: string, username: string, password: string, loginUrl: string, base: string, o: CrcnsOptions): Promise<CrcnsSession> {
  const session = new CrcnsSession(o.fetch ?? globalThis.fetch.bind(globalThis));
  // The login's own timeout, joined with the caller's signal (AbortSignal.any needs Node ≥ 20.3).
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new DownloadError('login', loginUrl, `no answer within ${LOGIN_TIMEOUT_MS / 1000} s`)), LOGIN_TIMEOUT_MS);
  const onAbort = () => ctl.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = ctl.signal;
  try {
    const form = new URLSearchParams({
      'form.submitted': '1', js_enabled: '0', pwd_empty: '0', __ac_name: username, __ac_password: password, submit: 'Log in',
    });
    const posted = await session.fetch(loginUrl, { method: 'POST', body: form, signal, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await posted.body?.cancel();
    if (!posted.ok) throw new AuthenticationError('CRCNS', `login failed: the login form answered HTTP ${posted.status}`, loginUrl);
    const landing = `${base}/${dataset}`;
    const page = await session.fetch(landing, { signal });
    const text = await page.text();
    if (!page.ok || !text.toLowerCase().includes('logged in as')) {
      throw new AuthenticationError('CRCNS', 'login failed: wrong username or password? (the download page does not say "logged in as")', landing);
    }
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
  return session;
}

/**
 * The dataset's files and sizes from `<downloadBase>/<dataset>/filelist.txt`: every line that
 * starts with a space or `+`, then a path and a byte count (`#` lines are comments).
 * @throws DownloadError when the list is empty or cannot be fetched
 * @example
 * ```ts
 * const files = await crcnsFileList('aa-5', { username, password }); // Map { 'ZF4F/…tar.gz' => 2834343757, … }
 * ```
 */
export async function crcnsFileList(dataset: string, o: CrcnsOptions = {}): Promise<Map<string, number>> {
  const session = await crcnsSession(dataset, o);
  const url = `${(o.downloadBase ?? CRCNS_DOWNLOAD_BASE).replace(/\/+$/, '')}/${dataset}/filelist.txt`;
  const res = await session.fetch(url, { signal: o.signal });
  if (!res.ok) {
    await res.body?.cancel();
    throw new DownloadError('filelist.txt', url, `HTTP ${res.status}`, res.status);
  }
  return parseCrcnsFileList(await res.text(), url);
}

/**
 * Parses a CRCNS `filelist.txt`.
 * @throws DownloadError when no entry is found
 * @example
 * ```ts
 * parseCrcnsFileList("# mode='default'\n crcns-aa1.zip 1024 (1 kB)\n"); // Map { 'crcns-aa1.zip' => 1024 }
 * ```
 */
export function parseCrcnsFileList(text: string, url = 'filelist.txt'): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^[ +]\s*(\S+)\s+(\d+)/.exec(line);
    if (m) out.set(m[1], Number(m[2]));
  }
  if (out.size === 0) throw new DownloadError('filelist.txt', url, 'no file entries (expected lines " <path> <bytes>")');
  return out;
}

/**
 * Downloads `remote` (`"<dataset>/<path in dataset>"`, e.g. `aa-1/crcns-aa1.zip`) into `dest` of
 * `target` (a `WritableSource`, or a folder path opened with `platform.openWritableSource`): skipped when `dest` exists; otherwise through the account's session into `dest.part`,
 * resumed with `Range` after a dropped connection, size-checked when `size` is given, renamed
 * into place.
 * @throws AuthenticationError (credentials missing or rejected), DownloadError (404: "not found
 * on download.crcns.org"; an HTML page instead of the file), IntegrityError (size)
 * @example
 * ```ts
 * await crcnsDownload('/data/AA1', 'aa-1/crcns-aa1.zip', 'crcns-aa1.zip', { onProgress: (p) => console.log(p.loaded) });
 * ```
 */
export async function crcnsDownload(
  target: WritableSource | string,
  remote: string,
  dest: string,
  o: CrcnsOptions & { size?: number } = {},
): Promise<FetchFileResult | 'skipped'> {
  const store = typeof target === 'string' ? await platform.openWritableSource(target) : target;
  if ((await store.stat(dest))?.kind === 'file') return 'skipped';
  const dataset = remote.split('/')[0];
  const url = `${(o.downloadBase ?? CRCNS_DOWNLOAD_BASE).replace(/\/+$/, '')}/${remote}`;
  for (let attempt = 0; ; attempt++) {
    const session = await crcnsSession(dataset, o);
    try {
      return await fetchFile(store, url, { path: dest, size: o.size }, { ...o, fetch: session.fetch });
    } catch (e) {
      if (!(e instanceof DownloadError) || e.constructor !== DownloadError) throw e;
      if (e.status === 404) throw new DownloadError(dest, url, `${remote} not found on download.crcns.org`, 404, { cause: e });
      if (!/HTML page/.test(e.message)) throw e;
      // A login page: the session may have expired during a long download. Log in again, once.
      if (attempt === 0) {
        sessions.delete(sessionKey(o));
        continue;
      }
      throw new DownloadError(dest, url, `CRCNS returned an HTML page instead of ${remote} (login rejected or file unavailable)`, e.status, { cause: e });
    }
  }
}
