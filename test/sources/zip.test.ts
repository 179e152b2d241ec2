// ZipSource over hand-built archives (test/helpers/archive-writer.ts): stored and Deflate members,
// data descriptors (signed / unsigned, 32- / 64-bit sizes), ZIP64 extra fields and end records,
// CP437 and UTF-8 names, folders, prepended stubs; range reads; CRC-32 checks; seeded fuzzing.
import { describe, expect, it } from 'vitest';
import { FormatError, Rng, readNpz, writeNpy } from '../../src/index.js';
import { MemorySource } from '../../src/sources/memory.js';
import { ZipSource, unzipBytes } from '../../src/sources/zip.js';
import { ArchiveError } from '../../src/download/errors.js';
import { bitwiseCrc32, writeZip, type ZipMemberSpec } from '../helpers/archive-writer.js';
import { iterations, mutate } from '../io/helpers/fuzz.js';

const enc = (s: string) => new TextEncoder().encode(s);
/** Byte equality without a deep-equality walk (fast on large arrays). */
const expectBytes = (a: Uint8Array, b: Uint8Array) => {
  expect(a.length).toBe(b.length);
  expect(a.findIndex((v, i) => v !== b[i])).toBe(-1);
};
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
/** 200 kB of varied bytes: several Deflate blocks, several 64 KiB read chunks. */
const BIG = new Uint8Array(200_000).map((_, i) => (i * 31 + (i >> 7)) & 0xff);

const open = (zip: Uint8Array, opts?: { chunkSize?: number }) => ZipSource.open(new MemorySource({ 'a.zip': zip }), 'a.zip', opts);

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e, 'expected a rejection').toBeInstanceOf(Error);
  return e as Error;
}

