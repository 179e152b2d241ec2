/**
 * What the archive sources (src/sources/zip.ts, src/sources/tar.ts) share: the folder tree implied
 * by member paths, the "no such file" error every source throws, how links resolve, and a queue that runs
 * reads one at a time (their read cursors are shared state).
 * @module
 */
import { relativePathProblem, splitPath } from '../download/manifest.js';
import type { EntryInfo } from './types.js';

/**
 * The error a source throws for a missing file (`code: 'ENOENT'`, as Node's fs and `MemorySource`).
 * @example
 * ```ts
 * throw notFound('memory:/a.zip', 'x.txt');
 * ```
 */
export const notFound = (root: string, path: string): Error =>
  Object.assign(new Error(`ENOENT: no such file in ${root}: ${path}`), { code: 'ENOENT' });

/**
 * Where a link points, as a path from the archive root, or `null` when the target leaves the
 * archive (absolute, or more `..` than there are folders above). A symbolic link's target is
 * relative to the link's folder; a hard link's names a member.
 * @example
 * ```ts
 * resolveLink('a/b/link', 'symlink', '../x.txt'); // 'a/x.txt'
 * resolveLink('link', 'symlink', '../../etc/passwd'); // null
 * ```
 */
export function resolveLink(name: string, kind: 'symlink' | 'hardlink', target: string): string | null {
  if (relativePathProblem(target) === 'is an absolute path' || target.includes('\0')) return null;
  const parts = kind === 'hardlink' ? [] : splitPath(name).slice(0, -1);
  for (const c of splitPath(target)) {
    if (c !== '..') parts.push(c);
    else if (parts.pop() === undefined) return null;
  }
  return parts.join('/');
}

/**
 * Files and the folders their paths imply, answering `stat` and `list` like a `FileSource`.
 * @example
 * ```ts
 * const t = new MemberTree<number>();
 * t.add('a/b.txt', 3, 3);
 * t.list('a'); // [{ name: 'b.txt', kind: 'file' }]
 * ```
 */
export class MemberTree<T> {
  private readonly files = new Map<string, { value: T; size: number }>();
  private readonly dirs = new Map<string, Map<string, 'file' | 'directory'>>([['', new Map()]]);

  /** Adds a file (with its value and size) or, with `value` undefined, a folder; later files replace earlier ones. */
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

  /** The value of the file at `path` (normalised), if any. */
  get(path: string): T | undefined {
    return this.files.get(splitPath(path).join('/'))?.value;
  }

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

/**
 * Runs async jobs one after the other (a failed job does not block the next).
 * @example
 * ```ts
 * const q = new SerialQueue();
 * const bytes = await q.run(() => readNext());
 * ```
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const r = this.tail.then(job);
    this.tail = r.catch(() => undefined);
    return r;
  }
}
