// The Node folder's read side (the FileSource every Node build reads through): sync and async
// answers agree, ranges clamp, missing entries are null / empty, a folder read as a file is a
// SourceFileError through the build driver.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFolderSource } from '../../../src/sources/node-folder.js';
import { fs, runAsync, runSync, type Build } from '../../../src/sources/build.js';
import { SourceFileError } from '../../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'deepstrf-folder-'));
mkdirSync(join(root, 'sub', 'deep'), { recursive: true });
writeFileSync(join(root, 'a.bin'), new Uint8Array([10, 11, 12, 13]));
writeFileSync(join(root, 'sub', 'b.bin'), new Uint8Array([]));

describe('NodeFolderSource (read side)', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const src = new NodeFolderSource(root);

  it('stat, sync and async', async () => {
    for (const [p, want] of [['a.bin', { kind: 'file', size: 4 }], ['sub', { kind: 'directory', size: 0 }], ['', { kind: 'directory', size: 0 }], ['none', null], ['a.bin/x', null]] as const) {
      expect(src.statSync(p)).toEqual(want);
      expect(await src.stat(p)).toEqual(want);
    }
  });

  it('reads whole files and ranges, end clamped, sync and async', async () => {
    for (const [args, want] of [[['a.bin'], [10, 11, 12, 13]], [['a.bin', 1, 3], [11, 12]], [['a.bin', 2, 99], [12, 13]], [['a.bin', 4], []], [['sub/b.bin'], []]] as const) {
      const [p, s, e] = args as unknown as [string, number?, number?];
      expect(Array.from(src.readSync(p, s, e))).toEqual(want);
      expect(Array.from(await src.read(p, s, e))).toEqual(want);
    }
  });

  it('lists folders; a missing folder lists empty', async () => {
    const sorted = (xs: Array<{ name: string; kind: string }>) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    expect(sorted(src.listSync(''))).toEqual([{ name: 'a.bin', kind: 'file' }, { name: 'sub', kind: 'directory' }]);
    expect(sorted(await src.list('sub'))).toEqual([{ name: 'b.bin', kind: 'file' }, { name: 'deep', kind: 'directory' }]);
    expect(src.listSync('none')).toEqual([]);
  });

  it('a folder read as a file: SourceFileError naming it (EISDIR as the cause), sync and async', async () => {
    function* readSub(): Build<Uint8Array> {
      return yield* fs.read('sub');
    }
    const msg = `${root}/sub: cannot read: is a folder, expected a file`;
    expect(() => runSync(readSub(), src)).toThrow(SourceFileError);
    expect(() => runSync(readSub(), src)).toThrow(msg);
    await expect(runAsync(readSub(), src)).rejects.toThrow(msg);
  });
});
