/**
 * `PickedFolderSource`: a read-only `FileSource` over a `FileSystemDirectoryHandle` — a folder the
 * user picked in a page (`showDirectoryPicker()`, a dropped folder's `getAsFileSystemHandle()`)
 * or a folder of the Origin Private File System. The OPFS download cache (`src/sources/opfs.ts`)
 * extends it with writes.
 * @module
 */
import type { EntryInfo, FileSource } from './types.js';
import { normaliseRelativePath, splitPath } from '../download/manifest.js';

// The part of the File System Access API that TypeScript's DOM lib does not declare yet.
interface DirectoryIterable {
  entries(): AsyncIterableIterator<[string, FileSystemHandle]>;
}

/**
 * True for the errors a missing entry (or a file where a folder is expected) raises.
 * @example
 * ```ts
 * try { await dir.getFileHandle('x'); } catch (e) { if (!isHandleNotFound(e)) throw e; }
 * ```
 */
export const isHandleNotFound = (e: unknown): boolean => {
  const n = (e as { name?: string }).name;
  return n === 'NotFoundError' || n === 'TypeMismatchError';
};

/**
 * A folder handle as a read-only file source. `root` (for messages) defaults to the handle's name.
 * @example
 * ```ts
 * const dir = await window.showDirectoryPicker(); // the user picks the NS1 folder
 * const ds = await NS1Dataset.load({ source: new PickedFolderSource(dir) });
 * ```
 */
export class PickedFolderSource implements FileSource {
  readonly root: string;
  constructor(protected readonly base: FileSystemDirectoryHandle, root?: string) {
    this.root = root ?? base.name;
  }

  /** The handle of the folder holding `path`, and `path`'s last component. */
  protected async parent(path: string, create: boolean): Promise<[FileSystemDirectoryHandle, string]> {
    const parts = splitPath(normaliseRelativePath(path));
    if (parts.length === 0) throw new TypeError(`${this.root}: empty path`);
    let dir = this.base;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create });
    return [dir, parts[parts.length - 1]];
  }

  /** The handle of the folder `path`. */
  protected async dir(path: string, create: boolean): Promise<FileSystemDirectoryHandle> {
    let dir = this.base;
    for (const p of splitPath(normaliseRelativePath(path))) dir = await dir.getDirectoryHandle(p, { create });
    return dir;
  }

  async stat(path: string): Promise<EntryInfo | null> {
    if (splitPath(path).length === 0) return { kind: 'directory', size: 0 };
    let dir: FileSystemDirectoryHandle;
    let name: string;
    try {
      [dir, name] = await this.parent(path, false);
    } catch (e) {
      if (isHandleNotFound(e)) return null;
      throw e;
    }
    try {
      return { kind: 'file', size: (await (await dir.getFileHandle(name)).getFile()).size };
    } catch (e) {
      if (!isHandleNotFound(e)) throw e;
    }
    try {
      await dir.getDirectoryHandle(name);
      return { kind: 'directory', size: 0 };
    } catch (e) {
      if (isHandleNotFound(e)) return null;
      throw e;
    }
  }

  async read(path: string, start = 0, end?: number): Promise<Uint8Array> {
    const [dir, name] = await this.parent(path, false);
    const f = await (await dir.getFileHandle(name)).getFile();
    return new Uint8Array(await f.slice(start, Math.min(end ?? f.size, f.size)).arrayBuffer());
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    let dir: FileSystemDirectoryHandle;
    try {
      dir = await this.dir(path, false);
    } catch (e) {
      if (isHandleNotFound(e)) return [];
      throw e;
    }
    const out: Array<{ name: string; kind: 'file' | 'directory' }> = [];
    for await (const [name, h] of (dir as unknown as DirectoryIterable).entries()) {
      out.push({ name, kind: h.kind === 'directory' ? 'directory' : 'file' });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
