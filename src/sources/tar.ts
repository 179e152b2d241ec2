/**
 * Tar archives, plain or gzip-compressed, read as a stream: `tarEvents` parses the tar stream
 * (ustar with its `prefix` field, GNU long names and link names `L`/`K`, PAX headers `x`/`g`
 * with `path`, `linkpath` and `size`, GNU base-256 numbers) member by member, never holding a
 * member; `TarGzSource` is a `FileSource` over the members.
 *
 * A gzip stream cannot be entered in the middle, so `TarGzSource` indexes the archive in one
 * pass when opened (which also verifies every gzip member's CRC-32 and ISIZE) and reads a member
 * by decompressing from the start of the archive up to it: reading member k costs decompressing
 * everything before it. Reads that continue forward (the next range of the same member, or a
 * later member) resume the same decompression instead of starting over, so reading members in
 * archive order costs one pass. Small members seen while indexing are kept, within a byte budget
 * (`cacheBytes`), and then cost nothing. Plain (uncompressed) tar members map to range reads.
 * @module
 */
import { ArchiveError } from '../download/errors.js';
import { splitPath } from '../download/manifest.js';
import { gunzipChunks } from '../util/inflate.js';
import type { EntryInfo, FileSource } from './types.js';
import { memberRange, notFound, resolveLink, SerialQueue } from './archive-common.js';
import { FileTree } from './tree.js';

const BLOCK = 512;
/** Largest PAX / GNU long-name body accepted (they hold one path, a few records). */
const MAX_META = 1 << 20;
/** Link chains followed before giving up (a link to a link to …). */
const MAX_LINK_DEPTH = 8;

/**
 * One member of a tar archive, as its headers (and any PAX / GNU long-name headers before it) say.
 * @example
 * ```ts
 * for (const e of (await TarGzSource.open(folder, 'x.tgz')).entries) console.log(e.name, e.kind, e.size);
 * ```
 */
export interface TarEntry {
  /** The name (PAX `path`, else GNU long name, else ustar prefix + name); directories may end with `/`. */
  readonly name: string;
  /** Types `0`, NUL, `7` are files; `5` directories; `2` symbolic and `1` hard links; the rest `other`. */
  readonly kind: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  /** The type flag character. */
  readonly typeflag: string;
  /** Data bytes (0 for links and directories). */
  readonly size: number;
  /** Link target (PAX `linkpath`, else GNU long link name, else the header's) for links, else ''. */
  readonly linkTarget: string;
  /** Offset of the member's (first) header in the uncompressed tar stream. */
  readonly headerOffset: number;
  /** Offset of its data in the uncompressed tar stream. */
  readonly dataOffset: number;
}

/**
 * What `tarEvents` yields: a member's header, then its data in pieces, then `end` (the data of
 * members that are neither files nor links is skipped).
 * @example
 * ```ts
 * for await (const ev of tarEvents(chunks, 'x.tar')) if (ev.type === 'data') hash.update(ev.bytes);
 * ```
 */
export type TarEvent = { type: 'entry'; entry: TarEntry } | { type: 'data'; bytes: Uint8Array } | { type: 'end' };

const utf8 = new TextDecoder();

/** Push parser of a tar stream; see `tarEvents`. */
class TarParser {
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  /** What the bytes at `pos` are. */
  private mode: 'header' | 'data' | 'meta' | 'skip' | 'pad' | 'end' = 'header';
  private left = 0;
  private padLeft = 0;
  private meta: { type: string; chunks: Uint8Array[]; size: number; at: number } | null = null;
  private globalPax: Record<string, string> = {};
  private pax: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;
  private lastName = '';
  /** Offset in the tar stream of the next byte pushed. */
  pos = 0;

  constructor(private readonly archive: string) {}

  private fail(message: string, offset: number): never {
    throw new ArchiveError(this.archive, this.lastName, message, offset);
  }

