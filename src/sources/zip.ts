/**
 * `ZipSource`: the members of a zip archive as a `FileSource`, read by byte ranges from the
 * parent source; the archive is never held in memory, nor is a whole member.
 *
 * - The central directory is found from the end (end-of-central-directory record, then the ZIP64
 *   locator and ZIP64 end record when present) and read with one range read; sizes and offsets
 *   over 4 GiB come from the ZIP64 extra field (0x0001). Names are UTF-8 when general-purpose
 *   bit 11 is set, CP437 otherwise (src/util/cp437.ts). Data before the archive (a prepended
 *   stub) is allowed, as Python's `zipfile` allows it.
 * - Members are stored (method 0) or Deflate (8). A stored member's byte range maps to one range
 *   read of the parent; a Deflate member is inflated from its first byte up to the end of the
 *   range asked. Each source keeps a few read cursors, so reading a member in consecutive ranges
 *   (or reading it through `stream`) costs one pass.
 * - Integrity: a member's CRC-32 (and, with a data descriptor, the descriptor's CRC and sizes)
 *   is verified whenever it is read from its first byte to its last, in one call or in
 *   consecutive calls; a random-access range alone cannot be verified.
 * @module
 */
import { ArchiveError } from '../download/errors.js';
import { decodeCp437 } from '../util/cp437.js';
import { crc32 } from '../util/crc32.js';
import { hex, INFLATE_STEP, InflateStream } from '../util/inflate.js';
import type { EntryInfo, FileSource } from './types.js';
import { memberRange, notFound, SerialQueue } from './archive-common.js';
import { FileTree } from './tree.js';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_DESCRIPTOR = 0x08074b50;
const EOCD_SIZE = 22;
const LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** Cursors kept per source (members read concurrently in consecutive ranges). */
const CURSORS = 4;

/**
 * One member of a zip archive, from its central-directory record.
 * @example
 * ```ts
 * const z = await ZipSource.open(folder, 'x.zip');
 * for (const e of z.entries) console.log(e.name, e.kind, e.size, e.method === 8 ? 'deflate' : 'stored');
 * ```
 */
export interface ZipEntry {
  /** The name as stored, decoded (UTF-8 or CP437); directories end with `/`. */
  readonly name: string;
  /** `symlink`: a Unix symbolic link (its content is the target path). */
  readonly kind: 'file' | 'directory' | 'symlink';
  /** 0 stored, 8 Deflate (others are listed but cannot be read). */
  readonly method: number;
  /** General-purpose flags (bit 0 encrypted, bit 3 data descriptor, bit 11 UTF-8 name). */
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  /** Uncompressed size. */
  readonly size: number;
  /** Offset of the local header in the parent file. */
  readonly localHeaderOffset: number;
  /** Offset of the central-directory record in the parent file (for messages). */
  readonly centralOffset: number;
  /** Whether the record carried a ZIP64 extra field (its data descriptor then has 64-bit sizes). */
  readonly zip64: boolean;
}

/**
 * Options of {@link ZipSource.open}.
 * @example
 * ```ts
 * const z = await ZipSource.open(folder, 'big.zip', { chunkSize: 4 << 20 });
 * ```
 */
export interface ZipSourceOptions {
  /** Bytes per range read of the parent, and per chunk of `stream` (default 4 MiB). */
  chunkSize?: number;
}

/** A read position inside one member: consecutive reads continue from here. */
interface Cursor {
  readonly entry: ZipEntry;
  /** Uncompressed bytes delivered (or skipped) so far. */
  pos: number;
  /** CRC-32 of bytes [0, pos). */
  crc: number;
  /** Deflate only: the inflater, compressed bytes read so far, those read but not yet inflated, output produced beyond `pos`. */
  inflate?: InflateStream;
  fed: number;
  input: Uint8Array;
  pending: Uint8Array[];
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 2 ** 32;

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let o = 0;
  for (const c of chunks) out.set(c, o), (o += c.length);
  return out;
}

/**
 * A zip archive inside another `FileSource`, itself a read-only `FileSource` over the members.
 * Paths are the member names with empty and `.` components dropped; folders are implied.
 * @example
 * ```ts
 * import { platform } from '#platform';
 * const zip = await ZipSource.open(platform.folderSource('/data'), 'Downer2025.zip');
 * await zip.list('auditory_cortex_data');           // members one level down
 * const head = await zip.read('auditory_cortex_data/sessions/a.mat', 0, 128); // inflates 128 bytes
 * const inner = await TarGzSource.open(zip, 'sites/site1.tgz'); // nested archives work too
 * ```
 */
