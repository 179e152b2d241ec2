/**
 * The browser `WritableSource`: a folder of the Origin Private File System
 * (`navigator.storage.getDirectory()`). Imported only by `src/platform/browser.ts`.
 * @module
 */
import { writeWholeFile, type WritableSource, type FileWriter } from './types.js';
import { normaliseRelativePath, splitPath } from '../download/manifest.js';
import { PickedFolderSource, isHandleNotFound } from './picked-folder.js';

// `move()` on file handles: not in TypeScript's DOM lib yet.
interface MovableFileHandle {
  move?(parent: FileSystemDirectoryHandle, name: string): Promise<void>;
}

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

/**
 * The OPFS path `source` was opened from (`openOpfsSource` opens it again, e.g. in a worker), or
 * null when it is not an OPFS source.
 * @example
 * ```ts
 * opfsRootOf(await openOpfsSource('deepSTRF/ns1.zarr')); // 'deepSTRF/ns1.zarr'
 * ```
 */
export function opfsRootOf(source: unknown): string | null {
  return source instanceof OpfsSource ? source.root : null;
}

/** The read side is {@link PickedFolderSource}'s; this adds the writes. */
class OpfsSource extends PickedFolderSource implements WritableSource {
  constructor(root: string, base: FileSystemDirectoryHandle) {
    super(base, root);
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
      if (!isHandleNotFound(e)) throw e;
    }
  }

  async mkdir(path: string): Promise<void> {
    await this.dir(path, true);
  }
}
