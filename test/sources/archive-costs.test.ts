// What archive reads cost, counted at the parent source: a Deflate zip member read in consecutive
// ranges is inflated once (not once per range); a tar.gz member kept at indexing costs no read,
// one not kept re-streams the archive; reading tar.gz members in archive order is one pass.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { MemorySource } from '../../src/sources/memory.js';
import { ZipSource } from '../../src/sources/zip.js';
import { TarGzSource } from '../../src/sources/tar.js';
import type { FileSource } from '../../src/sources/types.js';
import { writeTar, writeZip } from '../helpers/archive-writer.js';

/** A MemorySource that counts the bytes read from it. */
class Counting implements FileSource {
  readonly root = 'count:';
  bytes = 0;
  constructor(private readonly inner: MemorySource) {}
  stat(p: string) {
    return this.inner.stat(p);
  }
  list(p: string) {
    return this.inner.list(p);
  }
  async read(p: string, s?: number, e?: number) {
    const b = await this.inner.read(p, s, e);
    this.bytes += b.length;
    return b;
  }
}

const noise = (n: number, seed: number) => {
  let x = seed;
  return new Uint8Array(n).map(() => ((x = (x * 1103515245 + 12345) >>> 0), x >>> 24));
};

describe('archive read costs', () => {
  it('zip: consecutive ranges of a Deflate member inflate it once', async () => {
    const data = noise(400_000, 1); // incompressible: compressed size ≈ size
    const zip = writeZip([{ name: 'd.bin', data, method: 8 }]);
    const parent = new Counting(new MemorySource({ 'a.zip': zip }));
    const z = await ZipSource.open(parent, 'a.zip', { chunkSize: 8192 });
    const compressed = z.entries[0].compressedSize;
    parent.bytes = 0;
    for (let p = 0; p < data.length; p += 10_000) await z.read('d.bin', p, p + 10_000);
    expect(parent.bytes).toBeLessThan(compressed + 8192 + 64); // one pass (+ local header, + last chunk)
    expect(parent.bytes).toBeGreaterThanOrEqual(compressed);
  });

  it('tar.gz: kept members cost nothing; others re-stream from the start; archive order is one pass', async () => {
    const members = Array.from({ length: 8 }, (_, i) => ({ name: `m${i}.bin`, data: noise(50_000, i + 2) }));
    const tgz = gzipSync(writeTar(members), { level: 1 });
    const parent = new Counting(new MemorySource({ 'a.tgz': tgz }));
    const kept = await TarGzSource.open(parent, 'a.tgz', { chunkSize: 4096 });
    parent.bytes = 0;
    expect((await kept.read('m5.bin'))[0]).toBe(members[5].data[0]);
    expect(parent.bytes).toBe(0);
    const lean = await TarGzSource.open(parent, 'a.tgz', { cacheBytes: 0, chunkSize: 4096 });
    parent.bytes = 0;
    await lean.read('m7.bin', 0, 10); // decompresses members 0..6 first
    expect(parent.bytes).toBeGreaterThan((7 * 50_000 * tgz.length) / (8 * 50_000 + 9 * 512) - 8192);
    parent.bytes = 0;
    for (const m of members) await lean.read(m.name); // restarts once (m0 is behind), then forward only
    expect(parent.bytes).toBeLessThanOrEqual(tgz.length + 4096);
  });
});
