// The OPFS WritableSource in real Chromium: write, append, range read, rename, list, remove; then a
// real download through fetchFile/downloadDataset into OPFS (from the test page's own HTTP
// server), checked against WebCrypto's SHA-256 of the same bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platform } from '#platform';
import type { WritableSource } from '../../../src/sources/types.js';
import { downloadDataset, DownloadError, IntegrityError, type DatasetManifest } from '../../../src/index.js';

const ROOT = `deepstrf-test/opfs-${Date.now()}`;
const bytes = (...v: number[]) => new Uint8Array(v);
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('OPFS WritableSource (Chromium)', () => {
  let store: WritableSource;
  beforeAll(async () => {
    expect(platform.name).toBe('browser');
    store = await platform.openWritableSource(ROOT);
  });
  afterAll(async () => {
    const top = await navigator.storage.getDirectory();
    await top.removeEntry('deepstrf-test', { recursive: true });
  });

  it('writes, stats and reads back, creating parent folders', async () => {
    await store.writeFile('a/b/c.bin', bytes(1, 2, 3, 4, 5));
    expect(await store.stat('a/b/c.bin')).toEqual({ kind: 'file', size: 5 });
    expect(await store.stat('a/b')).toEqual({ kind: 'directory', size: 0 });
    expect(await store.stat('a/b/none')).toBeNull();
    expect(await store.stat('zz/none')).toBeNull();
    expect(await store.read('a/b/c.bin')).toEqual(bytes(1, 2, 3, 4, 5));
  });

  it('reads byte ranges (end clamped to the size)', async () => {
    expect(await store.read('a/b/c.bin', 1, 3)).toEqual(bytes(2, 3));
    expect(await store.read('a/b/c.bin', 3)).toEqual(bytes(4, 5));
    expect(await store.read('a/b/c.bin', 4, 100)).toEqual(bytes(5));
  });

  it('appends through one writer and truncates when not appending', async () => {
    const w = await store.openWriter('a/b/c.bin', { append: true });
    await w.write(bytes(6, 7));
    await w.write(bytes(8));
    await w.close();
    expect(await store.read('a/b/c.bin')).toEqual(bytes(1, 2, 3, 4, 5, 6, 7, 8));
    const t = await store.openWriter('a/b/c.bin', { append: false });
    await t.write(bytes(9));
    await t.close();
    expect(await store.read('a/b/c.bin')).toEqual(bytes(9));
  });

  it('renames (replacing the destination, into a new folder) and lists', async () => {
    await store.writeFile('x.part', bytes(1, 1));
    await store.writeFile('dest/x', bytes(0));
    await store.rename('x.part', 'dest/x');
    expect(await store.stat('x.part')).toBeNull();
    expect(await store.read('dest/x')).toEqual(bytes(1, 1));
    await store.rename('dest/x', 'new/deeper/y');
    expect(await store.read('new/deeper/y')).toEqual(bytes(1, 1));
    expect(await store.list('')).toEqual([
      { name: 'a', kind: 'directory' }, { name: 'dest', kind: 'directory' }, { name: 'new', kind: 'directory' },
    ]);
    expect(await store.list('nope')).toEqual([]);
  });

  it('removes files and folders recursively; removing a missing path is fine', async () => {
    await store.remove('a');
    expect(await store.stat('a/b/c.bin')).toBeNull();
    expect(await store.stat('a')).toBeNull();
    await store.remove('a');
    await store.remove('never/was');
  });

  it('refuses paths that escape the store', async () => {
    await expect(store.writeFile('../evil', bytes(1))).rejects.toThrow(/"\.\." component/);
    await expect(store.stat('/abs')).rejects.toThrow(/absolute path/);
  });

  it('downloads over HTTP into OPFS, verified against WebCrypto SHA-256, idempotently', async () => {
    const url = new URL('/package.json', location.origin).href;
    const ref = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const sha256 = hex(await crypto.subtle.digest('SHA-256', ref));
    const manifest: DatasetManifest = { name: 'T', files: [{ path: 'meta/package.json', url, size: ref.length, sha256 }] };
    const seen: number[] = [];
    const r = await downloadDataset(manifest, { store, onProgress: (p) => seen.push(p.loaded) });
    expect(r.downloaded).toEqual(['meta/package.json']);
    expect(await store.read('meta/package.json')).toEqual(ref);
    expect(seen[seen.length - 1]).toBe(ref.length);
    const again = await downloadDataset(manifest, { store });
    expect(again.skipped).toEqual(['meta/package.json']);
    const bad: DatasetManifest = { name: 'T', files: [{ path: 'bad.json', url, sha256: '1'.repeat(64) }] };
    await expect(downloadDataset(bad, { store })).rejects.toBeInstanceOf(IntegrityError);
    expect(await store.stat('bad.json')).toBeNull();
    expect(await store.stat('bad.json.part')).toBeNull();
    const missing: DatasetManifest = { name: 'T', files: [{ path: 'm.bin', url: new URL('/no/such/file.bin', location.origin).href }] };
    const err = await downloadDataset(missing, { store }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).status).toBe(404);
  });
});
