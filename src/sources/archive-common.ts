/**
 * What the archive sources (src/sources/zip.ts, src/sources/tar.ts) and the archive extraction
 * (src/download/archive.ts) share: the "no such file" error every source throws, how links
 * resolve, and a queue that runs reads one at a time (their read cursors are shared state). Their
 * folder tree is src/sources/tree.ts.
 * @module
 */
import { relativePathProblem, splitPath } from '../download/manifest.js';

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
 * The bytes `[from, stop)` that `read(path, start, end)` gives of a member of `size` bytes: `end`
 * clamped to the size, `start` to `[0, stop]`.
 * @example
 * ```ts
 * memberRange(10, 4, 99); // [4, 10]
 * ```
 */
export function memberRange(size: number, start: number, end: number | undefined): [from: number, stop: number] {
  const stop = Math.min(end ?? size, size);
  return [Math.min(Math.max(0, start), stop), stop];
}

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
