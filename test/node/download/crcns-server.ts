// A loopback stand-in for crcns.org + download.crcns.org: a Plone-like login form that answers a
// good login with a 302 and a session cookie, a dataset page saying "Logged in as …" only to a
// logged-in session, filelist.txt, and files behind a redirect to a signed URL (as the AWS-hosted
// server does) with Range support, a dropped connection on demand, and an HTML login page for
// requests without the cookie.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CrcnsRequest {
  method: string;
  path: string;
  range: string | undefined;
  cookie: string | undefined;
  userAgent: string | undefined;
  body: string;
}

export interface CrcnsServer {
  /** Login form URL. */
  loginUrl: string;
  /** Download base URL. */
  downloadBase: string;
  requests: CrcnsRequest[];
  /** `<dataset>/<path>` → bytes. */
  files: Map<string, Uint8Array>;
  /** `<dataset>/<path>` → drop the connection after this many body bytes (once, on a request without Range). */
  dropOnce: Map<string, number>;
  /** `<dataset>/<path>` → the size filelist.txt states (default: the real size). */
  listed: Map<string, number>;
  /** `<dataset>/<path>` answered with the login page even to a logged-in session (an unavailable file). */
  htmlFor: Set<string>;
  /** Forgets every session cookie (as an expired login). */
  expireSessions(): void;
  close(): Promise<void>;
}

export async function startCrcnsServer(user: string, password: string): Promise<CrcnsServer> {
  const requests: CrcnsRequest[] = [];
  const files = new Map<string, Uint8Array>();
  const dropOnce = new Map<string, number>();
  const htmlFor = new Set<string>();
  const listed = new Map<string, number>();
  const tokens = new Set<string>();
  let next = 0;
  const loginPage = (res: ServerResponse, note = '') =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<html><body>${note}<form action="/login_form"><input name="__ac_password"></form></body></html>`);
  const loggedIn = (req: IncomingMessage) => {
    const m = /(?:^|;\s*)__ac="?([^";]+)"?/.exec(req.headers.cookie ?? '');
    return m !== null && tokens.has(m[1]);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const c of req) body += c;
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    requests.push({ method: req.method ?? 'GET', path, range: req.headers.range, cookie: req.headers.cookie, userAgent: req.headers['user-agent'], body });
    if (path === '/login_form' && req.method === 'POST') {
      const f = new URLSearchParams(body);
      const ok = f.get('__ac_name') === user && f.get('__ac_password') === password && f.get('form.submitted') === '1'
        && f.get('js_enabled') === '0' && f.get('pwd_empty') === '0' && f.get('submit') === 'Log in';
      if (!ok) return loginPage(res, 'Login failed. Both login name and password are case sensitive.');
      const token = `tok${++next}`;
      tokens.add(token);
      res.writeHead(302, { location: '/logged_in', 'set-cookie': [`__ac="${token}"; Path=/; HttpOnly`, 'I18N_LANGUAGE="en"; Path=/'] }).end();
      return;
    }
    if (path === '/logged_in') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>You are now logged in</html>');
    const dl = /^\/dl\/([^/]+)(?:\/(.*))?$/.exec(path);
    if (dl) {
      const [, dataset, rest] = dl;
      if (rest === undefined) {
        if (!loggedIn(req)) return loginPage(res);
        return res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><p>Logged in as ${user}</p><a href="filelist.txt">files</a></html>`);
      }
      if (rest === 'filelist.txt') {
        const lines = [...files].filter(([k]) => k.startsWith(`${dataset}/`)).map(([k, v]) => ` ${k.slice(dataset.length + 1)} ${listed.get(k) ?? v.length} (${v.length} B)`);
        return res.writeHead(200, { 'content-type': 'text/plain' }).end(`# mode='default'\n${lines.join('\n')}\n+ extra.txt 12\n`);
      }
      if (!loggedIn(req) || htmlFor.has(`${dataset}/${rest}`)) return loginPage(res);
      if (!files.has(`${dataset}/${rest}`)) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return res.writeHead(302, { location: `/blob/${dataset}/${rest}?X-Amz-Signature=abc` }).end();
    }
    const blob = /^\/blob\/(.+)$/.exec(path);
    const data = blob ? files.get(blob[1]) : undefined;
    if (!blob || !data) return res.writeHead(404).end();
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m) {
      const from = Number(m[1]);
      res.writeHead(206, { 'content-type': 'application/gzip', 'content-length': data.length - from, 'content-range': `bytes ${from}-${data.length - 1}/${data.length}` });
      return res.end(data.subarray(from));
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': data.length });
    const drop = dropOnce.get(blob[1]);
    if (drop !== undefined) {
      dropOnce.delete(blob[1]);
      // A graceful close (FIN, not RST: a reset would discard bytes the client has not read yet).
      res.write(data.subarray(0, drop), () => setTimeout(() => res.socket?.end(), 20));
      return;
    }
    res.end(data);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    loginUrl: `${origin}/login_form`, downloadBase: `${origin}/dl`, requests, files, dropOnce, htmlFor, listed,
    expireSessions: () => tokens.clear(),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
