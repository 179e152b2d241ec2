// Archive extraction: well-formed zip / tar / tar.gz (pax long names, ustar prefix, links) and
// malicious ones (`../`, absolute paths, links escaping the folder), plus archives served over
// loopback HTTP inside a dataset download (the NS1 OSF layout: spikesandwav.zip unpacked in place).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync, type Zippable } from 'fflate';
import { ArchiveError, downloadDataset, extractArchive, ns1Manifest, type DatasetManifest } from '../../../src/index.js';
import { NodeFolderSource } from '../../../src/sources/node-folder.js';
import { crc32 } from '../../../src/util/crc32.js';
import { MemorySource } from '../../../src/sources/memory.js';
import type { ArchiveKind, WritableSource } from '../../../src/index.js';
import { NS1_RELEASE_FILES } from '../../../src/download/manifests/ns1-files.js';
import { findNs1, startServer, type TestServer } from './helpers.js';
import { writeTar as tar } from '../../helpers/archive-writer.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Extracts archive bytes (held in a MemorySource under the name `archive`) into folder `into` of `store`. */
const extractBytes = (bytes: Uint8Array, kind: ArchiveKind, store: WritableSource, into: string, archive: string) =>
  extractArchive(new MemorySource({ [archive]: bytes }), archive, store, { kind, into });

const SYMLINK = { os: 3, attrs: (0o120777 << 16) >>> 0 } as const;

