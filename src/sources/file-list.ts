/**
 * `FileListSource`: a read-only `FileSource` over `File` objects — a folder chosen with
 * `<input type="file" webkitdirectory>`, or dropped on a page (`droppedFiles` in
 * `src/sources/drop.ts` gives its files with their paths). Each file's place in the tree is its
 * given path, else its `webkitRelativePath`, else its `name`; the folder the user picked (the
 * first component every path shares) is stripped, so paths are relative to the dataset folder.
 * @module
 */
import type { EntryInfo, FileSource } from './types.js';
import { ValueError } from '../errors.js';
import { normaliseRelativePath, splitPath } from '../download/manifest.js';
import { FileTree } from './tree.js';

/**
 * A file with its path in the picked or dropped tree (what `droppedFiles` returns).
 * @example
 * ```ts
 * const f: PathedFile = { path: 'NS1/MetadataSHEnCneurons.mat', file };
 * ```
 */
export interface PathedFile {
  readonly path: string;
  readonly file: File;
}

/**
 * Files from a folder input or a drop, addressed by their relative paths.
 * @example
 * ```ts
 * // <input type="file" webkitdirectory> on which the user chose the NS1 folder
 * input.onchange = async () => {
 *   const ds = await NS1Dataset.load({ source: new FileListSource(input.files!) });
 * };
 * ```
 */
export class FileListSource implements FileSource {
  readonly root: string;
  private readonly tree = new FileTree<File>();

  /**
   * @param files the files (a `FileList`, an array of `File`s, or of `{ path, file }`).
   * @param options `stripRoot` (default true): drop the first path component when every file
   * shares it (the picked folder's name); `root` names the source in messages (default: that
   * stripped folder name, else `files:`).
   */
  constructor(files: ArrayLike<File | PathedFile> | Iterable<File | PathedFile>, options: { stripRoot?: boolean; root?: string } = {}) {
    const given = Array.from(files as ArrayLike<File | PathedFile>);
    const list = given.map((f) => ('file' in f && 'path' in f ? f.file : f));
    const paths = given.map((f, i) =>
      splitPath(normaliseRelativePath('file' in f && 'path' in f ? f.path : list[i].webkitRelativePath || list[i].name, 'file path')));
    const first = paths[0]?.[0];
    const strip = (options.stripRoot ?? true) && first !== undefined && paths.every((p) => p.length > 1 && p[0] === first);
    this.root = options.root ?? (strip ? first! : 'files:');
    paths.forEach((parts, i) => {
      const rel = strip ? parts.slice(1) : parts;
      const key = rel.join('/');
      if (this.tree.get(key)) throw new ValueError(`${this.root}: two files have the path ${key}`);
      this.tree.add(key, list[i], list[i].size);
    });
  }

  async stat(path: string): Promise<EntryInfo | null> {
    return this.tree.stat(path);
  }

  async read(path: string, start = 0, end?: number): Promise<Uint8Array> {
    const key = splitPath(path).join('/');
    const f = this.tree.get(key);
    if (!f) {
      const dir = this.tree.stat(key)?.kind === 'directory';
      throw Object.assign(new Error(`${this.root}/${key}: ${dir ? 'is a folder' : 'no such file'}`), { code: dir ? 'EISDIR' : 'ENOENT' });
    }
    return new Uint8Array(await f.slice(start, Math.min(end ?? f.size, f.size)).arrayBuffer());
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    return this.tree.list(path);
  }
}