  push(chunk: Uint8Array, out: TarEvent[]): void {
    let i = 0;
    while (i < chunk.length) {
      const rest = chunk.length - i;
      if (this.mode === 'end') {
        this.pos += rest;
        return; // what follows the end-of-archive block is ignored
      }
      if (this.mode === 'header') {
        const n = Math.min(BLOCK - this.headerFill, rest);
        this.header.set(chunk.subarray(i, i + n), this.headerFill);
        this.headerFill += n;
        i += n;
        this.pos += n;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.parseHeader(this.pos - BLOCK, out);
        }
        continue;
      }
      const n = Math.min(this.mode === 'pad' ? this.padLeft : this.left, rest);
      const piece = chunk.subarray(i, i + n);
      i += n;
      this.pos += n;
      if (this.mode === 'pad') {
        this.padLeft -= n;
        if (this.padLeft === 0) this.mode = 'header';
        continue;
      }
      this.left -= n;
      if (this.mode === 'data' && n > 0) out.push({ type: 'data', bytes: piece });
      else if (this.mode === 'meta' && this.meta && n > 0) this.meta.chunks.push(piece.slice());
      if (this.left === 0) this.endBody(out);
    }
  }

  /** At end of input: only a member boundary is a valid place to stop. */
  finish(): void {
    if (this.mode === 'end' || (this.mode === 'header' && this.headerFill === 0)) return;
    if (this.mode === 'header') throw new ArchiveError(this.archive, '', `truncated header (${this.headerFill} of 512 bytes)`, this.pos - this.headerFill);
    this.fail(`truncated: the archive ends inside a member (${this.mode === 'pad' ? this.padLeft : this.left} bytes missing)`, this.pos);
  }

  private endBody(out: TarEvent[]): void {
    if (this.mode === 'data') out.push({ type: 'end' });
    if (this.mode === 'meta' && this.meta) this.applyMeta();
    this.mode = this.padLeft > 0 ? 'pad' : 'header';
  }

  private field(o: number, n: number): string {
    const s = this.header.subarray(o, o + n);
    const z = s.indexOf(0);
    return utf8.decode(z < 0 ? s : s.subarray(0, z));
  }

  private number(o: number, n: number, what: string, at: number): number {
    const h = this.header;
    if (h[o] & 0x80) {
      if (h[o] === 0xff) this.fail(`negative base-256 ${what}`, at);
      let v = h[o] & 0x7f;
      for (let k = 1; k < n; k++) v = v * 256 + h[o + k];
      if (!Number.isSafeInteger(v)) this.fail(`${what} too large`, at);
      return v;
    }
    const t = this.field(o, n).replace(/^[ \0]+|[ \0]+$/g, '');
    if (t === '') return 0;
    if (!/^[0-7]+$/.test(t)) this.fail(`invalid ${what} field "${t}"`, at);
    return parseInt(t, 8);
  }

  private parseHeader(at: number, out: TarEvent[]): void {
    const h = this.header;
    let zero = true;
    for (let k = 0; k < BLOCK && zero; k++) zero = h[k] === 0;
    if (zero) {
      this.mode = 'end';
      return;
    }
    this.lastName = this.field(0, 100);
    let unsigned = 0;
    let signed = 0;
    for (let k = 0; k < BLOCK; k++) {
      const b = k >= 148 && k < 156 ? 32 : h[k];
      unsigned += b;
      signed += b > 127 ? b - 256 : b;
    }
    const stored = this.number(148, 8, 'header checksum', at);
    if (stored !== unsigned && stored !== signed) this.fail(`header checksum ${stored} != ${unsigned} (not a tar file?)`, at);
    const type = h[156] === 0 ? '\0' : String.fromCharCode(h[156]);
    const headerSize = this.number(124, 12, 'size', at);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      if (headerSize > MAX_META) this.fail(`${type} header of ${headerSize} bytes is implausibly large`, at);
      this.meta = { type, chunks: [], size: headerSize, at };
      this.startBody('meta', headerSize, out);
      return;
    }
    const pax = { ...this.globalPax, ...this.pax };
    // POSIX ustar ("ustar\0") has a prefix field; GNU ("ustar  ") uses those bytes for other things.
    const posix = h[257] === 0x75 && this.field(257, 6) === 'ustar' && h[262] === 0;
    const prefix = posix ? this.field(345, 155) : '';
    const base = this.field(0, 100);
    const name = pax.path ?? this.longName ?? (prefix ? `${prefix}/${base}` : base);
    const linkTarget = pax.linkpath ?? this.longLink ?? this.field(157, 100);
    let size = headerSize;
    if (pax.size !== undefined) {
      if (!/^\d+$/.test(pax.size) || !Number.isSafeInteger(Number(pax.size))) this.fail(`invalid PAX size "${pax.size}"`, at);
      size = Number(pax.size);
    }
    this.pax = {};
    this.longName = this.longLink = undefined;
    this.lastName = name;
    let kind: TarEntry['kind'];
    if (type === '0' || type === '\0' || type === '7') kind = name.endsWith('/') ? 'directory' : 'file';
    else if (type === '5') kind = 'directory';
    else if (type === '2') kind = 'symlink';
    else if (type === '1') kind = 'hardlink';
    else kind = 'other';
    const entry: TarEntry = { name, kind, typeflag: type, size: kind === 'file' ? size : 0, linkTarget: kind === 'symlink' || kind === 'hardlink' ? linkTarget : '', headerOffset: at, dataOffset: at + BLOCK };
    out.push({ type: 'entry', entry });
    // Links and directories carry no data (their size field, if any, is skipped with the rest).
    this.startBody(kind === 'file' ? 'data' : 'skip', size, out);
  }

  private startBody(mode: 'data' | 'meta' | 'skip', size: number, out: TarEvent[]): void {
    this.mode = mode;
    this.left = size;
    this.padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.endBody(out);
  }

  private applyMeta(): void {
    const m = this.meta as NonNullable<TarParser['meta']>;
    this.meta = null;
    const body = new Uint8Array(m.size);
    let o = 0;
    for (const c of m.chunks) body.set(c, o), (o += c.length);
    if (m.type === 'L' || m.type === 'K') {
      const z = body.indexOf(0);
      const s = utf8.decode(z < 0 ? body : body.subarray(0, z));
      if (m.type === 'L') this.longName = s;
      else this.longLink = s;
      return;
    }
    const records = parsePax(body, (msg) => this.fail(msg, m.at));
    if (m.type === 'g') Object.assign(this.globalPax, records);
    else this.pax = records;
  }
}

