/**
 * Where a Zarr store lives, said in a form that can be posted to a worker, so that each loader
 * worker opens the same store itself (docs/zarr.md, "The DataLoader"): a folder path (Node), an
 * http(s) base URL with its file list and headers, or an OPFS path (browsers). A source that
 * cannot be said so (a custom `FileSource`, a `MemorySource`, an `HttpSource` with its own
 * `fetch`) has no location.
 * @module
 */
import { platform } from '#platform';
import { HttpSource, type HttpSourceOptions } from '../sources/http.js';
import type { FileSource } from '../sources/types.js';

/**
 * A store's location, structured-cloneable.
 * @example
 * ```ts
 * const loc: ZarrStoreLocation = { kind: 'http', url: 'https://data.example.org/ns1.zarr/', options: {} };
 * ```
 */
export type ZarrStoreLocation =
  | { kind: 'folder'; path: string }
  | { kind: 'opfs'; path: string }
  | { kind: 'http'; url: string; options: HttpSourceOptions };

/**
 * The location of `source`, or null when another thread cannot open it again.
 * @example
 * ```ts
 * storeLocation(new HttpSource('https://data.example.org/ns1.zarr/')); // { kind: 'http', url: …, options: {} }
 * storeLocation(new MemorySource(files));                               // null
 * ```
 */
export function storeLocation(source: FileSource): ZarrStoreLocation | null {
  if (source instanceof HttpSource) {
    const options = source.cloneableOptions();
    return options && { kind: 'http', url: source.root, options };
  }
  const path = platform.writableSourceRoot(source);
  if (path === null) return null;
  return platform.name === 'node' ? { kind: 'folder', path } : { kind: 'opfs', path };
}

/**
 * Opens the source at `loc` (in this thread).
 * @example
 * ```ts
 * const src = await openStoreLocation({ kind: 'folder', path: '/data/ns1.zarr' });
 * ```
 */
export async function openStoreLocation(loc: ZarrStoreLocation): Promise<FileSource> {
  return loc.kind === 'http' ? new HttpSource(loc.url, loc.options) : platform.openWritableSource(loc.path);
}

/**
 * The location in words, for messages (`folder /data/ns1.zarr`, `https://…/ns1.zarr/`, `OPFS deepSTRF/ns1.zarr`).
 * @example
 * ```ts
 * describeStoreLocation({ kind: 'folder', path: '/data/ns1.zarr' }); // 'folder /data/ns1.zarr'
 * ```
 */
export function describeStoreLocation(loc: ZarrStoreLocation): string {
  return loc.kind === 'http' ? loc.url : `${loc.kind === 'folder' ? 'folder' : 'OPFS'} ${loc.path}`;
}