export class ZipSource implements FileSource {
  readonly root: string;
  /** Members in central-directory order. */
  readonly entries: readonly ZipEntry[];
  private readonly tree = new FileTree<ZipEntry>();
  private readonly dataStarts = new Map<ZipEntry, number>();
  private cursors: Cursor[] = [];
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly parent: FileSource,
    private readonly path: string,
    entries: ZipEntry[],
    /** Where member data may end: the start of the central directory. */
    private readonly dataLimit: number,
    private readonly chunkSize: number,
  ) {
    this.root = `${parent.root.replace(/\/+$/, '')}/${path}`;
    this.entries = entries;
    for (const e of entries) this.tree.add(e.name, e.kind === 'directory' ? undefined : e, e.size);
  }

  /**
   * Opens the zip file `path` of `parent`: reads its end records and central directory (a few
   * range reads), nothing else. Throws `ArchiveError` (a `FormatError`) naming the archive when
   * it is not a readable zip, and an `ENOENT` error when the file does not exist.
   * @example
   * ```ts
   * const z = await ZipSource.open(new MemorySource({ 'a.zip': bytes }), 'a.zip');
   * z.entries.map((e) => e.name); // ['data/', 'data/x.npy']
   * ```
   */
  static async open(parent: FileSource, path: string, options: ZipSourceOptions = {}): Promise<ZipSource> {
    const st = await parent.stat(path);
    if (!st || st.kind !== 'file') throw notFound(parent.root, path);
    const { entries, dataLimit } = await runAsync(centralDirectory(path, st.size), parent, path);
    return new ZipSource(parent, path, entries, dataLimit, Math.max(4096, options.chunkSize ?? 4 << 20));
  }

  /**
   * The member at `path` (normalised like the source's paths), or undefined.
   * @example
   * ```ts
   * zip.entry('data/x.npy')?.crc32;
   * ```
   */
  entry(path: string): ZipEntry | undefined {
    return this.tree.get(path);
  }

  async stat(path: string): Promise<EntryInfo | null> {
    return this.tree.stat(path);
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    return this.tree.list(path);
  }

  async read(path: string, start = 0, end?: number): Promise<Uint8Array> {
    const e = this.entry(path);
    if (!e) throw notFound(this.root, path);
    const [from, stop] = memberRange(e.size, start, end);
    if (from === stop && e.size > 0) return new Uint8Array(0);
    return this.queue.run(() => this.readRange(e, from, stop));
  }

  /**
   * The bytes of member `path` chunk by chunk (`chunkSize` each, the last shorter), CRC-32 verified at the end.
   * @example
   * ```ts
   * for await (const chunk of zip.stream('big.wav')) await writer.write(chunk);
   * ```
   */
  async *stream(path: string): AsyncGenerator<Uint8Array> {
    const e = this.entry(path);
    if (!e) throw notFound(this.root, path);
    if (e.size === 0) {
      await this.queue.run(() => this.readRange(e, 0, 0));
      return;
    }
    for (let pos = 0; pos < e.size; ) {
      const b = await this.queue.run(() => this.readRange(e, pos, Math.min(e.size, pos + this.chunkSize)));
      pos += b.length;
      yield b;
    }
  }

  private fail(e: ZipEntry, message: string, offset?: number): never {
    throw new ArchiveError(this.path, e.name, message, offset);
  }

  /** Offset of member `e`'s data in the parent, from its local header. */
  private async dataStart(e: ZipEntry): Promise<number> {
    const known = this.dataStarts.get(e);
    if (known !== undefined) return known;
    const start = await runAsync(memberDataStart(this.path, e, this.dataLimit), this.parent, this.path);
    this.dataStarts.set(e, start);
    return start;
  }

  /** A cursor on `e` at or before `start` (reused when possible), else a fresh one at 0. */
  private cursorFor(e: ZipEntry, start: number): Cursor {
    const i = this.cursors.findIndex((c) => c.entry === e && c.pos <= start && (e.method === 8 || c.pos === start));
    if (i >= 0) {
      const [c] = this.cursors.splice(i, 1);
      this.cursors.unshift(c);
      return c;
    }
    const c: Cursor = { entry: e, pos: 0, crc: 0, fed: 0, input: new Uint8Array(0), pending: [] };
    this.cursors.unshift(c);
    this.cursors.length = Math.min(this.cursors.length, CURSORS);
    return c;
  }

  private dropCursor(c: Cursor): void {
    this.cursors = this.cursors.filter((x) => x !== c);
  }

  private async readRange(e: ZipEntry, start: number, end: number): Promise<Uint8Array> {
    const dataStart = await this.dataStart(e);
    if (e.method === 0) {
      const bytes = await this.parent.read(this.path, dataStart + start, dataStart + end);
      if (bytes.length !== end - start) this.fail(e, `data truncated at byte ${dataStart + start + bytes.length}`, dataStart);
      // CRC only along a run of consecutive reads from byte 0.
      if (start === 0 || this.cursors.some((c) => c.entry === e && c.pos === start)) {
        const c = this.cursorFor(e, start);
        c.crc = crc32(bytes, c.crc);
        c.pos = end;
        if (end === e.size) {
          this.dropCursor(c);
          await this.verify(e, c.crc, dataStart);
        }
      }
      return bytes;
    }
    const c = this.cursorFor(e, start);
    try {
      const out: Uint8Array[] = [];
      let got = 0;
      while (c.pos < end) {
        const chunk = await this.nextInflated(c, dataStart);
        if (!chunk) this.fail(e, `Deflate data ends after ${c.pos} bytes, the central directory says ${e.size}`, dataStart);
        const skip = Math.max(0, start - c.pos);
        const take = Math.min(chunk.length, end - c.pos);
        if (take < chunk.length) c.pending.unshift(chunk.subarray(take));
        c.crc = crc32(chunk.subarray(0, take), c.crc);
        c.pos += take;
        if (take > skip) out.push(chunk.subarray(skip, take)), (got += take - skip);
      }
      if (c.pos === e.size) {
        if (await this.nextInflated(c, dataStart)) this.fail(e, `Deflate data holds more than the ${e.size} bytes the central directory says`, dataStart);
        this.dropCursor(c);
        await this.verify(e, c.crc, dataStart);
      }
      return concat(out, got);
    } catch (err) {
      this.dropCursor(c);
      throw err;
    }
  }

  /**
   * The next inflated chunk of the cursor's member, or null at the end of its Deflate stream.
   * Compressed bytes go to the inflater one `INFLATE_STEP` at a time, so a chunk stays small
   * whatever the compression ratio.
   */
  private async nextInflated(c: Cursor, dataStart: number): Promise<Uint8Array | null> {
    const e = c.entry;
    c.inflate ??= new InflateStream(`${this.path}:${e.name}`);
    for (;;) {
      const p = c.pending.shift();
      if (p) return p;
      if (c.inflate.ended) return null;
      if (c.input.length > 0) {
        c.pending.push(...c.inflate.push(c.input.subarray(0, INFLATE_STEP)));
        c.input = c.input.subarray(INFLATE_STEP);
        continue;
      }
      if (c.fed >= e.compressedSize) {
        c.pending.push(...c.inflate.push(new Uint8Array(0), true)); // throws when truncated
        if (!c.inflate.ended) this.fail(e, 'Deflate stream is truncated', dataStart + c.fed);
        continue;
      }
      const from = dataStart + c.fed;
      const n = Math.min(this.chunkSize, e.compressedSize - c.fed);
      c.input = await this.parent.read(this.path, from, from + n);
      if (c.input.length !== n) this.fail(e, `data truncated at byte ${from + c.input.length}`, dataStart);
      c.fed += n;
    }
  }

  /** Checks the CRC of a member read through, and its data descriptor when it has one. */
  private async verify(e: ZipEntry, crc: number, dataStart: number): Promise<void> {
    await runAsync(verifyMember(this.path, e, crc, dataStart), this.parent, this.path);
  }
}

