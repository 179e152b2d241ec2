// MemorySource: the map-backed source of tests and in-memory files, sync and async.
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../../src/index.js';

describe('MemorySource', () => {
  const src = new MemorySource({ '/a/b.bin': new Uint8Array([1, 2, 3]), 'c.bin': new Uint8Array([4]) });

  it('stat, read (ranges clamped), list; leading slashes ignored', async () => {
    expect(src.root).toBe('memory:');
    expect(await src.stat('a/b.bin')).toEqual({ kind: 'file', size: 3 });
    expect(await src.stat('a')).toEqual({ kind: 'directory', size: 0 });
    expect(src.statSync('x')).toBeNull();
    expect(await src.read('a/b.bin', 1)).toEqual(new Uint8Array([2, 3]));
    expect(src.readSync('a/b.bin', 2, 10)).toEqual(new Uint8Array([3]));
    expect((await src.list('')).sort((x, y) => x.name.localeCompare(y.name))).toEqual([{ name: 'a', kind: 'directory' }, { name: 'c.bin', kind: 'file' }]);
    expect(() => src.readSync('zz')).toThrow('ENOENT: no such file in memory:: zz');
  });
});
