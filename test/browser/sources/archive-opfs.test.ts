// Archives in real Chromium: a zip and a tar.gz written into OPFS, extracted there by
// extractArchive (streaming, staged then renamed), read back; a .tgz nested in a .zip read through
// ZipSource -> TarGzSource over the OPFS source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { platform } from '#platform';
import type { WritableSource } from '../../../src/sources/types.js';
import { ArchiveError, TarGzSource, ZipSource, extractArchive } from '../../../src/index.js';
import { bitwiseCrc32, writeTar, writeZip } from '../../helpers/archive-writer.js';

const ROOT = `deepstrf-test/archives-${Date.now()}`;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const BIG = new Uint8Array(2_500_000).map((_, i) => (i * 7 + (i >> 11)) & 0xff); // several 1 MiB chunks

describe('archives in OPFS (Chromium)', () => {
  let store: WritableSource;
  beforeAll(async () => {
    expect(platform.name).toBe('browser');
    store = await platform.openWritableSource(ROOT);
  });
  afterAll(async () => {
    const top = await navigator.storage.getDirectory();
    await top.removeEntry('deepstrf-test', { recursive: true });
  });

  it('extracts a zip (stored, Deflate, data descriptor, strip-root) into OPFS and reads it back', async () => {
    await store.writeFile('in/a.zip', writeZip([
      { name: 'proj/' },
      { name: 'proj/small.txt', data: enc('hello opfs') },
      { name: 'proj/data/big.bin', data: BIG, method: 8, descriptor: 'signed' },
      { name: 'proj/._small.txt', data: enc('apple double') },
    ]));
    const written = await extractArchive(store, 'in/a.zip', store, { into: 'zip-out', stripRoot: true });
    expect(written).toEqual(['zip-out/small.txt', 'zip-out/data/big.bin']);
    expect(dec(await store.read('zip-out/small.txt'))).toBe('hello opfs');
    const big = await store.read('zip-out/data/big.bin');
    expect(big.length).toBe(BIG.length);
    expect(bitwiseCrc32(big)).toBe(bitwiseCrc32(BIG));
    expect((await store.list('zip-out')).map((e) => e.name).sort()).toEqual(['data', 'small.txt']); // no staging folder left
  });

  it('extracts a tar.gz (GNU long name, PAX, strip-components) into OPFS', async () => {
    const long = `${'x'.repeat(80)}/${'y'.repeat(80)}.txt`;
    await store.writeFile('in/b.tgz', gzipSync(writeTar([
      { name: 'wrap/', type: '5' },
      { name: 'wrap/a.txt', data: enc('A') },
      { name: `wrap/${long}`, data: enc('long'), long: 'gnu' },
      { name: 'wrap/p.txt', data: enc('pax'), long: 'pax' },
    ])));
    expect(await extractArchive(store, 'in/b.tgz', store, { into: 'tar-out', stripComponents: 1 })).toEqual(['tar-out/a.txt', `tar-out/${long}`, 'tar-out/p.txt']);
    expect(dec(await store.read(`tar-out/${long}`))).toBe('long');
    expect(dec(await store.read('tar-out/p.txt'))).toBe('pax');
  });

  it('a corrupt member writes nothing into OPFS', async () => {
    const zip = writeZip([{ name: 'ok.txt', data: enc('ok') }, { name: 'bad.txt', data: enc('123456789') }]);
    zip[30 + 6 + 2 + 30 + 7] ^= 1; // first byte of bad.txt's data
    await store.writeFile('in/c.zip', zip);
    const err = await extractArchive(store, 'in/c.zip', store, { into: 'bad-out' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toContain('entry "bad.txt": bad CRC-32: the central directory says 0xcbf43926');
    expect(await store.list('bad-out')).toEqual([]);
  });

  it('reads a .tgz nested in a .zip through ZipSource -> TarGzSource over OPFS', async () => {
    const tgz = gzipSync(writeTar([{ name: 'site/resp.json', data: enc('{"fs":100}') }, { name: 'site/big.bin', data: BIG }]));
    await store.writeFile('in/nested.zip', writeZip([{ name: 'sites/site.tgz', data: tgz, method: 8 }]));
    const zip = await ZipSource.open(store, 'in/nested.zip');
    const tar = await TarGzSource.open(zip, 'sites/site.tgz', { cacheBytes: 0 });
    expect(JSON.parse(dec(await tar.read('site/resp.json')))).toEqual({ fs: 100 });
    const part = await tar.read('site/big.bin', 2_000_000, 2_000_016);
    expect(Array.from(part)).toEqual(Array.from(BIG.subarray(2_000_000, 2_000_016)));
  });
});
