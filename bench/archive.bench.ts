// Streaming extraction of a ZIP64 archive over 4 GiB, against a baseline measured in this process.
// The archive is generated as a SPARSE file in os.tmpdir() (test/helpers/sparse-file.ts): three
// stored members, one of 4 GiB + 256 MiB of zeros (its CRC from crc32Zeros), so extraction
// streams every byte through range reads and CRC-32. Peak RSS is sampled every 50 ms; the bar is
// 256 MB. Baseline: a plain sequential fs read of the same archive file (1 MiB reads, the same
// promise API the Node folder source uses), run before and after extraction; the faster counts;
// and the same read with a CRC-32 of every byte (the floor for a verified extraction).
// Target: by default a WritableSource that discards the bytes (counting them) while the reader
// still checks every member's CRC-32; ARCHIVE_BENCH_WRITE=1 writes them to a temp folder instead
// (4.3 GB of real disk writes, deleted afterwards).
// Second part: a tar.gz holding one member of ARCHIVE_BENCH_TGZ_MIB MiB of zeros (default 1024),
// gzipped to disk by node:zlib as a stream, extracted into the discarding target (gunzip with
// trailer CRC-32 and ISIZE, tar parsing): peak RSS, and time against fflate's streaming Gunzip
// alone over the same 1 MiB reads (the inflater we use, without checks or tar parsing).
import { mkdtemp, open, rm, stat, statfs } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Gunzip } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractArchive } from '../src/download/archive.js';
import { NodeFolderSource } from '../src/sources/node-folder.js';
import type { EntryInfo, FileWriter, WritableSource } from '../src/sources/types.js';
import { crc32, crc32Zeros } from '../src/util/crc32.js';
import { tarHeader, zipSegments } from '../test/helpers/archive-writer.js';
import { writeSparse } from '../test/helpers/sparse-file.js';

const BIG = 2 ** 32 + 2 ** 28;
const RSS_BAR = 256e6;
const write = process.env.ARCHIVE_BENCH_WRITE === '1';

/** A WritableSource that keeps nothing: counts the bytes written. */
class DiscardTarget implements WritableSource {
  readonly root = 'discard:';
  bytes = 0;
  async stat(): Promise<EntryInfo | null> {
    return null;
  }
  async read(): Promise<Uint8Array> {
    return new Uint8Array(0);
  }
  async list(): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    return [];
  }
  async writeFile(_path: string, data: Uint8Array): Promise<void> {
    this.bytes += data.length;
  }
  async openWriter(): Promise<FileWriter> {
    return { write: async (c) => void (this.bytes += c.length), close: async () => undefined };
  }
  async rename(): Promise<void> {}
  async remove(): Promise<void> {}
  async mkdir(): Promise<void> {}
}

/** Runs `f` while sampling RSS every 50 ms; returns its time and the peak RSS seen. */
async function sampled(f: () => Promise<unknown>): Promise<{ ms: number; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    await f();
  } finally {
    clearInterval(timer);
  }
  return { ms: performance.now() - t0, peak: Math.max(peak, process.memoryUsage().rss) };
}

