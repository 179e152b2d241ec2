/**
 * Why a request never reached a server, in a plain sentence, and whether trying again can help.
 * `fetch` rejects with `TypeError: fetch failed` and hides the system error (`ECONNREFUSED`,
 * `ENOTFOUND`, a TLS code) in its `cause`; this reads it.
 * @module
 */

/**
 * A network failure explained.
 * @example
 * ```ts
 * const f: NetworkFailure = { code: 'ECONNREFUSED', message: 'connection refused by 127.0.0.1:8080 (no server is listening there)', permanent: true };
 * ```
 */
export interface NetworkFailure {
  /** The system or TLS error code (`ECONNREFUSED`, `ENOTFOUND`, `ERR_SSL_WRONG_VERSION_NUMBER`, …). */
  readonly code: string;
  /** One sentence for people. */
  readonly message: string;
  /** True when retrying the same URL within seconds cannot help (refused, no such host, TLS). */
  readonly permanent: boolean;
}

interface SystemError {
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  errors?: unknown;
  cause?: unknown;
}

const portOf = (url: string) => {
  try {
    return new URL(url).port;
  } catch {
    return '?';
  }
};

/** The innermost error carrying a string `code` (through `cause` and `AggregateError.errors`). */
function codedError(e: unknown, depth = 0): SystemError | null {
  if (!e || typeof e !== 'object' || depth > 4) return null;
  const s = e as SystemError;
  const inner = codedError(s.cause, depth + 1) ?? (Array.isArray(s.errors) ? codedError(s.errors[0], depth + 1) : null);
  return inner ?? (typeof s.code === 'string' ? s : null);
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)/;

/**
 * Explains a failed `fetch` by its system error; `null` when `e` carries none (HTTP-level and
 * other failures are the caller's).
 * @example
 * ```ts
 * try { await fetch(url); } catch (e) { const f = networkFailure(e, url); if (f?.permanent) throw new Error(f.message); }
 * ```
 */
export function networkFailure(e: unknown, url: string): NetworkFailure | null {
  const s = codedError(e);
  const viaCause = (e as SystemError | null)?.cause as SystemError | undefined;
  if (!s) {
    // fetch refuses some ports (the "bad ports" of the Fetch standard) and schemes without a code.
    if (viaCause?.message === 'bad port') return { code: 'BAD_PORT', message: `fetch refuses port ${portOf(url)} (reserved for other protocols)`, permanent: true };
    if (viaCause?.message === 'unknown scheme') return { code: 'UNKNOWN_SCHEME', message: 'not an http:// or https:// URL', permanent: true };
    return null;
  }
  const code = s.code as string;
  let host = '';
  try {
    host = new URL(url).host;
  } catch {
    host = url;
  }
  const where = typeof s.address === 'string' ? `${s.address}${s.port !== undefined ? `:${String(s.port)}` : ''}` : host;
  switch (code) {
    case 'ERR_INVALID_URL':
      return { code, message: 'not a valid URL (check the mirror)', permanent: true };
    case 'ECONNREFUSED':
      return { code, message: `connection refused by ${where} (no server is listening there; check the URL and port)`, permanent: true };
    case 'ENOTFOUND':
      return { code, message: `host ${typeof s.hostname === 'string' ? s.hostname : host} not found (DNS lookup failed; check the URL and your network)`, permanent: true };
    case 'EAI_AGAIN':
      return { code, message: `DNS lookup of ${host} failed temporarily (is the network up?)`, permanent: false };
    case 'ENETUNREACH':
      return { code, message: `network unreachable on the way to ${where} (is this machine online?)`, permanent: true };
    case 'EHOSTUNREACH':
      return { code, message: `host ${where} unreachable`, permanent: false };
    case 'ECONNRESET':
      return { code, message: `connection reset by ${host}`, permanent: false };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code, message: `connection to ${host} timed out`, permanent: false };
    default:
      if (code.startsWith('ERR_SSL_') || code === 'EPROTO') {
        return { code, message: `TLS handshake with ${host} failed (${code}; an https:// URL for a plain http server?)`, permanent: true };
      }
      if (TLS_CODE.test(code)) return { code, message: `TLS error with ${host}: its certificate was rejected (${code})`, permanent: true };
      return null;
  }
}
