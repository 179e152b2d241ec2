/**
 * The folder tree implied by a list of file paths, for sources without real folders (archives,
 * HTTP mirrors, picked or dropped files): each file keeps a value of the source's own (an archive
 * member's entry, a `File`, a listed size) and answers `stat` and `list` like a `FileSource`.
 * @module
 */
import { splitPath } from '../download/manifest.js';
import type { EntryInfo } from './types.js';

/**
 * Files and the folders their paths imply. Paths are normalised with `splitPath` (`a//b/`, `./a/b`
 * and `a/b` are the same file); `''` is the root folder.
 * @example
 * ```ts
 * const t = new FileTree<number>();
 * t.add('a/b.txt', 3, 3);
 * t.stat('a'); // { kind: 'directory', size: 0 }
 * t.list('a'); // [{ name: 'b.txt', kind: 'file' }]
 * t.get('a/b.txt'); // 3
 * ```
 */
export class FileTree<T> {
  private readonly files = new Map<string, { value: T; size: number }>();
  private readonly dirs = new Map<string, Map<string, 'file' | 'directory'>>([['', new Map()]]);

  /**
   * Adds a file (with its value and size) or, with `value` undefined, a folder; a later file
   * replaces an earlier one of the same path. A name that is a folder stays one.
   */
  add(path: string, value: T | undefined, size = 0): void {
    const parts = splitPath(path);
    for (let i = 0; i < parts.length; i++) {
      const kind = i === parts.length - 1 && value !== undefined ? 'file' : 'directory';
      const m = this.dirs.get(parts.slice(0, i).join('/')) as Map<string, 'file' | 'directory'>;
      if (m.get(parts[i]) !== 'directory') m.set(parts[i], kind);
      const sub = parts.slice(0, i + 1).join('/');
      if (kind === 'directory' && !this.dirs.has(sub)) this.dirs.set(sub, new Map());
    }
    if (value !== undefined && parts.length > 0) this.files.set(parts.join('/'), { value, size });
  }

  /** The value of the file at `path`, if any. */
  get(path: string): T | undefined {
    return this.files.get(splitPath(path).join('/'))?.value;
  }

  /** A file's kind and size, a folder's kind (size 0), or `null` when neither is there. */
  stat(path: string): EntryInfo | null {
    const p = splitPath(path).join('/');
    const f = this.files.get(p);
    if (f) return { kind: 'file', size: f.size };
    return this.dirs.has(p) ? { kind: 'directory', size: 0 } : null;
  }

  /** Entries directly inside a folder, sorted by name; empty when it does not exist. */
  list(path: string): Array<{ name: string; kind: 'file' | 'directory' }> {
    const m = this.dirs.get(splitPath(path).join('/'));
    return m ? [...m].map(([name, kind]) => ({ name, kind })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : [];
  }
}