const dir = await mkdtemp(join(tmpdir(), 'deepstrf-archive-bench-'));
try {
  const fsInfo = await statfs(dir);
  const free = fsInfo.bavail * fsInfo.bsize;
  console.log(`free space in ${tmpdir()}: ${(free / 1e9).toFixed(1)} GB`);
  if (write && free < 2 * BIG) throw new Error('not enough free space for ARCHIVE_BENCH_WRITE=1');
  const text = new TextEncoder().encode('a small member after the big one\n');
  const size = await writeSparse(join(dir, 'big.zip'), zipSegments([
    { name: 'data/readme.txt', data: text },
    { name: 'data/zeros.bin', zeros: BIG, crc: crc32Zeros(BIG) },
    { name: 'data/tail.txt', data: text },
  ]));
  const mb = size / 1e6;
  console.log(`archive: ${(size / 2 ** 30).toFixed(2)} GiB ZIP64 (sparse), members stored; target: ${write ? 'temp folder on disk' : 'discarding WritableSource (CRC-32 still checked)'}`);

  const plainRead = (withCrc: boolean) => sampled(async () => {
    const fh = await open(join(dir, 'big.zip'), 'r');
    const buf = new Uint8Array(1 << 20);
    let crc = 0;
    try {
      for (let pos = 0; pos < size; ) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        if (withCrc) crc = crc32(buf.subarray(0, bytesRead), crc);
        pos += bytesRead;
      }
    } finally {
      await fh.close();
    }
    return crc;
  });
  // The machine may be shared: the baseline runs before and after, and the faster run counts.
  const before = await plainRead(false); // also brings the file into the page cache
  const withCrc = await plainRead(true);

  const rssBefore = process.memoryUsage().rss;
  const target = write ? new NodeFolderSource(join(dir, 'out')) : new DiscardTarget();
  const run = await sampled(() => extractArchive(new NodeFolderSource(dir), 'big.zip', target, { stripRoot: true }));
  const after = await plainRead(false);
  const base = before.ms < after.ms ? before : after;
  console.log(`baseline fs read (1 MiB reads), best of before/after: ${(base.ms / 1000).toFixed(2)} s, ${(mb / (base.ms / 1000)).toFixed(0)} MB/s (before ${(before.ms / 1000).toFixed(2)} s, after ${(after.ms / 1000).toFixed(2)} s)`);
  if (target instanceof DiscardTarget && target.bytes !== BIG + 2 * text.length) throw new Error(`extracted ${target.bytes} bytes`);
  console.log(`plain read + CRC-32 of every byte: ${(withCrc.ms / 1000).toFixed(2)} s, ${(mb / (withCrc.ms / 1000)).toFixed(0)} MB/s`);
  console.log(`extractArchive: ${(run.ms / 1000).toFixed(2)} s, ${(mb / (run.ms / 1000)).toFixed(0)} MB/s; time ratio vs the plain read ${(run.ms / base.ms).toFixed(2)}, vs read + CRC-32 ${(run.ms / withCrc.ms).toFixed(2)}`);
  console.log(`peak RSS during extraction: ${(run.peak / 1e6).toFixed(0)} MB (before: ${(rssBefore / 1e6).toFixed(0)} MB); bar < ${RSS_BAR / 1e6} MB: ${run.peak < RSS_BAR ? 'PASS' : 'FAIL'}`);

  // ---- tar.gz
  const tgzBytes = Number(process.env.ARCHIVE_BENCH_TGZ_MIB ?? 1024) * 2 ** 20;
  async function* tarOfZeros(): AsyncGenerator<Uint8Array> {
    yield tarHeader('zeros.bin', '0', tgzBytes);
    const z = new Uint8Array(1 << 20);
    for (let left = tgzBytes; left > 0; left -= z.length) yield left >= z.length ? z : z.subarray(0, left);
    yield new Uint8Array((512 - (tgzBytes % 512)) % 512 + 1024);
  }
  await pipeline(Readable.from(tarOfZeros()), createGzip({ level: 1 }), createWriteStream(join(dir, 'zeros.tgz')));
  const tgzSize = (await stat(join(dir, 'zeros.tgz'))).size;
  console.log(`\ntar.gz: ${tgzBytes / 2 ** 20} MiB of zeros in one member, ${(tgzSize / 1e6).toFixed(1)} MB gzipped`);
  const fflateOnly = await sampled(async () => {
    const fh = await open(join(dir, 'zeros.tgz'), 'r');
    let out = 0;
    const g = new Gunzip((c) => void (out += c.length));
    try {
      for (let pos = 0; pos < tgzSize; ) {
        const buf = new Uint8Array(1 << 20);
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        for (let o = 0; o < bytesRead; o += 1 << 14) g.push(buf.subarray(o, Math.min(bytesRead, o + (1 << 14))), pos >= tgzSize && o + (1 << 14) >= bytesRead);
      }
    } finally {
      await fh.close();
    }
    if (out < tgzBytes) throw new Error(`fflate gave ${out} bytes`);
  });
  const sink = new DiscardTarget();
  const tgzRun = await sampled(() => extractArchive(new NodeFolderSource(dir), 'zeros.tgz', sink));
  if (sink.bytes !== tgzBytes) throw new Error(`extracted ${sink.bytes} bytes`);
  const tmb = tgzBytes / 1e6;
  console.log(`fflate streaming Gunzip alone: ${(fflateOnly.ms / 1000).toFixed(2)} s, ${(tmb / (fflateOnly.ms / 1000)).toFixed(0)} MB/s`);
  console.log(`extractArchive (gunzip + CRC-32 + ISIZE + tar): ${(tgzRun.ms / 1000).toFixed(2)} s, ${(tmb / (tgzRun.ms / 1000)).toFixed(0)} MB/s; time ratio vs fflate alone ${(tgzRun.ms / fflateOnly.ms).toFixed(2)}`);
  console.log(`peak RSS during tar.gz extraction: ${(tgzRun.peak / 1e6).toFixed(0)} MB; bar < ${RSS_BAR / 1e6} MB: ${tgzRun.peak < RSS_BAR ? 'PASS' : 'FAIL'}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