describe('ZipSource', () => {
  it('lists, stats and reads stored and Deflate members with folders', async () => {
    const z = await open(writeZip([
      { name: 'data/' },
      { name: 'data/a.txt', data: enc('hello') },
      { name: 'data/big.bin', data: BIG, method: 8 },
      { name: 'data/sub/empty.bin' },
      { name: 'top.txt', data: enc('top'), method: 8 },
    ]));
    expect(z.entries.map((e) => [e.name, e.kind, e.method, e.size])).toEqual([
      ['data/', 'directory', 0, 0], ['data/a.txt', 'file', 0, 5], ['data/big.bin', 'file', 8, 200_000], ['data/sub/empty.bin', 'file', 0, 0], ['top.txt', 'file', 8, 3],
    ]);
    expect(z.root).toBe('memory:/a.zip');
    expect(await z.list('')).toEqual([{ name: 'data', kind: 'directory' }, { name: 'top.txt', kind: 'file' }]);
    expect(await z.list('data')).toEqual([{ name: 'a.txt', kind: 'file' }, { name: 'big.bin', kind: 'file' }, { name: 'sub', kind: 'directory' }]);
    expect(await z.stat('data/big.bin')).toEqual({ kind: 'file', size: 200_000 });
    expect(await z.stat('data/sub')).toEqual({ kind: 'directory', size: 0 });
    expect(await z.stat('nope')).toBeNull();
    expect(dec(await z.read('data/a.txt'))).toBe('hello');
    expect(dec(await z.read('top.txt'))).toBe('top');
    expectBytes(await z.read('data/big.bin'), BIG);
    expect(await z.read('data/sub/empty.bin')).toEqual(new Uint8Array(0));
    await expect(z.read('missing.txt')).rejects.toThrow(/ENOENT: no such file in memory:\/a\.zip: missing\.txt/);
  });

  it('range reads: stored ranges map to the parent, Deflate ranges inflate up to their end; consecutive reads continue', async () => {
    const z = await open(writeZip([{ name: 's.bin', data: BIG }, { name: 'd.bin', data: BIG, method: 8 }]), { chunkSize: 4096 });
    for (const name of ['s.bin', 'd.bin']) {
      expectBytes(await z.read(name, 150_000, 150_010), BIG.subarray(150_000, 150_010));
      expectBytes(await z.read(name, 199_990), BIG.subarray(199_990));
      expect(await z.read(name, 5, 3)).toEqual(new Uint8Array(0));
      const parts: Uint8Array[] = [];
      for (let p = 0; p < BIG.length; p += 30_001) parts.push(await z.read(name, p, p + 30_001));
      expect(parts.reduce((s, b) => s + b.length, 0)).toBe(BIG.length);
      expectBytes(parts[3], BIG.subarray(90_003, 120_004));
      const streamed: number[] = [];
      for await (const c of z.stream(name)) streamed.push(c.length);
      expect(streamed.reduce((s, n) => s + n, 0)).toBe(BIG.length);
      expect(Math.max(...streamed)).toBeLessThanOrEqual(4096);
    }
  });

  it('data descriptors with and without signature, 32- and 64-bit sizes', async () => {
    const specs: ZipMemberSpec[] = [
      { name: 'signed32', data: enc('one'), descriptor: 'signed' },
      { name: 'unsigned32', data: BIG, method: 8, descriptor: 'unsigned' },
      { name: 'signed64', data: enc('three'), descriptor: 'signed', descriptor64: true, zip64: 'force' },
      { name: 'unsigned64', data: enc('four'), method: 8, descriptor: 'unsigned', descriptor64: true, zip64: 'force' },
    ];
    const z = await open(writeZip(specs));
    expect(z.entries.map((e) => (e.flags & 8) !== 0)).toEqual([true, true, true, true]);
    expect(dec(await z.read('signed32'))).toBe('one');
    expectBytes(await z.read('unsigned32'), BIG);
    expect(dec(await z.read('signed64'))).toBe('three');
    expect(dec(await z.read('unsigned64'))).toBe('four');
    // A descriptor whose CRC disagrees with the central directory is reported.
    const bad = await open(writeZip([{ name: 'x', data: enc('abc'), descriptor: 'signed', descriptorCrc: 0x12345678 }]));
    const e = await rejection(bad.read('x'));
    expect(e).toBeInstanceOf(ArchiveError);
    expect(e.message).toMatch(/^a\.zip @ byte 34: entry "x": data descriptor CRC-32 0x12345678 differs from the central directory's 0x352441c2$/);
  });

  it('ZIP64: forced extra fields and end records are read (offsets, sizes from the extra field)', async () => {
    const zip = writeZip([
      { name: 'a.txt', data: enc('alpha'), zip64: 'force' },
      { name: 'b.bin', data: BIG, method: 8, zip64: 'force' },
    ], { zip64End: true });
    // The classic end record is saturated: only the ZIP64 record tells the truth.
    const eocd = zip.length - 22;
    expect(new DataView(zip.buffer).getUint32(eocd + 16, true)).toBe(0xffffffff);
    const z = await open(zip);
    expect(z.entries.map((e) => [e.name, e.size, e.zip64])).toEqual([['a.txt', 5, true], ['b.bin', 200_000, true]]);
    expect(z.entries[1].localHeaderOffset).toBe(30 + 5 + 20 + 5); // header + name + ZIP64 extra + data of a.txt
    expect(dec(await z.read('a.txt'))).toBe('alpha');
    expectBytes(await z.read('b.bin'), BIG);
  });

  it('names: UTF-8 with bit 11, CP437 without', async () => {
    const z = await open(writeZip([
      { name: 'données/été.txt', data: enc('utf8'), utf8: true },
      { name: 'über.txt', rawName: new Uint8Array([0x81, 0x62, 0x65, 0x72, 0x2e, 0x74, 0x78, 0x74]), data: enc('cp437') },
      { name: 'x', rawName: new Uint8Array([0xe1, 0xe3, 0xff]), data: enc('greek') },
    ]));
    expect(z.entries.map((e) => e.name)).toEqual(['données/été.txt', 'über.txt', 'ßπ\u00a0']);
    expect(dec(await z.read('über.txt'))).toBe('cp437');
    expect(dec(await z.read('données/été.txt'))).toBe('utf8');
    const bad = writeZip([{ name: 'n', rawName: new Uint8Array([0xff, 0xfe]), utf8: true }]);
    await expect(open(bad)).rejects.toThrow(/^a\.zip @ byte 32: central directory record 0: name flagged UTF-8 is not valid UTF-8$/);
  });

  it('symlinks and folders from Unix modes; a stub before the archive; a comment after', async () => {
    const z = await open(writeZip([
      { name: 'real.txt', data: enc('content') },
      { name: 'alias', data: enc('real.txt'), unixMode: 0o120777 },
      { name: 'dir-without-slash', unixMode: 0o40755 },
    ], { prefix: enc('#!/bin/sh\nexit 0\n'), comment: 'made by hand' }));
    expect(z.entries.map((e) => e.kind)).toEqual(['file', 'symlink', 'directory']);
    expect(dec(await z.read('real.txt'))).toBe('content');
    expect(dec(await z.read('alias'))).toBe('real.txt');
  });

  it('a bit flipped in a member: bad CRC-32 naming the archive, the member and both CRCs', async () => {
    const zip = writeZip([{ name: 'ok.txt', data: enc('fine') }, { name: 'check.txt', data: enc('123456789') }]);
    const dataStart = 30 + 'ok.txt'.length + 4 + 30 + 'check.txt'.length; // second member's data
    expect(zip[dataStart + 4]).toBe(0x35); // the "5" of 123456789
    zip[dataStart + 4] ^= 0x01; // now "123446789"
    const z = await open(zip);
    expect(dec(await z.read('ok.txt'))).toBe('fine');
    expect(dec(await z.read('check.txt', 0, 3))).toBe('123'); // a partial range cannot be checked
    const e = await rejection(z.read('check.txt'));
    expect(e).toBeInstanceOf(FormatError);
    const flipped = bitwiseCrc32(enc('123446789')).toString(16).padStart(8, '0');
    expect(e.message).toBe(`a.zip @ byte ${dataStart}: entry "check.txt": bad CRC-32: the central directory says 0xcbf43926, the data gives 0x${flipped}`);
    // Consecutive reads from byte 0 are checked too.
    await z.read('check.txt', 0, 4);
    await expect(z.read('check.txt', 4)).rejects.toThrow(/bad CRC-32: the central directory says 0xcbf43926/);
  });

  it('malformed archives: typed errors naming the archive', async () => {
    await expect(open(enc('not a zip at all, just some text'))).rejects.toThrow(/^a\.zip: not a zip file \(no end-of-central-directory record\)$/);
    await expect(open(enc('PK'))).rejects.toThrow(/^a\.zip: not a zip file \(2 bytes, too short/);
    const zip = writeZip([{ name: 'a', data: enc('x') }]);
    const truncated = zip.slice(0, zip.length - 30); // cuts into the central directory
    await expect(open(truncated)).rejects.toThrow(FormatError);
    const deflated = writeZip([{ name: 'd', data: BIG, method: 8 }]);
    deflated[30 + 1 + 100] ^= 0xff; // inside the Deflate stream
    const e = await rejection((await open(deflated)).read('d'));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/^a\.zip(:d)?( @ byte \d+)?: (entry "d": )?(bad Deflate data|bad CRC-32|Deflate data)/);
    await expect(ZipSource.open(new MemorySource({}), 'none.zip')).rejects.toThrow(/ENOENT/);
  });

  it('nested: a zip stored inside a zip is read through the outer ZipSource', async () => {
    const inner = writeZip([{ name: 'deep.txt', data: enc('deep'), method: 8 }]);
    const outer = await open(writeZip([{ name: 'inner.zip', data: inner, method: 8 }]));
    const z2 = await ZipSource.open(outer, 'inner.zip');
    expect(z2.root).toBe('memory:/a.zip/inner.zip');
    expect(dec(await z2.read('deep.txt'))).toBe('deep');
  });

  it('fuzz: seeded mutations of valid archives give data or a FormatError, nothing else', async () => {
    const valid = [
      writeZip([{ name: 'a/', data: undefined }, { name: 'a/s.txt', data: enc('stored text') }, { name: 'a/d.bin', data: BIG.subarray(0, 3000), method: 8, descriptor: 'signed' }]),
      writeZip([{ name: 'x', data: enc('zip64'), zip64: 'force', descriptor: 'unsigned', descriptor64: true }, { name: 'y', data: BIG.subarray(0, 500), method: 8 }], { zip64End: true }),
    ];
    const rng = new Rng(2024);
    const n = iterations(1500);
    for (let i = 0; i < n; i++) {
      const m = mutate(valid[i % 2], rng);
      try {
        const z = await open(m, { chunkSize: 4096 });
        for (const e of z.entries) if (e.kind !== 'directory') await z.read(e.name).catch((x: unknown) => { if (!(x instanceof FormatError) && !/ENOENT/.test(String(x))) throw x; });
      } catch (x) {
        if (!(x instanceof FormatError)) throw new Error(`mutation ${i}: ${String(x)}`);
      }
      try {
        unzipBytes(m, 'm.zip');
      } catch (x) {
        if (!(x instanceof FormatError)) throw new Error(`unzipBytes mutation ${i}: ${String(x)}`);
      }
    }
  });
});

describe('readNpz checks CRC-32 (numpy raises "Bad CRC-32")', () => {
  it('a bit flipped in a stored member is a FormatError naming the member and both CRCs', () => {
    const npy = writeNpy({ shape: [4], data: new Float64Array([1, 2, 3, 4]) });
    const zip = writeZip([{ name: 'x.npy', data: npy }]);
    expect(Array.from(readNpz(zip, 'ok.npz').x.data as Float64Array)).toEqual([1, 2, 3, 4]);
    const dataAt = 30 + 'x.npy'.length + npy.length - 8; // last float64 (4.0 = 00 .. 10 40)
    zip[dataAt + 7] ^= 0x01;
    let err: unknown;
    try {
      readNpz(zip, 'flip.npz');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    const hex = (c: number) => `0x${c.toString(16).padStart(8, '0')}`;
    const flipped = npy.slice();
    flipped[npy.length - 1] ^= 0x01;
    expect((err as Error).message).toBe(`flip.npz @ byte 35: entry "x.npy": bad CRC-32: the central directory says ${hex(bitwiseCrc32(npy))}, the data gives ${hex(bitwiseCrc32(flipped))}`);
  });
});
