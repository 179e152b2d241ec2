// PickedFolderSource over a real FileSystemDirectoryHandle (made inside the Origin Private File
// System, as a folder the user picked would be), and the OPFS cache's read side, both through the
// async build driver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platform } from '#platform';
import { PickedFolderSource, SourceFileError } from '../../../src/index.js';
import { fs, runAsync, type Build } from '../../../src/sources/build.js';

const TOP = `deepstrf-picked-${Date.now()}`;

async function put(dir: FileSystemDirectoryHandle, path: string, data: number[]): Promise<void> {
  const parts = path.split('/');
  for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
  const w = await (await dir.getFileHandle(parts[parts.length - 1], { create: true })).createWritable();
  await w.write(new Uint8Array(data));
  await w.close();
}

function* everything(): Build<Array<[string, number[]]>> {
  const out: Array<[string, number[]]> = [];
  const walk = function* (dir: string): Build<void> {
    for (const e of yield* fs.list(dir)) {
      const p = dir ? `${dir}/${e.name}` : e.name;
      if (e.kind === 'directory') yield* walk(p);
      else out.push([p, Array.from(yield* fs.read(p))]);
    }
  };
  yield* walk('');
  return out;
}

describe('PickedFolderSource and the OPFS read side (Chromium)', () => {
  let handle: FileSystemDirectoryHandle;
  beforeAll(async () => {
    handle = await (await navigator.storage.getDirectory()).getDirectoryHandle(TOP, { create: true });
    await put(handle, 'a.bin', [1, 2, 3, 4, 5]);
    await put(handle, 'sub/b.bin', [9, 8]);
    await put(handle, 'sub/deep/c.bin', []);
  });
  afterAll(async () => {
    await (await navigator.storage.getDirectory()).removeEntry(TOP, { recursive: true });
  });

  it('stat, read, ranges, list', async () => {
    const src = new PickedFolderSource(handle);
    expect(src.root).toBe(TOP);
    expect(await src.stat('a.bin')).toEqual({ kind: 'file', size: 5 });
    expect(await src.stat('sub')).toEqual({ kind: 'directory', size: 0 });
    expect(await src.stat('')).toEqual({ kind: 'directory', size: 0 });
    expect(await src.stat('none')).toBeNull();
    expect(await src.stat('none/deeper')).toBeNull();
    expect(await src.read('a.bin', 1, 3)).toEqual(new Uint8Array([2, 3]));
    expect(await src.read('a.bin', 3, 50)).toEqual(new Uint8Array([4, 5]));
    expect(await src.list('sub')).toEqual([{ name: 'b.bin', kind: 'file' }, { name: 'deep', kind: 'directory' }]);
    expect(await src.list('missing')).toEqual([]);
  });

  it('a build walks the picked folder and the same folder opened as the OPFS cache identically', async () => {
    const want: Array<[string, number[]]> = [['a.bin', [1, 2, 3, 4, 5]], ['sub/b.bin', [9, 8]], ['sub/deep/c.bin', []]];
    expect(await runAsync(everything(), new PickedFolderSource(handle, 'picked'))).toEqual(want);
    expect(await runAsync(everything(), await platform.openWritableSource(TOP))).toEqual(want);
  });

  it('a missing file read by a build: SourceFileError naming the root and path', async () => {
    function* missing(): Build<Uint8Array> {
      return yield* fs.read('sub/none.bin');
    }
    const e = await runAsync(missing(), new PickedFolderSource(handle, 'picked')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SourceFileError);
    expect((e as Error).message).toMatch(/^picked\/sub\/none\.bin: cannot read: /);
  });
});
