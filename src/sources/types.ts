/**
 * File sources: the one interface every dataset loader reads through (read a whole file, read a
 * byte range, list a folder, stat), and the writable variant the downloader and archive extractor
 * write through. Implementations: a Node folder (`src/sources/node-folder.ts`), the Origin Private
 * File System (`src/sources/opfs.ts`), and the others in this folder. Paths are relative to the
 * source's root and `/`-separated.
 * @module
 */

/**
 * What `stat` reports.
 * @example
 * ```ts
 * (await source.stat('a.mat')) // { kind: 'file', size: 5217 } or null
 * ```
 */
export interface EntryInfo {
  readonly kind: 'file' | 'directory';
  /** Bytes (0 for directories). */
  readonly size: number;
}

/**
 * An open file being written: chunks go in order; `close` makes them durable and visible.
 * @example
 * ```ts
 * const w = await dir.openWriter('a.part', { append: true }); await w.write(chunk); await w.close();
 * ```
 */
export interface FileWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * A read-only tree of files. Every zoo loader reads through one of these and nothing else.
 * @example
 * ```ts
 * const src: FileSource = new MemorySource({ 'a/b.txt': new TextEncoder().encode('hi') });
 * (await src.stat('a/b.txt'))?.size; // 2
 * (await src.read('a/b.txt', 1)); // Uint8Array [105]
 * (await src.list('a')); // [{ name: 'b.txt', kind: 'file' }]
 * ```
 */
export interface FileSource {
  /** Where the files live, for messages (a folder path, an OPFS path, a URL, `memory:`). */
  readonly root: string;
  /** Kind and size of an entry, `null` when it does not exist. */
  stat(path: string): Promise<EntryInfo | null>;
  /** Bytes `[start, end)` of a file (whole file by default; `end` is clamped to the size). */
  read(path: string, start?: number, end?: number): Promise<Uint8Array>;
  /** Entries directly inside a folder (`''` = the root); empty when it does not exist. */
  list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>>;
}

/**
 * A `FileSource` that can also answer synchronously (a Node folder, a memory map): what the
 * synchronous `new X({ path })` constructors of the zoo read through.
 * @example
 * ```ts
 * const src = new MemorySource({ 'x.bin': new Uint8Array([1, 2]) });
 * src.readSync('x.bin'); // Uint8Array [1, 2]
 * ```
 */
export interface SyncFileSource extends FileSource {
  statSync(path: string): EntryInfo | null;
  readSync(path: string, start?: number, end?: number): Uint8Array;
  listSync(path: string): Array<{ name: string; kind: 'file' | 'directory' }>;
}

/**
 * A folder-like source that can be written: the download cache (a Node folder, an OPFS folder).
 * Obtain one with `platform.openWritableSource(root)`.
 * @example
 * ```ts
 * import { platform } from '#platform';
 * const dir = await platform.openWritableSource('/tmp/NS1');
 * await dir.writeFile('a/b.txt', new TextEncoder().encode('hi'));
 * (await dir.stat('a/b.txt'))?.size; // 2
 * ```
 */
export interface WritableSource extends FileSource {
  /** Creates or replaces a file with `data`, creating parent folders. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Opens a file for sequential writing: appending to it (`append: true`) or truncating it. */
  openWriter(path: string, options: { append: boolean }): Promise<FileWriter>;
  /** Moves a file, replacing the destination; creates the destination's parent folders. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder (recursively); no error when it does not exist. */
  remove(path: string): Promise<void>;
  /** Creates a folder and its parents. */
  mkdir(path: string): Promise<void>;
}

/**
 * `writeFile` in terms of `openWriter`: truncate, write `data`, close (also on failure). Both
 * writable folders use it.
 * @example
 * ```ts
 * await writeWholeFile(dir, 'a.bin', new Uint8Array([1, 2]));
 * ```
 */
export async function writeWholeFile(dir: Pick<WritableSource, 'openWriter'>, path: string, data: Uint8Array): Promise<void> {
  const w = await dir.openWriter(path, { append: false });
  try {
    await w.write(data);
  } finally {
    await w.close();
  }
}
