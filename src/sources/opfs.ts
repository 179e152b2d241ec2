/**
 * The browser `WritableSource`: a folder of the Origin Private File System
 * (`navigator.storage.getDirectory()`). Imported only by `src/platform/browser.ts`.
 * @module
 */
import { writeWholeFile, type WritableSource, type EntryInfo, type FileWriter } from './types.js';
import { normaliseRelativePath, splitPath } from '../download/manifest.js';

// Parts of the File System Access API that TypeScript's DOM lib does not declare yet.
interface DirectoryIterable {
  entries(): AsyncIterableIterator<[string, FileSystemHandle]>;
}
interface MovableFileHandle {
  move?(parent: FileSystemDirectoryHandle, name: string): Promise<void>;
}

const isNotFound = (e: unknown): boolean => {
  const n = (e as { name?: string }).name;
  return n === 'NotFoundError' || n === 'TypeMismatchError';
};

/**
 * Opens (creating) the OPFS folder `root` (a `/`-separated path from the OPFS root).
 * @example
 * ```ts
 * const store = await openOpfsSource('deepSTRF/NS1');
 * await store.writeFile('a.bin', new Uint8Array([1]));
 * ```
 */
export async function openOpfsSource(root: string): Promise<WritableSource> {
  if (typeof navigator === 'undefined' || !navigator.storage?.getDirectory) {
    throw new Error('the Origin Private File System is not available (navigator.storage.getDirectory)');
  }
  let dir = await navigator.storage.getDirectory();
  for (const part of splitPath(normaliseRelativePath(root, 'OPFS root'))) dir = await dir.getDirectoryHandle(part, { create: true });
  return new OpfsSource(root, dir);
}

class OpfsSource implements WritableSource {
  constructor(readonly root: string, private readonly base: FileSystemDirectoryHandle) {}

  /** The parent folder handle of `path` and its last component. */
  private async parent(path: string, create: boolean): Promise<[FileSystemDirectoryHandle, string]> {
    const parts = splitPath(normaliseRelativePath(path));
    if (parts.length === 0) throw new Error('OPFS store: empty path');
    let dir = this.base;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create });
    return [dir, parts[parts.length - 1]];
  }

  private async dir(path: string, create: boolean): Promise<FileSystemDirectoryHandle> {
    let dir = this.base;
    for (const p of splitPath(normaliseRelativePath(path))) dir = await dir.getDirectoryHandle(p, { create });
    return dir;
  }

  private async file(path: string): Promise<File> {
    const [dir, name] = await this.parent(path, false);
    return (await dir.getFileHandle(name)).getFile();
  }

  async stat(path: string): Promise<EntryInfo | null> {
    if (splitPath(path).length === 0) return { kind: 'directory', size: 0 };
    let dir: FileSystemDirectoryHandle;
    let name: string;
    try {
      [dir, name] = await this.parent(path, false);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
    try {
      return { kind: 'file', size: (await (await dir.getFileHandle(name)).getFile()).size };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      await dir.getDirectoryHandle(name);
      return { kind: 'directory', size: 0 };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async read(path: string, start = 0, end?: number): Promise<Uint8Array> {
    const f = await this.file(path);
    return new Uint8Array(await f.slice(start, Math.min(end ?? f.size, f.size)).arrayBuffer());
  }

  writeFile(path: string, data: Uint8Array): Promise<void> {
    return writeWholeFile(this, path, data);
  }

  async openWriter(path: string, options: { append: boolean }): Promise<FileWriter> {
    const [dir, name] = await this.parent(path, true);
    const handle = await dir.getFileHandle(name, { create: true });
    // One writable for the whole file: reopening with keepExistingData copies the file each time.
    const writable = await handle.createWritable({ keepExistingData: options.append });
    if (options.append) await writable.seek((await handle.getFile()).size);
    let closed = false;
    return {
      write: async (chunk) => {
        await writable.write(chunk as Uint8Array<ArrayBuffer>);
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await writable.close();
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    const [srcDir, srcName] = await this.parent(from, false);
    const handle = (await srcDir.getFileHandle(srcName)) as FileSystemFileHandle & MovableFileHandle;
    const [dstDir, dstName] = await this.parent(to, true);
    await this.remove(to);
    if (handle.move) {
      await handle.move(dstDir, dstName);
      return;
    }
    // No move(): copy through a stream, then delete the source.
    const dst = await (await dstDir.getFileHandle(dstName, { create: true })).createWritable();
    await (await handle.getFile()).stream().pipeTo(dst);
    await srcDir.removeEntry(srcName);
  }

  async remove(path: string): Promise<void> {
    try {
      const [dir, name] = await this.parent(path, false);
      await dir.removeEntry(name, { recursive: true });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    let dir: FileSystemDirectoryHandle;
    try {
      dir = await this.dir(path, false);
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
    const out: Array<{ name: string; kind: 'file' | 'directory' }> = [];
    for await (const [name, h] of (dir as unknown as DirectoryIterable).entries()) {
      out.push({ name, kind: h.kind === 'directory' ? 'directory' : 'file' });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async mkdir(path: string): Promise<void> {
    await this.dir(path, true);
  }
}
