// TarGzSource and tarEvents over hand-built tar streams (test/helpers/archive-writer.ts): ustar with
// prefix, GNU long names and link names, PAX path / linkpath / size and global headers, base-256
// sizes; gzip single- and multi-member with trailer checks; nested .tgz inside a .zip; fuzzing.
import { describe, expect, it } from 'vitest';
import { deflateSync, gzipSync } from 'fflate';
import { FormatError, Rng } from '../../src/index.js';
import { MemorySource } from '../../src/sources/memory.js';
import { TarGzSource, tarEvents, type TarEvent } from '../../src/sources/tar.js';
import { ZipSource } from '../../src/sources/zip.js';
import { gunzipChunks } from '../../src/util/inflate.js';
import { bitwiseCrc32, writeTar, writeZip } from '../helpers/archive-writer.js';
import { iterations, mutate } from '../io/helpers/fuzz.js';
import { aa5SiteArchive } from '../helpers/zoo/aa5-archive.js';

const enc = (s: string) => new TextEncoder().encode(s);
/** Byte equality without a deep-equality walk (fast on large arrays). */
const expectBytes = (a: Uint8Array, b: Uint8Array) => {
  expect(a.length).toBe(b.length);
  expect(a.findIndex((v, i) => v !== b[i])).toBe(-1);
};
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const BIG = new Uint8Array(150_000).map((_, i) => (i * 13 + (i >> 9)) & 0xff);
const LONG = `${'d'.repeat(70)}/${'e'.repeat(70)}/long-file-name.txt`; // 160 characters
const LONG_LINK = `${'l'.repeat(120)}/target.txt`;

const open = (bytes: Uint8Array, name = 'a.tgz', cacheBytes?: number) =>
  TarGzSource.open(new MemorySource({ [name]: bytes }), name, { cacheBytes, chunkSize: 4096 });

async function* chunksOf(b: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < b.length; o += n) yield b.slice(o, o + n);
}

async function events(b: Uint8Array, n = 1000): Promise<TarEvent[]> {
  const out: TarEvent[] = [];
  for await (const e of tarEvents(chunksOf(b, n), 'x.tar')) out.push(e);
  return out;
}

const sample = () =>
  writeTar([
    { name: 'top/', type: '5' },
    { name: 'top/a.txt', data: enc('alpha') },
    { name: 'top/big.bin', data: BIG },
    { name: `${'p'.repeat(90)}/${'q'.repeat(40)}.bin`, data: enc('prefixed') }, // ustar prefix field
    { name: LONG, data: enc('gnu long'), long: 'gnu' },
    { name: `pax/${LONG}`, data: enc('pax long'), long: 'pax' },
    { name: 'top/sized.bin', data: enc('size from PAX'), paxSize: true },
    { name: 'top/b256.bin', data: enc('base-256 size'), base256: true },
    { name: 'top/sym', type: '2', link: 'a.txt' },
    { name: 'top/hard', type: '1', link: 'top/a.txt' },
    { name: 'top/longlink', type: '2', link: LONG_LINK, long: 'gnu' },
    { name: 'top/fifo', type: '6' },
  ]);

