/** The Node `WritableSource`: a folder on disk, also readable synchronously. Imported only by `src/platform/node.ts`. @module */
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeWholeFile, type SyncFileSource, type WritableSource, type EntryInfo, type FileWriter } from './types.js';
import { normaliseRelativePath, splitPath } from '../download/manifest.js';

const isNotFound = (e: unknown): boolean => (e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'ENOTDIR';

/**
 * A `WritableSource` over the folder `root` (created on first write).
 * @example
 * ```ts
 * const dir = new NodeFolderSource('/tmp/NS1');
 * await dir.writeFile('x.bin', new Uint8Array([1, 2, 3]));
 * dir.readSync('x.bin', 1); // Uint8Array [2, 3]
 * ```
 */
export class NodeFolderSource implements WritableSource, SyncFileSource {
  constructor(readonly root: string) {}

  private abs(path: string): string {
    return join(this.root, ...splitPath(normaliseRelativePath(path)));
  }

  statSync(path: string): EntryInfo | null {
    try {
      const s = statSync(this.abs(path));
      return s.isDirectory() ? { kind: 'directory', size: 0 } : { kind: 'file', size: s.size };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  readSync(path: string, start = 0, end?: number): Uint8Array {
    const fd = openSync(this.abs(path), 'r');
    try {
      const size = fstatSync(fd).size;
      const stop = Math.min(end ?? size, size);
      const out = new Uint8Array(Math.max(0, stop - start));
      let got = 0;
      while (got < out.length) {
        const n = readSync(fd, out, got, out.length - got, start + got);
        if (n === 0) break;
        got += n;
      }
      return got === out.length ? out : out.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }

  listSync(path: string): Array<{ name: string; kind: 'file' | 'directory' }> {
    try {
      const entries = readdirSync(path === '' ? this.root : this.abs(path), { withFileTypes: true });
      return entries.map((d) => ({ name: d.name, kind: d.isDirectory() ? 'directory' as const : 'file' as const }));
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }

  async stat(path: string): Promise<EntryInfo | null> {
    try {
      const s = await stat(this.abs(path));
      return s.isDirectory() ? { kind: 'directory', size: 0 } : { kind: 'file', size: s.size };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async read(path: string, start = 0, end?: number): Promise<Uint8Array> {
    const fh = await open(this.abs(path), 'r');
    try {
      const size = (await fh.stat()).size;
      const stop = Math.min(end ?? size, size);
      const out = new Uint8Array(Math.max(0, stop - start));
      let got = 0;
      while (got < out.length) {
        const { bytesRead } = await fh.read(out, got, out.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === out.length ? out : out.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  writeFile(path: string, data: Uint8Array): Promise<void> {
    return writeWholeFile(this, path, data);
  }

  async openWriter(path: string, options: { append: boolean }): Promise<FileWriter> {
    const abs = this.abs(path);
    await mkdir(dirname(abs), { recursive: true });
    const fh = await open(abs, options.append ? 'a' : 'w');
    let closed = false;
    return {
      write: async (chunk) => {
        let off = 0;
        while (off < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
          off += bytesWritten;
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await fh.close();
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    const dest = this.abs(to);
    await mkdir(dirname(dest), { recursive: true });
    await rename(this.abs(from), dest);
  }

  async remove(path: string): Promise<void> {
    await rm(this.abs(path), { recursive: true, force: true });
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    try {
      const entries = await readdir(path === '' ? this.root : this.abs(path), { withFileTypes: true });
      return entries.map((d) => ({ name: d.name, kind: d.isDirectory() ? 'directory' as const : 'file' as const }));
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }

  async mkdir(path: string): Promise<void> {
    await mkdir(path === '' ? this.root : this.abs(path), { recursive: true });
  }
}