/**
 * Reads asked by the zip parsing steps below: `[start, end)` of the archive. The steps are
 * generators yielding these, so one parser serves the async `ZipSource` and the synchronous
 * `unzipBytes`.
 */
type Reads<T> = Generator<readonly [number, number], T, Uint8Array>;

/** Runs a parsing step against a `FileSource`. */
async function runAsync<T>(step: Reads<T>, parent: FileSource, path: string): Promise<T> {
  let r = step.next();
  while (!r.done) r = step.next(await parent.read(path, r.value[0], r.value[1]));
  return r.value;
}

/** Runs a parsing step against the archive's bytes. */
function runSync<T>(step: Reads<T>, bytes: Uint8Array): T {
  let r = step.next();
  while (!r.done) r = step.next(bytes.subarray(Math.min(r.value[0], bytes.length), Math.min(r.value[1], bytes.length)));
  return r.value;
}

/** The end records and the central directory of zip `path` (`size` bytes). */
function* centralDirectory(path: string, size: number): Reads<{ entries: ZipEntry[]; dataLimit: number }> {
  const bad = (message: string, offset?: number): never => {
    throw new ArchiveError(path, '', message, offset);
  };
  if (size < EOCD_SIZE) bad(`not a zip file (${size} bytes, too short for an end-of-central-directory record)`);
  const tailStart = Math.max(0, size - (EOCD_SIZE + MAX_COMMENT + LOCATOR_SIZE));
  const tail = yield [tailStart, size];
  if (tail.length !== size - tailStart) bad('short read of the archive tail', tailStart);
  let i = tail.length - EOCD_SIZE;
  while (i >= 0 && u32(tail, i) !== SIG_EOCD) i--;
  if (i < 0) bad('not a zip file (no end-of-central-directory record)');
  const eocd = tailStart + i;
  if (u16(tail, i + 4) !== 0 && u16(tail, i + 4) !== 0xffff) bad('multi-disk (spanned) archives are not supported', eocd);
  let count = u16(tail, i + 10);
  let cdSize = u32(tail, i + 12);
  let cdOffset = u32(tail, i + 16);
  let cdEnd = eocd; // where the central directory must end (before any ZIP64 records)
  if (i >= LOCATOR_SIZE && u32(tail, i - LOCATOR_SIZE) === SIG_ZIP64_LOCATOR) {
    const z64 = u64(tail, i - LOCATOR_SIZE + 8);
    // Locate the ZIP64 record relative to the locator (tolerates prepended data).
    const z64At = eocd - LOCATOR_SIZE - ZIP64_EOCD_SIZE;
    if (z64At < 0) bad(`ZIP64 end record at ${z64} does not fit before the locator`, eocd - LOCATOR_SIZE);
    const r = yield [z64At, z64At + ZIP64_EOCD_SIZE];
    if (r.length !== ZIP64_EOCD_SIZE || u32(r, 0) !== SIG_ZIP64_EOCD) bad('ZIP64 end-of-central-directory record missing', z64At);
    count = u64(r, 32);
    cdSize = u64(r, 40);
    cdOffset = u64(r, 48);
    cdEnd = z64At;
  }
  // Bytes before the archive proper (a stub): every stored offset is off by this much.
  const shift = cdEnd - cdSize - cdOffset;
  if (shift < 0) bad(`central directory (${cdSize} bytes at ${cdOffset}) overlaps the end records at ${cdEnd}`, eocd);
  const cdStart = cdOffset + shift;
  if (count * CENTRAL_SIZE > cdSize) bad(`${count} entries cannot fit in a ${cdSize}-byte central directory`, cdStart);
  const cd = yield [cdStart, cdEnd];
  if (cd.length !== cdSize) bad('short read of the central directory', cdStart);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    const at = cdStart + p;
    if (p + CENTRAL_SIZE > cd.length || u32(cd, p) !== SIG_CENTRAL) bad(`central directory record ${k} is corrupt`, at);
    const madeBy = u16(cd, p + 4) >> 8;
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const crc = u32(cd, p + 16);
    let compressedSize = u32(cd, p + 20);
    let sizeU = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    const attrs = u32(cd, p + 38);
    let local = u32(cd, p + 42);
    const next = p + CENTRAL_SIZE + nameLen + extraLen + commentLen;
    if (next > cd.length) bad(`central directory record ${k} runs past the directory's end`, at);
    const nameBytes = cd.subarray(p + CENTRAL_SIZE, p + CENTRAL_SIZE + nameLen);
    let name = '';
    if (flags & 0x800) {
      try {
        name = utf8.decode(nameBytes);
      } catch {
        bad(`central directory record ${k}: name flagged UTF-8 is not valid UTF-8`, at);
      }
    } else name = decodeCp437(nameBytes);
    let zip64 = false;
    for (let x = p + CENTRAL_SIZE + nameLen, xEnd = x + extraLen; x + 4 <= xEnd; ) {
      const id = u16(cd, x);
      const len = u16(cd, x + 2);
      if (x + 4 + len > xEnd) throw new ArchiveError(path, name, 'extra field runs past its record', at);
      if (id === 0x0001) {
        zip64 = true;
        let q = x + 4;
        const take = (): number => {
          if (q + 8 > x + 4 + len) throw new ArchiveError(path, name, 'ZIP64 extra field too short for the saturated fields', at);
          const v = u64(cd, q);
          q += 8;
          return v;
        };
        if (sizeU === 0xffffffff) sizeU = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (local === 0xffffffff) local = take();
      }
      x += 4 + len;
    }
    const mode = madeBy === 3 ? attrs >>> 16 : 0;
    const kind = name.endsWith('/') || (mode & S_IFMT) === S_IFDIR ? 'directory' : (mode & S_IFMT) === S_IFLNK ? 'symlink' : 'file';
    const localHeaderOffset = local + shift;
    if (localHeaderOffset + LOCAL_SIZE > cdStart) throw new ArchiveError(path, name, `local header offset ${localHeaderOffset} is past the central directory`, at);
    entries.push({ name, kind, method, flags, crc32: crc, compressedSize, size: sizeU, localHeaderOffset, centralOffset: at, zip64 });
    p = next;
  }
  return { entries, dataLimit: cdStart };
}

