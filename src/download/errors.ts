/**
 * Typed errors of the download layer. Each names the file and the URL at fault.
 * @module
 */
import { FormatError } from '../errors.js';

/**
 * A file that could not be downloaded: an HTTP error status (`status`), a network failure that
 * outlasted the retries, or a server that answered with something other than the file.
 * @example
 * ```ts
 * try { await downloadDataset(manifest); }
 * catch (e) { if (e instanceof DownloadError) console.error(e.file, e.url, e.status); }
 * ```
 */
export class DownloadError extends Error {
  /** The URL requested. */
  readonly url: string;
  /** The file's path in the cache folder. */
  readonly file: string;
  /** The HTTP status, when the server answered with an error status. */
  readonly status: number | undefined;
  constructor(file: string, url: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(`${file}: ${message} (${url})`, options);
    this.name = new.target.name;
    this.url = url;
    this.file = file;
    this.status = status;
  }
}

/**
 * A downloaded (or extracted, or already cached) file whose size or SHA-256 differs from the
 * manifest. The bad file has been removed when this is thrown.
 * @example
 * ```ts
 * catch (e) { if (e instanceof IntegrityError) console.error(e.file, e.check, e.expected, e.actual); }
 * ```
 */
export class IntegrityError extends DownloadError {
  /** Which check failed. */
  readonly check: 'size' | 'sha256';
  /** The manifest's value (bytes or hex digest). */
  readonly expected: string | number;
  /** The value found. */
  readonly actual: string | number;
  constructor(file: string, url: string, check: 'size' | 'sha256', expected: string | number, actual: string | number) {
    super(file, url, `${check === 'size' ? 'size' : 'SHA-256'} mismatch: expected ${expected}, got ${actual}; the file was removed`);
    this.check = check;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * An archive entry that would be written outside the extraction folder (absolute path, `..`
 * component, link pointing outside), or a malformed archive. `entry` names the entry.
 * @example
 * ```ts
 * catch (e) { if (e instanceof ArchiveError) console.error(e.file, e.entry); }
 * ```
 */
export class ArchiveError extends FormatError {
  /** The offending entry's name as stored in the archive ('' when the archive itself is bad). */
  readonly entry: string;
  constructor(archive: string, entry: string, message: string, offset?: number) {
    super(archive, entry ? `entry "${entry}": ${message}` : message, offset);
    this.name = 'ArchiveError';
    this.entry = entry;
  }
}

/**
 * An account-protected source refused access: credentials missing (no network request was
 * made), or the login was rejected. Never holds the username or the password.
 * @example
 * ```ts
 * try { await crcnsDownload(store, 'aa-1/crcns-aa1.zip', 'crcns-aa1.zip'); }
 * catch (e) { if (e instanceof AuthenticationError) console.error(e.message); }
 * ```
 */
export class AuthenticationError extends Error {
  /** The service (`'CRCNS'`). */
  readonly service: string;
  /** The page that showed the failure, when a request was made. */
  readonly url: string | undefined;
  constructor(service: string, message: string, url?: string) {
    super(`${service} ${message}${url ? ` (${url})` : ''}`);
    this.name = 'AuthenticationError';
    this.service = service;
    this.url = url;
  }
}
