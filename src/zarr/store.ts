/**
 * File sources as zarrita stores: any `FileSource` (a Node folder, OPFS, an HTTP base URL, memory)
 * reads as a zarrita `AsyncReadable`, and a `WritableSource` writes as one whose every key lands
 * atomically (written to `<key>.partial`, then renamed over the key), so an interrupted export
 * never leaves a half-written chunk under its real name.
 * @module
 */
import type { AbsolutePath, AsyncMutable, AsyncReadable, RangeQuery } from 'zarrita';
import { HttpSourceError } from '../sources/http.js';
import { isHandleNotFound } from '../sources/picked-folder.js';
import type { FileSource, WritableSource } from '../sources/types.js';

/** The suffix of a key being written. */
export const PARTIAL_SUFFIX = '.partial';

/** True for the error a source throws when a file does not exist (fs, memory, OPFS, HTTP 404/410). */
export function isNotFound(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return true;
  if (e instanceof HttpSourceError) return e.status === 404 || e.status === 410;
  return isHandleNotFound(e);
}

/** A zarrita key (`/a/zarr.json`) as a source path (`a/zarr.json`). */
export const keyPath = (key: string): string => key.replace(/^\/+/, '');

/**
 * A `FileSource` as a zarrita store: `get` reads a whole file (undefined when it does not exist),
 * `getRange` a byte range.
 * @example
 * ```ts
 * import * as zarr from 'zarrita';
 * const arr = await zarr.open(zarr.root(readableStore(source)).resolve('masks'), { kind: 'array' });
 * ```
 */
export function readableStore(source: FileSource): AsyncReadable {
  return {
    async get(key: AbsolutePath): Promise<Uint8Array | undefined> {
      try {
        return await source.read(keyPath(key));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async getRange(key: AbsolutePath, range: RangeQuery): Promise<Uint8Array | undefined> {
      const path = keyPath(key);
      try {
        if ('suffixLength' in range) {
          const st = await source.stat(path);
          if (st === null) return undefined;
          return await source.read(path, Math.max(0, st.size - range.suffixLength), st.size);
        }
        return await source.read(path, range.offset, range.offset + range.length);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
  };
}

/**
 * A `WritableSource` as a zarrita store whose `set` is atomic per key (tmp + rename).
 * @example
 * ```ts
 * const store = writableStore(await platform.openWritableSource('/tmp/ns1.zarr'));
 * await zarr.create(zarr.root(store), { attributes: {} });
 * ```
 */
export function writableStore(dir: WritableSource): AsyncMutable {
  return {
    ...readableStore(dir),
    async set(key: AbsolutePath, value: Uint8Array): Promise<void> {
      const path = keyPath(key);
      await dir.writeFile(path + PARTIAL_SUFFIX, value);
      await dir.rename(path + PARTIAL_SUFFIX, path);
    },
  };
}