/** PAX extended header records: `"<len> <key>=<value>\n"`. */
function parsePax(body: Uint8Array, fail: (message: string) => never): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const sp = body.indexOf(0x20, i);
    const lenText = sp < 0 ? '' : utf8.decode(body.subarray(i, sp));
    const len = /^\d+$/.test(lenText) ? Number(lenText) : NaN;
    if (!(len > sp - i + 1) || i + len > body.length || body[i + len - 1] !== 0x0a) fail(`malformed PAX record at byte ${i} of the header`);
    const rec = utf8.decode(body.subarray(sp + 1, i + len - 1));
    const eq = rec.indexOf('=');
    if (eq <= 0) fail(`malformed PAX record at byte ${i} of the header (no key)`);
    out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Parses a tar stream given as chunks, yielding each member's header, data pieces and end.
 * Throws `ArchiveError` (a `FormatError`) naming `archive`, the member and the offset on a bad
 * header (checksum, numbers, PAX records) or a truncated stream. Stops at the end-of-archive block.
 * @example
 * ```ts
 * for await (const ev of tarEvents(gunzipChunks(fileChunks, 'x.tgz'), 'x.tgz')) {
 *   if (ev.type === 'entry') console.log(ev.entry.name, ev.entry.size);
 * }
 * ```
 */
export async function* tarEvents(chunks: AsyncIterable<Uint8Array>, archive: string): AsyncGenerator<TarEvent> {
  const parser = new TarParser(archive);
  const out: TarEvent[] = [];
  for await (const chunk of chunks) {
    parser.push(chunk, out);
    yield* out;
    out.length = 0;
  }
  parser.finish();
}

/**
 * Bytes `[start, end)` of `path` in `source`, as range reads of `chunkSize` bytes.
 * @example
 * ```ts
 * for await (const c of readChunks(folder, 'x.tgz', 0, size)) feed(c);
 * ```
 */
export async function* readChunks(source: FileSource, path: string, start: number, end: number, chunkSize = 1 << 20): AsyncGenerator<Uint8Array> {
  for (let p = start; p < end; ) {
    const b = await source.read(path, p, Math.min(end, p + chunkSize));
    if (b.length === 0) throw new ArchiveError(path, '', `short read at byte ${p} of ${end}`, p);
    p += b.length;
    yield b;
  }
}