/** Where member `e`'s data start, from its local header; checks it can be read. */
function* memberDataStart(path: string, e: ZipEntry, dataLimit: number): Reads<number> {
  const fail = (message: string, offset?: number): never => {
    throw new ArchiveError(path, e.name, message, offset);
  };
  if (e.flags & 1) fail('is encrypted (not supported)', e.centralOffset);
  if (e.method !== 0 && e.method !== 8) fail(`compression method ${e.method} is not supported (only stored and Deflate)`, e.centralOffset);
  if (e.method === 0 && e.compressedSize !== e.size) fail(`stored member with compressed size ${e.compressedSize} != size ${e.size}`, e.centralOffset);
  const at = e.localHeaderOffset;
  const h = yield [at, at + LOCAL_SIZE];
  if (h.length < LOCAL_SIZE || u32(h, 0) !== SIG_LOCAL) fail('local header missing', at);
  const start = at + LOCAL_SIZE + u16(h, 26) + u16(h, 28);
  if (start + e.compressedSize > dataLimit) {
    fail(`data (${e.compressedSize} bytes from byte ${start}) runs past the central directory at ${dataLimit}`, at);
  }
  return start;
}

/** Checks the CRC-32 of member `e` read through (`crc`), and its data descriptor when it has one. */
function* verifyMember(path: string, e: ZipEntry, crc: number, dataStart: number): Reads<void> {
  const fail = (message: string, offset?: number): never => {
    throw new ArchiveError(path, e.name, message, offset);
  };
  if (crc !== e.crc32) fail(`bad CRC-32: the central directory says ${hex(e.crc32)}, the data gives ${hex(crc)}`, dataStart);
  if (!(e.flags & 8)) return;
  const at = dataStart + e.compressedSize;
  const d = yield [at, at + 24];
  const o = d.length >= 4 && u32(d, 0) === SIG_DESCRIPTOR ? 4 : 0;
  if (d.length < o + 12) fail('data descriptor truncated', at);
  const dCrc = u32(d, o);
  if (dCrc !== e.crc32) fail(`data descriptor CRC-32 ${hex(dCrc)} differs from the central directory's ${hex(e.crc32)}`, at);
  const sizes32 = u32(d, o + 4) === e.compressedSize && u32(d, o + 8) === e.size;
  const sizes64 = d.length >= o + 20 && u64(d, o + 4) === e.compressedSize && u64(d, o + 12) === e.size;
  if (!sizes32 && !sizes64) fail(`data descriptor sizes differ from the central directory's (${e.compressedSize} compressed, ${e.size})`, at);
}

