// FileTree (src/sources/tree.ts): the folders a list of file paths implies, as the archive, HTTP
// and file-list sources answer stat and list with it. Expected trees written out by hand.
import { describe, expect, it } from 'vitest';
import { FileTree } from '../../src/sources/tree.js';

describe('FileTree', () => {
  it('implies every folder on a file path; root is ""', () => {
    const t = new FileTree<string>();
    t.add('a/b/c.txt', 'C', 7);
    t.add('a/d.txt', 'D', 2);
    expect(t.stat('')).toEqual({ kind: 'directory', size: 0 });
    expect(t.stat('a')).toEqual({ kind: 'directory', size: 0 });
    expect(t.stat('a/b')).toEqual({ kind: 'directory', size: 0 });
    expect(t.stat('a/b/c.txt')).toEqual({ kind: 'file', size: 7 });
    expect(t.stat('a/d.txt')).toEqual({ kind: 'file', size: 2 });
    expect(t.stat('b')).toBeNull();
    expect(t.stat('a/b/c.txt/x')).toBeNull();
    expect(t.list('')).toEqual([{ name: 'a', kind: 'directory' }]);
    expect(t.list('a')).toEqual([{ name: 'b', kind: 'directory' }, { name: 'd.txt', kind: 'file' }]);
    expect(t.list('a/b')).toEqual([{ name: 'c.txt', kind: 'file' }]);
  });

  it('normalises paths: separators, ".", empty components and backslashes name one file', () => {
    const t = new FileTree<number>();
    t.add('./x//y\\z.bin', 1, 10);
    for (const p of ['x/y/z.bin', 'x\\y\\z.bin', '/x/y/z.bin', 'x/./y//z.bin/']) {
      expect(t.get(p), p).toBe(1);
      expect(t.stat(p), p).toEqual({ kind: 'file', size: 10 });
    }
    expect(t.list('x/')).toEqual([{ name: 'y', kind: 'directory' }]);
  });

  it('lists entries sorted by code unit (upper case before lower, "B" < "a" < "b")', () => {
    const t = new FileTree<number>();
    for (const n of ['b', 'a', 'B', '_', '10', '9']) t.add(n, 0);
    expect(t.list('').map((e) => e.name)).toEqual(['10', '9', 'B', '_', 'a', 'b']);
  });

  it('gives nothing for what is not there: get, stat, list', () => {
    const t = new FileTree<number>();
    t.add('dir/f', 5, 1);
    expect(t.get('dir')).toBeUndefined(); // a folder has no value
    expect(t.get('f')).toBeUndefined();
    expect(t.stat('dir/g')).toBeNull();
    expect(t.list('nowhere')).toEqual([]);
    expect(t.list('dir/f')).toEqual([]); // a file is not a folder
  });

  it('adds empty folders (value undefined) and keeps a folder a folder when a file of its name comes later', () => {
    const t = new FileTree<string>();
    t.add('empty/', undefined);
    t.add('m/inner.txt', 'I', 1);
    t.add('m', 'M', 3); // an archive member "m" after the folder "m/": the folder keeps its listing
    expect(t.stat('empty')).toEqual({ kind: 'directory', size: 0 });
    expect(t.list('empty')).toEqual([]);
    expect(t.list('')).toEqual([{ name: 'empty', kind: 'directory' }, { name: 'm', kind: 'directory' }]);
    expect(t.list('m')).toEqual([{ name: 'inner.txt', kind: 'file' }]);
  });

  it('a later file replaces an earlier one of the same path (value and size)', () => {
    const t = new FileTree<string>();
    t.add('a/f', 'old', 4);
    t.add('a//f', 'new', 9);
    expect(t.get('a/f')).toBe('new');
    expect(t.stat('a/f')).toEqual({ kind: 'file', size: 9 });
    expect(t.list('a')).toEqual([{ name: 'f', kind: 'file' }]);
  });
});