/**
 * Whether `path` in `source` starts with the gzip magic bytes (1F 8B).
 * @example
 * ```ts
 * await isGzip(folder, 'x.tgz'); // true
 * ```
 */
async function isGzip(source: FileSource, path: string): Promise<boolean> {
  const m = await source.read(path, 0, 2);
  return m.length === 2 && m[0] === 0x1f && m[1] === 0x8b;
}

/**
 * The uncompressed tar stream of `path` (gunzipped when it starts with the gzip magic).
 * @example
 * ```ts
 * for await (const ev of tarEvents(await tarStream(folder, 'x.tgz', size), 'x.tgz')) { … }
 * ```
 */
export async function tarStream(source: FileSource, path: string, size: number, chunkSize?: number): Promise<AsyncIterable<Uint8Array>> {
  const raw = readChunks(source, path, 0, size, chunkSize);
  return (await isGzip(source, path)) ? gunzipChunks(raw, path) : raw;
}

/**
 * Options of {@link TarGzSource.open}.
 * @example
 * ```ts
 * const t = await TarGzSource.open(folder, 'site.tgz', { cacheBytes: 32 << 20 });
 * ```
 */
export interface TarGzSourceOptions {
  /** Members of a gzip archive kept in memory while indexing, first come first served, up to this many bytes in all (default 8 MiB; 0 keeps none). */
  cacheBytes?: number;
  /** Bytes per range read of the parent (default 1 MiB). */
  chunkSize?: number;
}

/** A decompression in progress: the uncompressed stream from `pos` on. */
interface StreamCursor {
  readonly chunks: AsyncIterator<Uint8Array>;
  pos: number;
  pending: Uint8Array | undefined;
}

/**
 * A tar, tar.gz or .tgz archive inside another `FileSource`, itself a read-only `FileSource` over
 * the members (links read as their targets). See the module notes for what reads cost.
 * @example
 * ```ts
 * const zip = await ZipSource.open(folder, 'recordings.zip');
 * const site = await TarGzSource.open(zip, 'recordings/site1.tgz'); // nested: a .tgz in a .zip
 * const json = JSON.parse(new TextDecoder().decode(await site.read('site1/site1.resp.json')));
 * ```
 */
