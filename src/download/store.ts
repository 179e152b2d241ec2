/**
 * The small file-system interface the downloader writes through: a folder on disk in Node
 * (`src/download/node-store.ts`), the Origin Private File System in browsers
 * (`src/download/opfs-store.ts`). Paths are relative to the store's root, `/`-separated.
 * @module
 */

/**
 * What `stat` reports.
 * @example
 * ```ts
 * (await store.stat('a.mat')) // { kind: 'file', size: 5217 } or null
 * ```
 */
export interface StoreEntryInfo {
  readonly kind: 'file' | 'directory';
  /** Bytes (0 for directories). */
  readonly size: number;
}

/**
 * An open file being written: chunks go in order; `close` makes them durable and visible.
 * @example
 * ```ts
 * const w = await store.openWriter('a.part', { append: true }); await w.write(chunk); await w.close();
 * ```
 */
export interface StoreWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * A folder-like store. Obtain one with `platform.openFileStore(root)`.
 * @example
 * ```ts
 * import { platform } from '#platform';
 * const store = await platform.openFileStore('/tmp/NS1');
 * await store.writeFile('a/b.txt', new TextEncoder().encode('hi'));
 * (await store.stat('a/b.txt'))?.size; // 2
 * ```
 */
export interface FileStore {
  /** Where the store lives (a folder path in Node, an OPFS path in browsers). */
  readonly root: string;
  /** Kind and size of an entry, `null` when it does not exist. */
  stat(path: string): Promise<StoreEntryInfo | null>;
  /** Bytes `[start, end)` of a file (whole file by default; `end` is clamped to the size). */
  read(path: string, start?: number, end?: number): Promise<Uint8Array>;
  /** Creates or replaces a file with `data`, creating parent folders. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Opens a file for sequential writing: appending to it (`append: true`) or truncating it. */
  openWriter(path: string, options: { append: boolean }): Promise<StoreWriter>;
  /** Moves a file, replacing the destination; creates the destination's parent folders. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder (recursively); no error when it does not exist. */
  remove(path: string): Promise<void>;
  /** Entries directly inside a folder (`''` = the root); empty when it does not exist. */
  list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>>;
  /** Creates a folder and its parents. */
  mkdir(path: string): Promise<void>;
}

/**
 * `writeFile` in terms of `openWriter`: truncate, write `data`, close (also on failure). Both
 * store implementations use it.
 * @example
 * ```ts
 * await writeWholeFile(store, 'a.bin', new Uint8Array([1, 2]));
 * ```
 */
export async function writeWholeFile(store: Pick<FileStore, 'openWriter'>, path: string, data: Uint8Array): Promise<void> {
  const w = await store.openWriter(path, { append: false });
  try {
    await w.write(data);
  } finally {
    await w.close();
  }
}
