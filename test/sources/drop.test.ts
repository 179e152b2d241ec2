// droppedFiles walks dropped entries (FileSystemEntry-shaped: files, folders read in batches,
// nested folders) into { path, file } pairs that FileListSource addresses by path.
import { describe, expect, it } from 'vitest';
import { droppedFiles, FileListSource } from '../../src/index.js';

type Fake = { isFile: boolean; isDirectory: boolean; name: string; file?: (ok: (f: File) => void) => void; createReader?: () => { readEntries(ok: (e: Fake[]) => void): void } };
const fileEntry = (name: string, bytes: number[]): Fake => ({
  isFile: true, isDirectory: false, name, file: (ok) => ok(new File([new Uint8Array(bytes)], name)),
});
/** A folder whose reader answers in batches of two, then an empty batch. */
const dirEntry = (name: string, children: Fake[]): Fake => ({
  isFile: false, isDirectory: true, name,
  createReader: () => {
    let at = 0;
    return { readEntries: (ok) => { const b = children.slice(at, at + 2); at += b.length; setTimeout(() => ok(b), 0); } };
  },
});
const item = (e: Fake | null, kind = 'file') => ({ kind, webkitGetAsEntry: () => e });

describe('droppedFiles', () => {
  it('walks a dropped folder (batched reads, nesting) into paths; FileListSource strips the folder', async () => {
    const ns1 = dirEntry('NS1', [
      fileEntry('a.bin', [1, 2]), fileEntry('b.bin', [3]),
      dirEntry('sub', [fileEntry('c.bin', [4, 5, 6]), dirEntry('empty', [])]),
    ]);
    const got = await droppedFiles([item(ns1), item(null), item(fileEntry('x', [9]), 'string')]);
    expect(got.map((f) => f.path)).toEqual(['NS1/a.bin', 'NS1/b.bin', 'NS1/sub/c.bin']);
    const src = new FileListSource(got);
    expect(src.root).toBe('NS1');
    expect(await src.read('sub/c.bin', 1)).toEqual(new Uint8Array([5, 6]));
    expect(await src.list('')).toEqual([{ name: 'a.bin', kind: 'file' }, { name: 'b.bin', kind: 'file' }, { name: 'sub', kind: 'directory' }]);
  });

  it('dropped loose files keep their names', async () => {
    const got = await droppedFiles([item(fileEntry('m.mat', [7])), item(fileEntry('n.mat', [8]))]);
    const src = new FileListSource(got);
    expect(src.root).toBe('files:');
    expect(await src.read('n.mat')).toEqual(new Uint8Array([8]));
  });
});
