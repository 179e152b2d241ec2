/** Size and SHA-256 checks of files in a store. @module */
import { platform } from '#platform';
import type { WritableSource } from '../sources/types.js';
import type { FileDigest } from './manifest.js';
import { IntegrityError } from './errors.js';

const HASH_CHUNK = 4 << 20;

/**
 * SHA-256 of a stored file, read in 4 MiB pieces (never whole into memory).
 * @example
 * ```ts
 * await hashStoredFile(store, 'MetadataSHEnCneurons.mat'); // '3f…'
 * ```
 */
export async function hashStoredFile(store: WritableSource, path: string, size?: number): Promise<string> {
  const total = size ?? (await store.stat(path))?.size ?? 0;
  const h = platform.createSha256();
  for (let off = 0; off < total; off += HASH_CHUNK) h.update(await store.read(path, off, Math.min(total, off + HASH_CHUNK)));
  return h.hex();
}

/**
 * Checks `stored` (default `expected.path`) against `expected`'s size and SHA-256 (`mode:
 * 'size'` skips the hash). On mismatch removes the file and throws `IntegrityError` naming
 * `expected.path`. Returns `false` (and removes nothing) when the file is missing.
 * @example
 * ```ts
 * await verifyStoredFile(store, { path: 'a.bin', size: 3, sha256: '039058c6…' }, url);
 * ```
 */
export async function verifyStoredFile(
  store: WritableSource,
  expected: FileDigest,
  url: string,
  options: { stored?: string; mode?: 'sha256' | 'size' } = {},
): Promise<boolean> {
  const stored = options.stored ?? expected.path;
  const info = await store.stat(stored);
  if (!info || info.kind !== 'file') return false;
  if (expected.size !== undefined && info.size !== expected.size) {
    await store.remove(stored);
    throw new IntegrityError(expected.path, url, 'size', expected.size, info.size);
  }
  if (expected.sha256 !== undefined && options.mode !== 'size') {
    const actual = await hashStoredFile(store, stored, info.size);
    if (actual !== expected.sha256.toLowerCase()) {
      await store.remove(stored);
      throw new IntegrityError(expected.path, url, 'sha256', expected.sha256.toLowerCase(), actual);
    }
  }
  return true;
}
