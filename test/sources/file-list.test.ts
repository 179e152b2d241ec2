// FileListSource over File objects as a folder input or a drop gives them: webkitRelativePath
// with the picked folder's name first (stripped), stat / read / range / list.
import { describe, expect, it } from 'vitest';
import { FileListSource, ValueError } from '../../src/index.js';

const file = (rel: string, content: number[]): File => {
  const f = new File([new Uint8Array(content)], rel.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: rel });
  return f;
};

describe('FileListSource', () => {
  const files = [file('NS1/a.bin', [1, 2, 3, 4, 5]), file('NS1/sub/b.bin', [9]), file('NS1/sub/deep/c.bin', [])];

  it('strips the common root folder and names the source after it', async () => {
    const src = new FileListSource(files);
    expect(src.root).toBe('NS1');
    expect(await src.stat('a.bin')).toEqual({ kind: 'file', size: 5 });
    expect(await src.stat('sub')).toEqual({ kind: 'directory', size: 0 });
    expect(await src.stat('')).toEqual({ kind: 'directory', size: 0 });
    expect(await src.stat('NS1/a.bin')).toBeNull();
    expect(await src.stat('sub/none')).toBeNull();
  });

  it('reads whole files and ranges (end clamped)', async () => {
    const src = new FileListSource(files);
    expect(await src.read('a.bin')).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
    expect(await src.read('a.bin', 1, 3)).toEqual(new Uint8Array([2, 3]));
    expect(await src.read('a.bin', 3, 99)).toEqual(new Uint8Array([4, 5]));
    expect(await src.read('sub/deep/c.bin')).toEqual(new Uint8Array(0));
    await expect(src.read('nope.bin')).rejects.toThrow('NS1/nope.bin: no such file');
    await expect(src.read('sub')).rejects.toThrow('NS1/sub: is a folder');
  });

  it('lists folders, sorted, files and sub-folders', async () => {
    const src = new FileListSource(files);
    expect(await src.list('')).toEqual([{ name: 'a.bin', kind: 'file' }, { name: 'sub', kind: 'directory' }]);
    expect(await src.list('sub')).toEqual([{ name: 'b.bin', kind: 'file' }, { name: 'deep', kind: 'directory' }]);
    expect(await src.list('none')).toEqual([]);
  });

  it('keeps paths as they are when there is no common root, or when asked; plain files use their names', async () => {
    const mixed = new FileListSource([file('x/a.bin', [1]), file('y/b.bin', [2])]);
    expect(mixed.root).toBe('files:');
    expect(await mixed.stat('x/a.bin')).toEqual({ kind: 'file', size: 1 });
    const kept = new FileListSource(files, { stripRoot: false, root: 'picked' });
    expect(kept.root).toBe('picked');
    expect(await kept.stat('NS1/sub/b.bin')).toEqual({ kind: 'file', size: 1 });
    const dropped = new FileListSource([new File([new Uint8Array([7])], 'lone.bin')]);
    expect(await dropped.read('lone.bin')).toEqual(new Uint8Array([7]));
  });

  it('refuses unsafe and duplicate paths', () => {
    expect(() => new FileListSource([file('NS1/../x.bin', [1])])).toThrow(ValueError);
    expect(() => new FileListSource([file('NS1/a.bin', [1]), file('NS1/a.bin', [2])])).toThrow('NS1: two files have the path a.bin');
  });
});