describe('tarEvents', () => {
  it('names from ustar prefix, GNU L/K and PAX; sizes from PAX and base-256; links; whatever the chunking', async () => {
    const t = sample();
    for (const n of [1, 511, 512, 4096, t.length]) {
      const ev = await events(t, n);
      const entries = ev.filter((e) => e.type === 'entry').map((e) => (e.type === 'entry' ? e.entry : null)!);
      expect(entries.map((e) => [e.name, e.kind, e.size])).toEqual([
        ['top/', 'directory', 0], ['top/a.txt', 'file', 5], ['top/big.bin', 'file', 150_000],
        [`${'p'.repeat(90)}/${'q'.repeat(40)}.bin`, 'file', 8], [LONG, 'file', 8], [`pax/${LONG}`, 'file', 8],
        ['top/sized.bin', 'file', 13], ['top/b256.bin', 'file', 13], ['top/sym', 'symlink', 0], ['top/hard', 'hardlink', 0],
        ['top/longlink', 'symlink', 0], ['top/fifo', 'other', 0],
      ]);
      expect(entries.map((e) => e.linkTarget).slice(8, 11)).toEqual(['a.txt', 'top/a.txt', LONG_LINK]);
      expect(entries[1].headerOffset).toBe(512);
      expect(entries[1].dataOffset).toBe(1024);
      const bytes = ev.filter((e) => e.type === 'data').reduce((s, e) => s + (e.type === 'data' ? e.bytes.length : 0), 0);
      expect(bytes).toBe(5 + 150_000 + 8 + 8 + 8 + 13 + 13);
    }
  });

  it('a global PAX header applies to the members after it', async () => {
    const ev = await events(writeTar([{ name: 'a', data: enc('x') }], { globalPax: { comment: 'hi', size: '1' } }));
    expect(ev[0]).toMatchObject({ type: 'entry', entry: { name: 'a', size: 1 } });
  });

  it('bad header checksum, bad number, truncation: ArchiveError naming the archive, member and offset', async () => {
    const t = writeTar([{ name: 'ok.txt', data: enc('fine') }, { name: 'b.txt', data: enc('x') }]);
    const c = t.slice();
    c[1024 + 1] ^= 1; // second header's name: "b.txt" -> "b/txt"
    await expect(events(c)).rejects.toThrow(/^x\.tar @ byte 1024: entry "b\/txt": header checksum \d+ != \d+ \(not a tar file\?\)$/);
    const n = t.slice();
    n[124] = 0x39; // '9' in an octal size field (checksum then also wrong: fix it up)
    fixChecksum(n, 0);
    await expect(events(n)).rejects.toThrow(/^x\.tar @ byte 0: entry "ok\.txt": invalid size field "9/);
    await expect(events(t.subarray(0, 1024 + 100))).rejects.toThrow(/^x\.tar @ byte 1024: truncated header \(100 of 512 bytes\)$/);
    await expect(events(t.subarray(0, 512 + 2))).rejects.toThrow(/^x\.tar @ byte 514: entry "ok\.txt": truncated: the archive ends inside a member \(2 bytes missing\)$/);
    // No end-of-archive blocks at all is accepted (the stream simply ends between members).
    expect((await events(writeTar([{ name: 'a', data: enc('x') }], { end: false }))).length).toBe(3);
  });
});

/** Recomputes a tar header's checksum (after a deliberate edit elsewhere in it). */
function fixChecksum(t: Uint8Array, at: number): void {
  t.fill(32, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += t[at + i];
  t.set(enc(sum.toString(8).padStart(6, '0') + '\0 '), at + 148);
}

describe('gunzipChunks', () => {
  it('multi-member gzip with zero padding, any chunking', async () => {
    const a = enc('first member, ');
    const b = BIG;
    const gz = new Uint8Array([...gzipSync(a), 0, 0, ...gzipSync(b, { level: 9 })]);
    for (const n of [1, 100, 1 << 16]) {
      const parts: number[] = [];
      for await (const c of gunzipChunks(chunksOf(gz, n), 'x.gz')) for (const x of c) parts.push(x);
      const out = new Uint8Array(parts);
      expect(out.length).toBe(a.length + b.length);
      expect(bitwiseCrc32(out)).toBe(bitwiseCrc32(new Uint8Array([...a, ...b])));
    }
  });

  it('header with every optional field (FEXTRA, FNAME, FCOMMENT, FHCRC), written by hand', async () => {
    const data = enc('123456789');
    const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
    const gz = new Uint8Array([
      0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10 | 0x02, 0, 0, 0, 0, 0, 3, // magic, Deflate, flags, mtime, xfl, OS
      6, 0, 0x41, 0x42, 2, 0, 0x78, 0x79, // FEXTRA: 6 bytes, one subfield "AB" holding 2 bytes
      ...enc('site1.tar'), 0, // FNAME
      ...enc('made by hand'), 0, // FCOMMENT
      0x12, 0x34, // FHCRC (not checked, as gzip(1) does not either)
      ...deflateSync(data), ...le32(0xcbf43926), ...le32(9),
    ]);
    const parts: number[] = [];
    for await (const c of gunzipChunks(chunksOf(gz, 3), 'h.gz')) parts.push(...c);
    expect(dec(new Uint8Array(parts))).toBe('123456789');
  });

  it('trailer CRC-32 and ISIZE are checked, naming both values', async () => {
    const data = enc('123456789');
    const gz = gzipSync(data);
    const crcAt = gz.length - 8;
    const badCrc = gz.slice();
    badCrc[crcAt] ^= 0xff; // stored CRC 0xcbf43926 -> 0xcbf439d9
    const drain = async (b: Uint8Array) => {
      for await (const _ of gunzipChunks(chunksOf(b, 7), 'x.gz'));
    };
    await expect(drain(badCrc)).rejects.toThrow(`x.gz @ byte ${crcAt}: bad CRC-32 in gzip member 0: trailer says 0xcbf439d9, data gives 0xcbf43926`);
    const badSize = gz.slice();
    badSize[gz.length - 4] = 10;
    await expect(drain(badSize)).rejects.toThrow(`x.gz @ byte ${crcAt}: bad ISIZE in gzip member 0: trailer says 10, data gives 9`);
    await expect(drain(gz.subarray(0, gz.length - 3))).rejects.toThrow(/^x\.gz @ byte \d+: gzip member 0 has no trailer \(truncated\)$/);
    await expect(drain(gz.subarray(0, 12))).rejects.toThrow(FormatError);
    await expect(drain(enc('plain text'))).rejects.toThrow(/^x\.gz @ byte 0: not a gzip stream \(bad magic bytes\)$/);
  });
});

describe('TarGzSource', () => {
  for (const [label, wrap, cache] of [
    ['tar.gz, members re-streamed', (t: Uint8Array) => gzipSync(t), 0],
    ['tar.gz, small members kept', (t: Uint8Array) => gzipSync(t), undefined],
    ['multi-member gzip', (t: Uint8Array) => new Uint8Array([...gzipSync(t.subarray(0, 3000)), ...gzipSync(t.subarray(3000))]), 0],
    ['plain tar', (t: Uint8Array) => t, undefined],
  ] as const) {
    it(`lists, stats and reads members (${label})`, async () => {
      const s = await open(wrap(sample()), 'a.tgz', cache);
      expect(s.gzip).toBe(label !== 'plain tar');
      expect(await s.list('')).toEqual([{ name: 'd'.repeat(70), kind: 'directory' }, { name: 'pax', kind: 'directory' }, { name: 'p'.repeat(90), kind: 'directory' }, { name: 'top', kind: 'directory' }]);
      expect(await s.stat('top/big.bin')).toEqual({ kind: 'file', size: 150_000 });
      expect(await s.stat('top')).toEqual({ kind: 'directory', size: 0 });
      expect(await s.stat('top/fifo')).toBeNull();
      expect(dec(await s.read('top/a.txt'))).toBe('alpha');
      expectBytes(await s.read('top/big.bin', 100_000, 100_050), BIG.subarray(100_000, 100_050));
      expectBytes(await s.read('top/big.bin', 10, 20), BIG.subarray(10, 20)); // backwards: restarts
      expectBytes(await s.read('top/big.bin'), BIG);
      expect(dec(await s.read(LONG))).toBe('gnu long');
      expect(dec(await s.read(`pax/${LONG}`))).toBe('pax long');
      expect(dec(await s.read('top/sized.bin'))).toBe('size from PAX');
      expect(dec(await s.read('top/sym'))).toBe('alpha'); // links read as their targets
      expect(dec(await s.read('top/hard'))).toBe('alpha');
      expect(await s.stat('top/longlink')).toBeNull(); // link to nothing
      let n = 0;
      for await (const c of s.stream('top/big.bin')) n += c.length;
      expect(n).toBe(150_000);
      await expect(s.read('nope')).rejects.toThrow(/ENOENT: no such file in memory:\/a\.tgz: nope/);
    });
  }

  it('a corrupt gzip trailer is found when opening (the index pass verifies the whole stream)', async () => {
    const gz = gzipSync(sample());
    gz[gz.length - 8] ^= 1;
    await expect(open(gz)).rejects.toThrow(/^a\.tgz @ byte \d+: bad CRC-32 in gzip member 0: trailer says 0x[0-9a-f]{8}, data gives 0x[0-9a-f]{8}$/);
  });

  it('nested: a .tgz inside a .zip (Deflate member) is read through the ZipSource', async () => {
    const tgz = gzipSync(sample());
    const zip = writeZip([{ name: 'readme.txt', data: enc('outer') }, { name: 'sites/site1.tgz', data: tgz, method: 8 }]);
    const outer = await ZipSource.open(new MemorySource({ 'rec.zip': zip }), 'rec.zip');
    const inner = await TarGzSource.open(outer, 'sites/site1.tgz', { cacheBytes: 0, chunkSize: 4096 });
    expect(inner.root).toBe('memory:/rec.zip/sites/site1.tgz');
    expect(dec(await inner.read('top/a.txt'))).toBe('alpha');
    expectBytes(await inner.read('top/big.bin'), BIG);
    expect(dec(await inner.read(`pax/${LONG}`))).toBe('pax long');
  });

  it('an AA5 raw site archive (test/helpers/zoo/aa5-archive.ts): folders, unit pickles, AppleDouble twins', async () => {
    const site = 'ZF4F_2t_190611_160843';
    const src = await open(aa5SiteArchive(site, [[3, 12], [1, 2]]), `${site}.tar.gz`);
    expect(await src.list('')).toEqual([{ name: site, kind: 'directory' }]);
    expect(await src.list(site)).toEqual([{ name: 'PlaybackPkl', kind: 'directory' }]);
    const names = ['._goodPlayback-e1-c2.pkl', '._goodPlayback-e3-c12.pkl', 'goodPlayback-e1-c2.pkl', 'goodPlayback-e3-c12.pkl'];
    expect(await src.list(`${site}/PlaybackPkl`)).toEqual(names.map((name) => ({ name, kind: 'file' })));
    const unit = 'goodPlayback-e3-c12.pkl';
    // 40 copies of "\x80\x04 pickle placeholder <site> <name> " (U+0080 is 2 bytes in UTF-8).
    const size = 40 * (2 + 1 + ' pickle placeholder '.length + site.length + 1 + unit.length + 1);
    expect(await src.stat(`${site}/PlaybackPkl/${unit}`)).toEqual({ kind: 'file', size });
    expect(dec(await src.read(`${site}/PlaybackPkl/${unit}`, 0, size / 40))).toBe(`\x80\x04 pickle placeholder ${site} ${unit} `);
    expect(dec(await src.read(`${site}/PlaybackPkl/._${unit}`))).toBe('AppleDouble');
  });

  it('fuzz: seeded mutations give data or a FormatError, nothing else', async () => {
    const t = writeTar([
      { name: 'a/', type: '5' }, { name: 'a/x.txt', data: enc('x'.repeat(700)) }, { name: LONG, data: enc('g'), long: 'gnu' },
      { name: `p/${LONG}`, data: enc('p'), long: 'pax', paxSize: true }, { name: 'a/s', type: '2', link: 'x.txt' },
    ]);
    const valid = [t, gzipSync(t)];
    const rng = new Rng(99);
    const n = iterations(1000);
    for (let i = 0; i < n; i++) {
      const m = mutate(valid[i % 2], rng);
      try {
        const s = await open(m, 'f.tgz', i % 4 < 2 ? 0 : undefined);
        for (const e of s.entries) if (e.kind === 'file') await s.read(e.name).catch((x: unknown) => { if (!(x instanceof FormatError) && !/ENOENT/.test(String(x))) throw x; });
      } catch (x) {
        if (!(x instanceof FormatError)) throw new Error(`mutation ${i}: ${String(x)}`);
      }
    }
  });
});
