// extractArchive options and guarantees on hand-built archives (test/helpers/archive-writer.ts):
// strip-root, strip-components, AppleDouble / __MACOSX skipped, filter, progress, refusals, a
// corrupt member writing nothing (staging folder removed), overwrite, nested .tgz inside a .zip
// extracted straight from the ZipSource, kind sniffed from the bytes, abort.
import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { ArchiveError, FormatError, Rng, extractArchive, type ExtractProgress } from '../../../src/index.js';
import { MemorySource } from '../../../src/sources/memory.js';
import { NodeFolderSource } from '../../../src/sources/node-folder.js';
import { ZipSource } from '../../../src/sources/zip.js';
import { bitwiseCrc32, writeTar, writeZip } from '../../helpers/archive-writer.js';
import { mutate } from '../../io/helpers/fuzz.js';

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (c: number) => `0x${c.toString(16).padStart(8, '0')}`;

describe('extractArchive (streaming)', () => {
  let tmp: string;
  let out: NodeFolderSource;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'deepstrf-extract-'));
    out = new NodeFolderSource(join(tmp, 'out'));
    return () => rm(tmp, { recursive: true, force: true });
  });
  const files = async (): Promise<string[]> =>
    (await readdir(tmp, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name).slice(tmp.length + 1)).sort();
  const text = (p: string) => readFile(join(tmp, 'out', p), 'utf8');
  const src = (name: string, bytes: Uint8Array) => new MemorySource({ [name]: bytes });

  it('stripRoot drops a single top-level folder; AppleDouble and __MACOSX members are skipped', async () => {
    const zip = writeZip([
      { name: 'proj/' },
      { name: 'proj/a.txt', data: enc('a') },
      { name: 'proj/sub/b.txt', data: enc('b'), method: 8 },
      { name: 'proj/._a.txt', data: enc('mac') },
      { name: '__MACOSX/proj/._b.txt', data: enc('mac') },
    ]);
    expect(await extractArchive(src('p.zip', zip), 'p.zip', out, { stripRoot: true })).toEqual(['a.txt', 'sub/b.txt']);
    expect(await files()).toEqual(['out/a.txt', 'out/sub/b.txt']);
    // Two top-level names: nothing stripped.
    const two = writeZip([{ name: 'x/a.txt', data: enc('1') }, { name: 'y.txt', data: enc('2') }]);
    expect(await extractArchive(src('t.zip', two), 't.zip', out, { stripRoot: true, into: 'two' })).toEqual(['two/x/a.txt', 'two/y.txt']);
  });

  it('stripComponents (GNU tar): members with too few components are skipped', async () => {
    const tgz = gzipSync(writeTar([
      { name: 'crcns/', type: '5' },
      { name: 'crcns/aa2/', type: '5' },
      { name: 'crcns/aa2/stim_data.csv', data: enc('s,1\n') },
      { name: 'crcns/aa2/all_cells/c1/spike1', data: enc('1 2 \n') },
      { name: 'crcns/top.txt', data: enc('dropped') },
    ]));
    const written = await extractArchive(src('aa2.tar.gz', tgz), 'aa2.tar.gz', out, { stripComponents: 2 });
    expect(written).toEqual(['stim_data.csv', 'all_cells/c1/spike1']);
    expect(await text('all_cells/c1/spike1')).toBe('1 2 \n');
    await expect(extractArchive(src('aa2.tar.gz', tgz), 'aa2.tar.gz', out, { stripComponents: -1 })).rejects.toThrow(RangeError);
  });

  it('filter and progress (bytes written; total known for zip)', async () => {
    const big = new Uint8Array(3_000_000).map((_, i) => i & 0xff);
    const zip = writeZip([{ name: 'keep/big.bin', data: big, method: 8 }, { name: 'keep/s.txt', data: enc('small') }, { name: 'skip/x.bin', data: enc('no') }]);
    const seen: ExtractProgress[] = [];
    const written = await extractArchive(src('f.zip', zip), 'f.zip', out, { filter: (n) => n.startsWith('keep/'), onProgress: (p) => seen.push(p), chunkSize: 1 << 20 });
    expect(written).toEqual(['keep/big.bin', 'keep/s.txt']);
    expect(seen.length).toBeGreaterThan(2); // the big member arrives in several chunks
    expect(seen.every((p, i) => p.total === 3_000_005 && (i === 0 || p.bytes > seen[i - 1].bytes))).toBe(true);
    expect(seen[seen.length - 1]).toEqual({ bytes: 3_000_005, total: 3_000_005, member: 'keep/s.txt' });
    expect(bitwiseCrc32(new Uint8Array(await readFile(join(tmp, 'out/keep/big.bin'))))).toBe(bitwiseCrc32(big));
    const tarSeen: ExtractProgress[] = [];
    await extractArchive(src('f.tgz', gzipSync(writeTar([{ name: 'a', data: enc('12345') }]))), 'f.tgz', out, { onProgress: (p) => tarSeen.push(p) });
    expect(tarSeen).toEqual([{ bytes: 5, total: undefined, member: 'a' }]);
  });

  it('a bad CRC-32 in a later member writes nothing, names the member and both CRCs, and keeps what was there', async () => {
    await mkdir(join(tmp, 'out'), { recursive: true });
    await writeFile(join(tmp, 'out/first.txt'), 'old');
    const zip = writeZip([{ name: 'first.txt', data: enc('new') }, { name: 'second.txt', data: enc('123456789') }]);
    const at = 30 + 9 + 3 + 30 + 10; // second member's data
    zip[at] ^= 0x02; // "1" -> "3"
    const err = await extractArchive(src('c.zip', zip), 'c.zip', out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toBe(`c.zip @ byte ${at}: entry "second.txt": bad CRC-32: the central directory says 0xcbf43926, the data gives ${hex(bitwiseCrc32(enc('323456789')))}`);
    expect(await files()).toEqual(['out/first.txt']); // staging folder gone, nothing new
    expect(await text('first.txt')).toBe('old');
    // Fine archive: existing files are replaced.
    await extractArchive(src('ok.zip', writeZip([{ name: 'first.txt', data: enc('new') }])), 'ok.zip', out);
    expect(await text('first.txt')).toBe('new');
  });

  it('a bad gzip trailer in a tar.gz writes nothing', async () => {
    const tgz = gzipSync(writeTar([{ name: 'a.txt', data: enc('aaa') }, { name: 'b.txt', data: enc('bbb') }]));
    tgz[tgz.length - 8] ^= 1;
    await expect(extractArchive(src('c.tgz', tgz), 'c.tgz', out)).rejects.toThrow(/^c\.tgz @ byte \d+: bad CRC-32 in gzip member 0/);
    expect(await files()).toEqual([]);
  });

  it('refuses drive letters, absolute names, ".." and escaping links in tar (GNU long names and PAX too)', async () => {
    const cases: Array<[Parameters<typeof writeTar>[0][number], RegExp]> = [
      [{ name: 'C:/windows/evil', data: enc('x') }, /is an absolute path/],
      [{ name: 'D:evil', data: enc('x') }, /is an absolute path/],
      [{ name: '/etc/passwd', data: enc('x') }, /is an absolute path/],
      [{ name: `a/${'x'.repeat(120)}/../../../evil`, data: enc('x'), long: 'gnu' }, /has a "\.\." component/],
      [{ name: 'ok/../../evil', data: enc('x'), long: 'pax' }, /has a "\.\." component/],
      [{ name: 'link', type: '2', link: `${'../'.repeat(40)}etc/passwd`, long: 'gnu' }, /points outside/],
    ];
    for (const [entry, why] of cases) {
      const tgz = gzipSync(writeTar([{ name: 'good.txt', data: enc('fine') }, entry]));
      const err = await extractArchive(src('m.tgz', tgz), 'm.tgz', out).catch((e: unknown) => e);
      expect(err, entry.name).toBeInstanceOf(ArchiveError);
      expect((err as ArchiveError).entry).toBe(entry.name);
      expect((err as Error).message).toMatch(why);
      expect(await files()).toEqual([]);
    }
  });

  it('nested: the .tgz member of a .zip extracted straight from the ZipSource', async () => {
    const tgz = gzipSync(writeTar([{ name: 'site1/', type: '5' }, { name: 'site1/site1.resp.json', data: enc('{"fs": 100}') }]));
    const zip = writeZip([{ name: 'recordings/site1.tgz', data: tgz, method: 8 }]);
    const outer = await ZipSource.open(src('rec.zip', zip), 'rec.zip');
    expect(await extractArchive(outer, 'recordings/site1.tgz', out, { stripRoot: true, into: 'site1' })).toEqual(['site1/site1.resp.json']);
    expect(JSON.parse(await text('site1/site1.resp.json'))).toEqual({ fs: 100 });
  });

  it('the format is sniffed from the bytes when the name does not tell', async () => {
    expect(await extractArchive(src('blob1', writeZip([{ name: 'z.txt', data: enc('z') }])), 'blob1', out)).toEqual(['z.txt']);
    expect(await extractArchive(src('blob2', gzipSync(writeTar([{ name: 'g.txt', data: enc('g') }]))), 'blob2', out)).toEqual(['g.txt']);
    expect(await extractArchive(src('blob3', writeTar([{ name: 't.txt', data: enc('t') }])), 'blob3', out)).toEqual(['t.txt']);
  });

  it('an aborted extraction removes its staging folder', async () => {
    const zip = writeZip([{ name: 'a.bin', data: new Uint8Array(3 << 20) }]);
    const ac = new AbortController();
    const err = await extractArchive(src('a.zip', zip), 'a.zip', out, { signal: ac.signal, onProgress: () => ac.abort(new Error('stop')), chunkSize: 1 << 20 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('stop');
    expect(await files()).toEqual([]);
  });

  it('fuzz: extracting seeded mutations of valid archives fails only with a FormatError, leaving no staging folder', async () => {
    const zip = writeZip([{ name: 'r/' }, { name: 'r/a.txt', data: enc('a'.repeat(300)), method: 8 }, { name: 'r/l', data: enc('a.txt'), unixMode: 0o120777 }, { name: 'r/s.bin', data: enc('stored') }]);
    const tgz = gzipSync(writeTar([{ name: 'r/', type: '5' }, { name: 'r/a.txt', data: enc('a'.repeat(700)) }, { name: 'r/h', type: '1', link: 'r/a.txt' }, { name: `r/${'n'.repeat(120)}`, data: enc('x'), long: 'pax' }]));
    const rng = new Rng(5);
    for (let i = 0; i < 160; i++) {
      const [name, valid] = i % 2 ? ['f.zip', zip] : ['f.tgz', tgz];
      const m = mutate(valid, rng);
      try {
        await extractArchive(src(name, m), name, out, { stripRoot: true });
      } catch (e) {
        if (!(e instanceof FormatError)) throw new Error(`mutation ${i} of ${name}: ${String(e)}`);
      }
      expect((await out.list('')).filter((d) => d.name.endsWith('.part'))).toEqual([]);
    }
  });

  it('a garbage "zip" is a FormatError naming it', async () => {
    await expect(extractArchive(src('g.zip', enc('garbage')), 'g.zip', out)).rejects.toThrow(FormatError);
  });
});