export class TarGzSource implements FileSource {
  readonly root: string;
  /** Members in archive order (a name appearing twice: the later one wins, as tar does). */
  readonly entries: readonly TarEntry[];
  private readonly tree = new FileTree<TarEntry>();
  private cursor: StreamCursor | undefined;
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly parent: FileSource,
    private readonly path: string,
    private readonly size: number,
    /** Whether the archive is gzip-compressed. */
    readonly gzip: boolean,
    entries: TarEntry[],
    private readonly kept: Map<TarEntry, Uint8Array>,
    private readonly chunkSize: number,
  ) {
    this.root = `${parent.root.replace(/\/+$/, '')}/${path}`;
    this.entries = entries;
    for (const e of entries) if (e.kind !== 'other') this.tree.add(e.name, e.kind === 'directory' ? undefined : e, e.size);
  }

  /**
   * Opens the tar / tar.gz file `path` of `parent`, indexing its members in one streaming pass
   * (gzip CRC-32 and ISIZE verified). Throws `ArchiveError` naming the archive and member on a
   * malformed or corrupt archive, an `ENOENT` error when the file does not exist.
   * @example
   * ```ts
   * const t = await TarGzSource.open(new MemorySource({ 'a.tgz': bytes }), 'a.tgz');
   * t.entries.map((e) => e.name); // ['a/', 'a/x.txt']
   * ```
   */
  static async open(parent: FileSource, path: string, options: TarGzSourceOptions = {}): Promise<TarGzSource> {
    const st = await parent.stat(path);
    if (!st || st.kind !== 'file') throw notFound(parent.root, path);
    const chunkSize = Math.max(4096, options.chunkSize ?? 1 << 20);
    let budget = options.cacheBytes ?? 8 << 20;
    const gzip = await isGzip(parent, path);
    const entries: TarEntry[] = [];
    const kept = new Map<TarEntry, Uint8Array>();
    let current: { entry: TarEntry; chunks: Uint8Array[] } | undefined;
    for await (const ev of tarEvents(await tarStream(parent, path, st.size, chunkSize), path)) {
      if (ev.type === 'entry') {
        entries.push(ev.entry);
        current = undefined;
        if (ev.entry.kind === 'file' && ev.entry.size <= budget && gzip) {
          budget -= ev.entry.size;
          current = { entry: ev.entry, chunks: [] };
        }
      } else if (ev.type === 'data') current?.chunks.push(ev.bytes.slice());
      else if (current) {
        const b = new Uint8Array(current.entry.size);
        let o = 0;
        for (const c of current.chunks) b.set(c, o), (o += c.length);
        kept.set(current.entry, b);
        current = undefined;
      }
    }
    return new TarGzSource(parent, path, st.size, gzip, entries, kept, chunkSize);
  }

  /**
   * The member at `path` after following links (null for a link to nothing or to a folder).
   * @example
   * ```ts
   * tar.entry('a/x.txt')?.size;
   * ```
   */
  entry(path: string): TarEntry | undefined {
    let p = splitPath(path).join('/');
    for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
      const e = this.tree.get(p);
      if (!e || e.kind === 'file') return e;
      if (e.kind !== 'symlink' && e.kind !== 'hardlink') return undefined;
      const to = resolveLink(e.name, e.kind, e.linkTarget);
      if (to === null) return undefined;
      p = to;
    }
    return undefined;
  }

  async stat(path: string): Promise<EntryInfo | null> {
    const e = this.entry(path);
    if (e) return { kind: 'file', size: e.size };
    const t = this.tree.stat(path);
    return t?.kind === 'directory' ? t : null; // a link to nothing is not a file
  }

  async list(path: string): Promise<Array<{ name: string; kind: 'file' | 'directory' }>> {
    return this.tree.list(path);
  }

  async read(path: string, start = 0, end?: number): Promise<Uint8Array> {
    const e = this.entry(path);
    if (!e) throw notFound(this.root, path);
    const [from, stop] = memberRange(e.size, start, end);
    const kept = this.kept.get(e);
    if (kept) return kept.subarray(from, stop);
    if (from === stop) return new Uint8Array(0);
    if (!this.gzip) {
      const b = await this.parent.read(this.path, e.dataOffset + from, e.dataOffset + stop);
      if (b.length !== stop - from) throw new ArchiveError(this.path, e.name, 'data truncated', e.dataOffset + from + b.length);
      return b;
    }
    return this.queue.run(() => this.decompressed(e, e.dataOffset + from, e.dataOffset + stop));
  }

  /**
   * The bytes of member `path`, chunk by chunk.
   * @example
   * ```ts
   * for await (const chunk of tar.stream('a/big.wav')) await writer.write(chunk);
   * ```
   */
  async *stream(path: string): AsyncGenerator<Uint8Array> {
    const e = this.entry(path);
    if (!e) throw notFound(this.root, path);
    for (let pos = 0; pos < e.size; ) {
      const b = await this.read(path, pos, Math.min(e.size, pos + this.chunkSize));
      pos += b.length;
      yield b;
    }
  }

  /** Bytes [a, b) of the uncompressed stream, continuing the current decompression when it is not past `a`. */
  private async decompressed(e: TarEntry, a: number, b: number): Promise<Uint8Array> {
    let c = this.cursor;
    if (!c || c.pos > a) {
      await c?.chunks.return?.();
      const raw = readChunks(this.parent, this.path, 0, this.size, this.chunkSize);
      c = this.cursor = { chunks: gunzipChunks(raw, this.path)[Symbol.asyncIterator](), pos: 0, pending: undefined };
    }
    const out = new Uint8Array(b - a);
    try {
      while (c.pos < b) {
        let chunk = c.pending;
        c.pending = undefined;
        if (!chunk) {
          const r = await c.chunks.next();
          if (r.done) throw new ArchiveError(this.path, e.name, 'the archive ends inside this member', c.pos);
          chunk = r.value;
        }
        const end = c.pos + chunk.length;
        if (end > b) c.pending = chunk.subarray(b - c.pos);
        const from = Math.max(a, c.pos);
        const to = Math.min(b, end);
        if (to > from) out.set(chunk.subarray(from - c.pos, to - c.pos), from - a);
        c.pos = Math.min(end, b);
      }
    } catch (err) {
      this.cursor = undefined;
      throw err;
    }
    return out;
  }
}
