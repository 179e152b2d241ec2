// The CRCNS login and file flow against a loopback server that behaves like crcns.org: the
// login form and its cookie, one login per account, filelist.txt, redirects to signed URLs,
// Range resume after a dropped connection, a bad password, missing credentials, 404, an HTML
// page instead of a file — and the credentials appear in no file, log line, error or progress.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { platform } from '#platform';
import {
  AuthenticationError, DownloadError, IntegrityError, crcnsCredentials, crcnsDownload, crcnsFileList, crcnsSession, downloadDataset, parseCrcnsFileList,
} from '../../../src/index.js';
import { startCrcnsServer, type CrcnsServer } from './crcns-server.js';

const USER = 'ada.lovelace@example.org';
const PASSWORD = 'p4ss w0rd&=ü%';
let server: CrcnsServer;
let dir: string;
const seen: string[] = []; // every log line, progress event and error text of the run

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

beforeAll(async () => {
  server = await startCrcnsServer(USER, PASSWORD);
  server.files.set('aa-1/crcns-aa1.zip', bytes(300_000, 1));
  server.files.set('aa-5/ZF4F/ZF4F_4t_190614_094759.tar.gz', bytes(17784, 2));
  server.files.set('aa-2/crcns-aa2-docs.tar.gz', bytes(5000, 3));
  dir = mkdtempSync(join(tmpdir(), 'crcns-'));
  for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const orig = console[k].bind(console);
    vi.spyOn(console, k).mockImplementation((...a: unknown[]) => {
      seen.push(a.map(String).join(' '));
      orig(...a);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const orig = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      seen.push(String(chunk));
      return orig(chunk, ...rest);
    }) as typeof stream.write);
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const opts = () => ({
  username: USER, password: PASSWORD, loginUrl: server.loginUrl, downloadBase: server.downloadBase, retryDelayMs: 10,
  onProgress: (p: unknown) => seen.push(JSON.stringify(p)),
});
async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    seen.push(String(e), (e as Error).stack ?? '', JSON.stringify(e));
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('CRCNS download flow', () => {
  let store: Awaited<ReturnType<typeof platform.openWritableSource>>;
  beforeEach(async () => {
    store = await platform.openWritableSource(dir);
  });
  afterEach(() => {
    server.dropOnce.clear();
  });

  it('logs in once (form fields, cookie), follows the redirect, resumes a dropped connection with Range', async () => {
    server.dropOnce.set('aa-1/crcns-aa1.zip', 100_000);
    const r = await crcnsDownload(store, 'aa-1/crcns-aa1.zip', 'crcns-aa1.zip', { ...opts(), size: 300_000 });
    expect(r).not.toBe('skipped');
    expect(r !== 'skipped' && r.resumed).toBe(true);
    expect(readFileSync(join(dir, 'crcns-aa1.zip'))).toEqual(Buffer.from(server.files.get('aa-1/crcns-aa1.zip')!));
    const posts = server.requests.filter((q) => q.method === 'POST');
    expect(posts.map((q) => q.path)).toEqual(['/login_form']);
    const form = new URLSearchParams(posts[0].body);
    expect(Object.fromEntries(form)).toEqual({
      'form.submitted': '1', js_enabled: '0', pwd_empty: '0', __ac_name: USER, __ac_password: PASSWORD, submit: 'Log in',
    });
    const blobs = server.requests.filter((q) => q.path.startsWith('/blob/aa-1/'));
    expect(blobs.map((q) => q.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    expect(Number(/\d+/.exec(blobs[1].range!)![0])).toBeGreaterThanOrEqual(100_000);
    const fileReqs = server.requests.filter((q) => q.path === '/dl/aa-1/crcns-aa1.zip');
    for (const q of fileReqs) expect(q.cookie).toMatch(/__ac="tok1"/);
    for (const q of server.requests) expect(q.userAgent).toMatch(/Chrome\//);
    expect(readdirSync(dir)).toEqual(['crcns-aa1.zip']); // no .part left
  });

  it('reuses the session for the next file and skips a file already present', async () => {
    const before = server.requests.length;
    await crcnsDownload(store, 'aa-5/ZF4F/ZF4F_4t_190614_094759.tar.gz', '_archives/ZF4F/ZF4F_4t_190614_094759.tar.gz', { ...opts(), size: 17784 });
    expect(statSync(join(dir, '_archives/ZF4F/ZF4F_4t_190614_094759.tar.gz')).size).toBe(17784);
    expect(await crcnsDownload(store, 'aa-1/crcns-aa1.zip', 'crcns-aa1.zip', opts())).toBe('skipped');
    const later = server.requests.slice(before);
    expect(later.filter((q) => q.method === 'POST')).toEqual([]);
  });

  it('filelist.txt: entries with their sizes, comments ignored', async () => {
    const list = await crcnsFileList('aa-5', opts());
    expect([...list]).toEqual([['ZF4F/ZF4F_4t_190614_094759.tar.gz', 17784], ['extra.txt', 12]]);
    expect([...parseCrcnsFileList("# mode='default'\n crcns-aa1.zip 1024 (1 kB)\n+ sub/x.tar.gz 7\nnot an entry 5\n")]).toEqual([['crcns-aa1.zip', 1024], ['sub/x.tar.gz', 7]]);
    expect(() => parseCrcnsFileList('# nothing\n')).toThrow(DownloadError);
  });

  it('a bad password → AuthenticationError; nothing written', async () => {
    const e = await caught(crcnsDownload(store, 'aa-2/crcns-aa2-docs.tar.gz', 'docs.tar.gz', { ...opts(), username: 'bob', password: 'wrong-Secret-42' }));
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e.message).toBe(`CRCNS login failed: wrong username or password? (the download page does not say "logged in as") (${server.downloadBase}/aa-2)`);
    expect(e.message).not.toMatch(/bob|wrong-Secret-42/);
    expect(readdirSync(dir).includes('docs.tar.gz')).toBe(false);
  });

  it('missing credentials → AuthenticationError before any request', async () => {
    const before = server.requests.length;
    const saved = { u: process.env.CRCNS_USERNAME, p: process.env.CRCNS_PASSWORD };
    delete process.env.CRCNS_USERNAME;
    delete process.env.CRCNS_PASSWORD;
    try {
      const e = await caught(crcnsDownload(store, 'aa-2/crcns-aa2-docs.tar.gz', 'docs.tar.gz', { loginUrl: server.loginUrl, downloadBase: server.downloadBase }));
      expect(e).toBeInstanceOf(AuthenticationError);
      expect(e.message).toMatch(/^CRCNS credentials missing: pass \{ username, password \} or set CRCNS_USERNAME and CRCNS_PASSWORD/);
      expect(server.requests.length).toBe(before);
      expect(() => crcnsCredentials({ username: USER })).toThrow(AuthenticationError);
      process.env.CRCNS_USERNAME = 'env-user';
      process.env.CRCNS_PASSWORD = 'env-pass';
      expect(crcnsCredentials({})).toEqual({ username: 'env-user', password: 'env-pass' });
      expect(crcnsCredentials({ username: 'o', password: 'p' })).toEqual({ username: 'o', password: 'p' });
    } finally {
      if (saved.u === undefined) delete process.env.CRCNS_USERNAME;
      else process.env.CRCNS_USERNAME = saved.u;
      if (saved.p === undefined) delete process.env.CRCNS_PASSWORD;
      else process.env.CRCNS_PASSWORD = saved.p;
    }
  });

  it("the login host's cookie reaches the download host (a subdomain), as in Python's cookie jar", async () => {
    const port = new URL(server.loginUrl).port;
    const viaNames = ((u: string | URL | Request, init?: RequestInit) =>
      fetch(String(u).replace(/\/\/(download\.)?crcns\.test:/, '//127.0.0.1:'), init)) as typeof fetch;
    // The login cookie is set by crcns.test without a Domain attribute; the landing page on
    // download.crcns.test only says "logged in as" when it arrives there.
    const o = { ...opts(), fetch: viaNames, loginUrl: `http://crcns.test:${port}/login_form`, downloadBase: `http://download.crcns.test:${port}/dl` };
    const list = await crcnsFileList('aa-2', o);
    expect(list.get('crcns-aa2-docs.tar.gz')).toBe(5000);
    const landing = server.requests.filter((q) => q.path === '/dl/aa-2').at(-1)!;
    expect(landing.cookie).toMatch(/__ac="tok\d+"/);
  });

  it('an aborted signal stops the login; the failed session is not cached', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stopped by the caller'));
    const o = { ...opts(), username: 'third-user', signal: ac.signal };
    await expect(crcnsFileList('aa-5', o)).rejects.toThrow('stopped by the caller');
    await expect(crcnsFileList('aa-5', { ...o, signal: undefined })).rejects.toBeInstanceOf(AuthenticationError); // a real attempt, not the cached abort
  });

  it('credentials from the environment log in too', async () => {
    process.env.CRCNS_USERNAME = USER;
    process.env.CRCNS_PASSWORD = PASSWORD;
    try {
      await crcnsDownload(store, 'aa-2/crcns-aa2-docs.tar.gz', 'docs.tar.gz', { loginUrl: server.loginUrl, downloadBase: server.downloadBase, size: 5000 });
      expect(readFileSync(join(dir, 'docs.tar.gz'))).toEqual(Buffer.from(server.files.get('aa-2/crcns-aa2-docs.tar.gz')!));
    } finally {
      delete process.env.CRCNS_USERNAME;
      delete process.env.CRCNS_PASSWORD;
    }
  });

  it('404 → DownloadError "not found on download.crcns.org"; size mismatch → IntegrityError', async () => {
    const e = await caught(crcnsDownload(store, 'aa-1/nope.zip', 'nope.zip', opts()));
    expect(e).toBeInstanceOf(DownloadError);
    expect(e.message).toBe(`nope.zip: aa-1/nope.zip not found on download.crcns.org (${server.downloadBase}/aa-1/nope.zip)`);
    const s = await caught(crcnsDownload(store, 'aa-2/crcns-aa2-docs.tar.gz', 'docs2.tar.gz', { ...opts(), size: 4999 }));
    expect(s).toBeInstanceOf(IntegrityError);
    expect(readdirSync(dir).some((n) => n.startsWith('docs2'))).toBe(false);
  });

  it('an expired session logs in again; an HTML page instead of the file twice → DownloadError; a cookie-less client fails the login check', async () => {
    server.expireSessions();
    const posts = server.requests.filter((q) => q.method === 'POST').length;
    await crcnsDownload(store, 'aa-1/crcns-aa1.zip', 'again.zip', { ...opts(), size: 300_000 });
    expect(server.requests.filter((q) => q.method === 'POST').length).toBe(posts + 1);
    expect(statSync(join(dir, 'again.zip')).size).toBe(300_000);
    server.htmlFor.add('aa-2/crcns-aa2-docs.tar.gz');
    try {
      const e = await caught(crcnsDownload(store, 'aa-2/crcns-aa2-docs.tar.gz', 'html.tar.gz', opts()));
      expect(e).toBeInstanceOf(DownloadError);
      expect(e.message).toBe(`html.tar.gz: CRCNS returned an HTML page instead of aa-2/crcns-aa2-docs.tar.gz (login rejected or file unavailable) (${server.downloadBase}/aa-2/crcns-aa2-docs.tar.gz)`);
      expect(readdirSync(dir).some((n) => n.startsWith('html'))).toBe(false);
    } finally {
      server.htmlFor.clear();
    }
    const noCookies = { ...opts(), username: 'other-user', fetch: ((u: string | URL | Request, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      h.delete('cookie');
      return fetch(u, { ...init, headers: h });
    }) as typeof fetch };
    expect(await caught(crcnsDownload(store, 'aa-1/crcns-aa1.zip', 'again2.zip', noCookies))).toBeInstanceOf(AuthenticationError);
  });

  it('a CRCNS manifest through downloadDataset, with the session fetch (resume, size check)', async () => {
    server.dropOnce.set('aa-1/crcns-aa1.zip', 50_000);
    const session = await crcnsSession('aa-1', opts());
    const root = join(dir, 'via-manifest');
    const manifest = { name: 'AA1', files: [{ path: 'crcns-aa1.zip', size: 300_000, url: `${server.downloadBase}/aa-1/crcns-aa1.zip` }] };
    const r = await downloadDataset(manifest, { root, fetch: session.fetch, retryDelayMs: 10, onProgress: (p) => seen.push(JSON.stringify(p)) });
    expect(r.downloaded).toEqual(['crcns-aa1.zip']);
    expect(readFileSync(join(root, 'crcns-aa1.zip'))).toEqual(Buffer.from(server.files.get('aa-1/crcns-aa1.zip')!));
  });

  it('the credentials appear in no file, log line, progress event or error', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d, { withFileTypes: true })) (n.isDirectory() ? walk(join(d, n.name)) : files.push(join(d, n.name)));
    };
    walk(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(f).toString('latin1');
      expect(text.includes(PASSWORD)).toBe(false);
      expect(text.includes(USER)).toBe(false);
    }
    expect(seen.length).toBeGreaterThan(10);
    for (const line of seen) {
      expect(line.includes(PASSWORD)).toBe(false);
      expect(line.includes(encodeURIComponent(PASSWORD))).toBe(false);
      expect(line.includes(USER)).toBe(false);
      expect(line.includes('wrong-Secret-42')).toBe(false);
    }
    // The password travelled only in the login form's body.
    for (const q of server.requests.filter((r) => r.path !== '/login_form')) {
      expect(`${q.path} ${q.body} ${q.cookie ?? ''}`.includes('p4ss')).toBe(false);
    }
  });
});