describe('extractArchive', () => {
  let tmp: string;
  let store: NodeFolderSource;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'deepstrf-arc-'));
    store = new NodeFolderSource(join(tmp, 'root'));
    return () => rm(tmp, { recursive: true, force: true });
  });
  /** Every file under tmp (to prove nothing landed outside root). */
  const allFiles = async (): Promise<string[]> =>
    (await readdir(tmp, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(tmp.length + 1)).sort();

  it('CRC-32 of the check string', () => {
    expect(crc32(enc('123456789'))).toBe(0xcbf43926);
  });

  it('unpacks a zip (deflated and stored members, folders) into a sub-folder', async () => {
    const big = new Uint8Array(50_000).map((_, i) => (i * 7) & 0xff);
    const z = zipSync({ 'a/b/c.txt': enc('hello'), 'a/big.bin': [big, { level: 9 }], 'stored.bin': [enc('raw'), { level: 0 }], 'empty/': new Uint8Array(0) } as Zippable);
    const written = await extractBytes(z, 'zip', store, 'out', 'x.zip');
    expect(written.sort()).toEqual(['out/a/b/c.txt', 'out/a/big.bin', 'out/stored.bin']);
    expect(await readFile(join(tmp, 'root/out/a/b/c.txt'), 'utf8')).toBe('hello');
    expect(new Uint8Array(await readFile(join(tmp, 'root/out/a/big.bin')))).toEqual(big);
    expect(await readFile(join(tmp, 'root/out/stored.bin'), 'utf8')).toBe('raw');
    expect(existsSync(join(tmp, 'root/out/empty'))).toBe(true);
  });

  it('unpacks a tar.gz: pax long name, ustar prefix, folder, inside links copied as files', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/file.txt`; // > 100 chars
    const t = tar([
      { name: 'top/', type: '5' },
      { name: 'top/x.txt', data: enc('xx') },
      { name: long, data: enc('long'), long: 'pax' },
      { name: `${'p'.repeat(90)}/${'q'.repeat(40)}.bin`, data: enc('prefixed') },
      { name: 'top/sub/link.txt', type: '2', link: '../x.txt' },
      { name: 'top/hard.txt', type: '1', link: 'top/x.txt' },
    ]);
    const written = await extractBytes(gzipSync(t), 'tar.gz', store, '', 'x.tar.gz');
    expect(written).toEqual(['top/x.txt', long, `${'p'.repeat(90)}/${'q'.repeat(40)}.bin`, 'top/sub/link.txt', 'top/hard.txt']);
    expect(await readFile(join(tmp, 'root', long), 'utf8')).toBe('long');
    expect(await readFile(join(tmp, 'root', `${'p'.repeat(90)}/${'q'.repeat(40)}.bin`), 'utf8')).toBe('prefixed');
    expect(await readFile(join(tmp, 'root/top/sub/link.txt'), 'utf8')).toBe('xx');
    expect(await readFile(join(tmp, 'root/top/hard.txt'), 'utf8')).toBe('xx');
    // plain tar too
    await extractBytes(t, 'tar', store, 'plain', 'x.tar');
    expect(await readFile(join(tmp, 'root/plain/top/x.txt'), 'utf8')).toBe('xx');
  });

  const expectRefused = async (p: Promise<unknown>, entry: string, why: RegExp) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).entry).toBe(entry);
    expect((err as ArchiveError).message).toContain(`entry "${entry}"`);
    expect((err as ArchiveError).message).toMatch(why);
    expect(await allFiles()).toEqual([]); // validated before anything is written
  };

  it('refuses zip entries with ../ and absolute paths, writing nothing', async () => {
    const ok = { 'good.txt': enc('fine') };
    await expectRefused(extractBytes(zipSync({ ...ok, '../evil.txt': enc('pwned') }), 'zip', store, '', 'm.zip'), '../evil.txt', /"\.\." component/);
    await expectRefused(extractBytes(zipSync({ ...ok, 'a/../../evil.txt': enc('pwned') }), 'zip', store, 'sub', 'm.zip'), 'a/../../evil.txt', /outside/);
    await expectRefused(extractBytes(zipSync({ ...ok, '/tmp/evil.txt': enc('pwned') }), 'zip', store, '', 'm.zip'), '/tmp/evil.txt', /absolute path/);
    await expectRefused(extractBytes(zipSync({ ...ok, 'C:\\evil.txt': enc('pwned') }), 'zip', store, '', 'm.zip'), 'C:\\evil.txt', /absolute path/);
    await expectRefused(extractBytes(zipSync({ ...ok, '..\\evil.txt': enc('pwned') }), 'zip', store, '', 'm.zip'), '..\\evil.txt', /"\.\." component/);
  });

  it('refuses a zip symlink pointing outside', async () => {
    const z = zipSync({ 'good.txt': enc('fine'), 'link': [enc('../../etc/passwd'), SYMLINK] } as Zippable);
    await expectRefused(extractBytes(z, 'zip', store, '', 'm.zip'), 'link', /link to "\.\.\/\.\.\/etc\/passwd" points outside/);
    const abs = zipSync({ 'good.txt': enc('fine'), 'link': [enc('/etc/passwd'), SYMLINK] } as Zippable);
    await expectRefused(extractBytes(abs, 'zip', store, '', 'm.zip'), 'link', /points outside/);
  });

  it('a zip symlink inside the folder becomes a copy of its target', async () => {
    const z = zipSync({ 'd/real.txt': enc('content'), 'd/alias.txt': [enc('real.txt'), SYMLINK] } as Zippable);
    await extractBytes(z, 'zip', store, '', 'ok.zip');
    expect(await readFile(join(tmp, 'root/d/alias.txt'), 'utf8')).toBe('content');
  });

  it('refuses tar.gz entries escaping the folder (../, absolute, symlink, hard link), writing nothing', async () => {
    const good = { name: 'good.txt', data: enc('fine') };
    const gz = (e: Parameters<typeof tar>[0]) => gzipSync(tar(e));
    await expectRefused(extractBytes(gz([good, { name: '../evil', data: enc('x') }]), 'tar.gz', store, '', 'm.tgz'), '../evil', /"\.\." component/);
    await expectRefused(extractBytes(gz([good, { name: '/etc/evil', data: enc('x') }]), 'tar.gz', store, '', 'm.tgz'), '/etc/evil', /absolute path/);
    await expectRefused(extractBytes(gz([good, { name: '../evil', data: enc('x'), long: 'pax' }]), 'tar.gz', store, '', 'm.tgz'), '../evil', /"\.\." component/);
    await expectRefused(extractBytes(gz([good, { name: 'a/link', type: '2', link: '../../x' }]), 'tar.gz', store, '', 'm.tgz'), 'a/link', /points outside/);
    await expectRefused(extractBytes(gz([good, { name: 'link', type: '2', link: '/etc/passwd' }]), 'tar.gz', store, '', 'm.tgz'), 'link', /points outside/);
    await expectRefused(extractBytes(gz([good, { name: 'hard', type: '1', link: '../x' }]), 'tar.gz', store, '', 'm.tgz'), 'hard', /points outside/);
  });

  it('corrupt archives: bad CRC, bad tar checksum, not gzip — typed errors naming the archive', async () => {
    const z = zipSync({ 'a.txt': [enc('hello world'), { level: 0 }] } as Zippable);
    // The stored data, found as the whole string: a lone 0x68 may also occur in the header's DOS time.
    const i = Buffer.from(z).indexOf('hello world');
    expect(i).toBeGreaterThan(0);
    z[i] ^= 1;
    await expect(extractBytes(z, 'zip', store, '', 'c.zip')).rejects.toThrow(/^c\.zip @ byte \d+: entry "a\.txt": bad CRC-32: the central directory says 0x0d4a1185, the data gives 0x[0-9a-f]{8}$/);
    const t = tar([{ name: 'a.txt', data: enc('x') }]);
    t[0] ^= 1;
    await expect(extractBytes(t, 'tar', store, '', 'c.tar')).rejects.toThrow(/c\.tar @ byte 0: .*header checksum/);
    await expect(extractBytes(enc('not gzip at all'), 'tar.gz', store, '', 'c.tgz')).rejects.toThrow(ArchiveError);
    await expect(extractBytes(enc('not a zip'), 'zip', store, '', 'c.zip')).rejects.toThrow(/c\.zip: not a zip file/);
  });
});

const ns1 = findNs1();

describe.skipIf(!ns1.dir)('archives in a dataset download (loopback HTTP, real NS1 files)', () => {
  let server: TestServer;
  let tmp: string;
  const members = NS1_RELEASE_FILES.filter((f) => f.path.startsWith('spikesandwav/')).slice(0, 5);
  beforeAll(async () => {
    server = await startServer(join(ns1.dir as string, '..'));
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'deepstrf-arcdl-'));
    server.faults.clear();
    server.requests.length = 0;
    return () => rm(tmp, { recursive: true, force: true });
  });

  /** The NS1 OSF manifest with its URLs pointed at the loopback server and 5 archive members. */
  const osfLike = (zip: Uint8Array): DatasetManifest => {
    const m = ns1Manifest({ mirror: '', spectrogram: false, readme: false });
    const files = m.files.map((f) => {
      const url = `${server.url}/osf/${f.path}`;
      if (f.path === 'spikesandwav.zip') server.faults.set(`osf/${f.path}`, { body: zip });
      return f.archive ? { ...f, url, members } : { ...f, url };
    });
    return { name: 'NS1', files };
  };

  it('downloads the zip, unpacks it in place, verifies the members, then skips it next time', async () => {
    const entries: Zippable = {};
    for (const f of members) entries[f.path] = new Uint8Array(await readFile(join(ns1.dir as string, f.path)));
    const zip = zipSync(entries);
    const m = osfLike(zip);
    server.faults.set('osf/MetadataSHEnCneurons.mat', { body: new Uint8Array(await readFile(join(ns1.dir as string, 'MetadataSHEnCneurons.mat'))) });
    const root = join(tmp, 'NS1');
    const r = await downloadDataset(m, { root });
    expect(r.downloaded).toEqual(['MetadataSHEnCneurons.mat', 'spikesandwav.zip']);
    expect(r.extracted.sort()).toEqual(members.map((f) => f.path).sort());
    for (const f of members) {
      expect(createHash('sha256').update(await readFile(join(root, f.path))).digest('hex')).toBe(f.sha256);
    }
    server.requests.length = 0;
    const again = await downloadDataset(m, { root, keepArchives: false });
    expect(again.skipped).toEqual(['MetadataSHEnCneurons.mat', 'spikesandwav.zip']);
    expect(server.requests).toEqual([]);
  });

  it('a member whose content differs from the manifest is reported by name', async () => {
    const entries: Zippable = {};
    for (const f of members) entries[f.path] = new Uint8Array(await readFile(join(ns1.dir as string, f.path)));
    (entries[members[2].path] as Uint8Array)[10] ^= 0xff;
    server.faults.set('osf/MetadataSHEnCneurons.mat', { body: new Uint8Array(await readFile(join(ns1.dir as string, 'MetadataSHEnCneurons.mat'))) });
    const m = osfLike(zipSync(entries));
    const err = await downloadDataset(m, { root: join(tmp, 'NS1') }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('IntegrityError');
    expect((err as Error).message).toContain(`${members[2].path}: SHA-256 mismatch: expected ${members[2].sha256}`);
    expect(existsSync(join(tmp, 'NS1', members[2].path))).toBe(false);
  });

  it('a member absent from the archive is reported by name', async () => {
    const entries: Zippable = {};
    for (const f of members.slice(1)) entries[f.path] = new Uint8Array(await readFile(join(ns1.dir as string, f.path)));
    server.faults.set('osf/MetadataSHEnCneurons.mat', { body: new Uint8Array(await readFile(join(ns1.dir as string, 'MetadataSHEnCneurons.mat'))) });
    const err = await downloadDataset(osfLike(zipSync(entries)), { root: join(tmp, 'NS1') }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('DownloadError');
    expect((err as Error).message).toMatch(new RegExp(`^${members[0].path.replace(/\./g, '\\.')}: missing after unpacking spikesandwav\\.zip`));
  });

  it('a malicious zip served over HTTP is refused and nothing lands outside the cache folder', async () => {
    const evil = zipSync({ 'spikesandwav/ok.mat': enc('fine'), '../../evil.txt': enc('pwned') });
    const m: DatasetManifest = { name: 'NS1', files: [{ path: 'evil.zip', url: `${server.url}/evil.zip`, archive: 'zip', anchor: 'spikesandwav' }] };
    server.faults.set('evil.zip', { body: evil });
    const root = join(tmp, 'a', 'NS1');
    const err = await downloadDataset(m, { root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as ArchiveError).entry).toBe('../../evil.txt');
    expect((err as ArchiveError).file).toBe('evil.zip');
    const files = (await readdir(tmp, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
    expect(files).toEqual(['evil.zip']); // only the downloaded archive itself, in the cache folder
    expect(existsSync(join(root, 'evil.zip'))).toBe(true);
  });
});
