// networkFailure: fetch's hidden system errors, explained; which ones are worth a retry.
import { describe, expect, it } from 'vitest';
import { networkFailure } from '../../../src/download/network-error.js';

/** What Node's fetch throws: TypeError('fetch failed') with the system error as `cause`. */
const fetchFailed = (cause: object) => Object.assign(new TypeError('fetch failed'), { cause });
const sys = (code: string, extra: object = {}) => Object.assign(new Error(`${code} (test)`), { code, ...extra });

describe('networkFailure', () => {
  it('refused, not found and TLS failures are permanent, each said plainly', () => {
    const url = 'http://mirror.example:8080/NS1/a.mat';
    expect(networkFailure(fetchFailed(sys('ECONNREFUSED', { address: '127.0.0.1', port: 8080 })), url)).toEqual({
      code: 'ECONNREFUSED', permanent: true, message: 'connection refused by 127.0.0.1:8080 (no server is listening there; check the URL and port)',
    });
    expect(networkFailure(fetchFailed(sys('ENOTFOUND', { hostname: 'mirror.example' })), url)).toEqual({
      code: 'ENOTFOUND', permanent: true, message: 'host mirror.example not found (DNS lookup failed; check the URL and your network)',
    });
    expect(networkFailure(fetchFailed(sys('ERR_SSL_WRONG_VERSION_NUMBER')), url)?.message).toBe(
      'TLS handshake with mirror.example:8080 failed (ERR_SSL_WRONG_VERSION_NUMBER; an https:// URL for a plain http server?)',
    );
    expect(networkFailure(fetchFailed(sys('CERT_HAS_EXPIRED')), url)).toEqual({
      code: 'CERT_HAS_EXPIRED', permanent: true, message: 'TLS error with mirror.example:8080: its certificate was rejected (CERT_HAS_EXPIRED)',
    });
    expect(networkFailure(fetchFailed(sys('DEPTH_ZERO_SELF_SIGNED_CERT')), url)?.permanent).toBe(true);
  });

  it('transient failures stay retryable', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'EHOSTUNREACH']) {
      expect(networkFailure(fetchFailed(sys(code)), 'http://h/x')?.permanent, code).toBe(false);
    }
  });

  it('finds the code inside an AggregateError (several addresses tried)', () => {
    const agg = Object.assign(new AggregateError([sys('ECONNREFUSED', { address: '::1', port: 81 }), sys('ECONNREFUSED')], 'x'), { code: 'ECONNREFUSED' });
    expect(networkFailure(fetchFailed(agg), 'http://localhost:81/x')?.message).toBe('connection refused by ::1:81 (no server is listening there; check the URL and port)');
  });

  it("fetch's blocked ports are permanent; errors without a system code are left to the caller", () => {
    expect(networkFailure(fetchFailed(new Error('bad port')), 'http://127.0.0.1:9/x')).toEqual({
      code: 'BAD_PORT', permanent: true, message: 'fetch refuses port 9 (reserved for other protocols)',
    });
    expect(networkFailure(fetchFailed(new Error('unknown scheme')), 'ftp://h/x')).toEqual({
      code: 'UNKNOWN_SCHEME', permanent: true, message: 'not an http:// or https:// URL',
    });
    expect(networkFailure(new Error('HTTP 500'), 'http://h/x')).toBeNull();
    expect(networkFailure(undefined, 'http://h/x')).toBeNull();
  });

  it('real fetch of a malformed URL (a bad DEEPSTRF_NS1_MIRROR) is permanent', async () => {
    const e = await fetch('not-a-url/a.mat').then(() => null, (x: unknown) => x);
    expect(networkFailure(e, 'not-a-url/a.mat')).toEqual({ code: 'ERR_INVALID_URL', permanent: true, message: 'not a valid URL (check the mirror)' });
  });

  it('real fetch to a closed loopback port is ECONNREFUSED', async () => {
    const { createServer } = await import('node:net');
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    const e = await fetch(`http://127.0.0.1:${port}/x`).then(() => null, (x: unknown) => x);
    expect(networkFailure(e, `http://127.0.0.1:${port}/x`)).toMatchObject({ code: 'ECONNREFUSED', permanent: true });
  });
});