/**
 * Unpacks a zip held in memory (small archives: `.npz` files), every member CRC-32 checked, with
 * the same parser as `ZipSource`. Directory entries are left out.
 * Throws `ArchiveError` (a `FormatError`) naming `archive` and the member.
 * @example
 * ```ts
 * for (const { entry, data } of unzipBytes(bytes, 'spikes.npz')) console.log(entry.name, data.length);
 * ```
 */
export function unzipBytes(bytes: Uint8Array, archive: string): Array<{ entry: ZipEntry; data: Uint8Array }> {
  const { entries, dataLimit } = runSync(centralDirectory(archive, bytes.length), bytes);
  const out: Array<{ entry: ZipEntry; data: Uint8Array }> = [];
  for (const e of entries) {
    if (e.kind === 'directory') continue;
    const start = runSync(memberDataStart(archive, e, dataLimit), bytes);
    const raw = bytes.subarray(start, start + e.compressedSize);
    let data = raw;
    if (e.method === 8) {
      const inflate = new InflateStream(`${archive}:${e.name}`);
      const parts = inflate.push(raw, true);
      let n = 0;
      for (const p of parts) n += p.length;
      if (n !== e.size) throw new ArchiveError(archive, e.name, `Deflate data hold ${n} bytes, the central directory says ${e.size}`, start);
      data = concat(parts, n);
    }
    runSync(verifyMember(archive, e, crc32(data), start), bytes);
    out.push({ entry: e, data });
  }
  return out;
}
