/**
 * Incremental decompression with bounded memory: raw Deflate (`InflateStream`, over fflate's
 * streaming `Inflate`, which also tells where the Deflate stream ended) and gzip (`gunzipChunks`:
 * single- or multi-member, each member's trailer CRC-32 and ISIZE verified).
 * @module
 */
import { Inflate } from 'fflate';
import { FormatError } from '../errors.js';
import { crc32 } from './crc32.js';

/**
 * Compressed bytes handed to fflate per step: bounds the output of one step (Deflate expands at
 * most ~1032×, so 16 MiB at worst, ~50 KiB on typical data).
 * @example
 * ```ts
 * inflate.push(compressed.subarray(0, INFLATE_STEP));
 * ```
 */
export const INFLATE_STEP = 16 * 1024;

/** fflate's `Inflate` internals read here: the pending input and the bit state (pinned fflate 0.8.3). */
interface InflateInternals {
  p: Uint8Array;
  s: { f?: number; l?: unknown; p?: number };
}

/**
 * A raw Deflate stream inflated chunk by chunk. `push` returns the bytes produced; `ended`
 * turns true after the final block, and `rest()` then gives the input bytes that followed it.
 * fflate errors come out as `FormatError` naming `file`.
 * @example
 * ```ts
 * const inf = new InflateStream('a.zip:x.bin');
 * for (const piece of compressedPieces) for (const out of inf.push(piece)) use(out);
 * if (!inf.ended) inf.push(new Uint8Array(0), true); // throws FormatError when truncated
 * ```
 */
export class InflateStream {
  private readonly inflate: Inflate;
  private out: Uint8Array[] = [];
  /** Input not handed to fflate because the stream ended before it. */
  private tail: Uint8Array = new Uint8Array(0);

  constructor(private readonly file: string) {
    this.inflate = new Inflate((chunk) => {
      if (chunk.length > 0) this.out.push(chunk);
    });
  }

  /** True once the final Deflate block has been decoded. */
  get ended(): boolean {
    const s = (this.inflate as unknown as InflateInternals).s;
    return !!s.f && !s.l;
  }

  /** Input bytes after the end of the Deflate stream (meaningful once `ended`). */
  rest(): Uint8Array {
    const i = this.inflate as unknown as InflateInternals;
    const left = i.p.subarray(((i.s.p ?? 0) + 7) >> 3);
    if (this.tail.length === 0) return left;
    const out = new Uint8Array(left.length + this.tail.length);
    out.set(left);
    out.set(this.tail, left.length);
    return out;
  }

  /** Feeds `chunk` (in small steps, stopping at the end of the stream); returns the bytes produced. */
  push(chunk: Uint8Array, final = false): Uint8Array[] {
    try {
      for (let o = 0; o < chunk.length; o += INFLATE_STEP) {
        if (this.ended) {
          this.tail = chunk.subarray(o);
          break;
        }
        const last = o + INFLATE_STEP >= chunk.length;
        this.inflate.push(chunk.subarray(o, o + INFLATE_STEP), final && last);
      }
      if (final && chunk.length === 0 && !this.ended) this.inflate.push(chunk, true);
    } catch (e) {
      throw new FormatError(this.file, `bad Deflate data (${(e as Error).message})`, undefined, { cause: e });
    }
    const out = this.out;
    this.out = [];
    return out;
  }
}

/** Bytes queued from an async source, consumed from the front. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  length = 0;
  /** Bytes consumed so far (offset of the front in the whole input). */
  consumed = 0;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  /** Reads until at least `n` bytes are queued; false at end of input before that. */
  async fill(n: number): Promise<boolean> {
    while (this.length < n) {
      const r = await this.source.next();
      if (r.done) return false;
      if (r.value.length > 0) this.chunks.push(r.value), (this.length += r.value.length);
    }
    return true;
  }

  /** Up to `n` bytes from the front, without consuming them (copied only when split across chunks). */
  peek(n: number): Uint8Array {
    const m = Math.min(n, this.length);
    if (this.chunks.length > 0 && this.chunks[0].length >= m) return this.chunks[0].subarray(0, m);
    const out = new Uint8Array(m);
    let o = 0;
    for (const c of this.chunks) {
      if (o >= m) break;
      const k = Math.min(c.length, m - o);
      out.set(c.subarray(0, k), o);
      o += k;
    }
    return out;
  }

  /** Removes and returns the whole front chunk (or `n` bytes of it). */
  take(n = Infinity): Uint8Array {
    const c = this.chunks[0];
    const k = Math.min(n, c.length);
    const out = c.subarray(0, k);
    if (k === c.length) this.chunks.shift();
    else this.chunks[0] = c.subarray(k);
    this.length -= k;
    this.consumed += k;
    return out;
  }

  skip(n: number): void {
    while (n > 0) n -= this.take(n).length;
  }

  /** Puts bytes back at the front. */
  unshift(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.unshift(bytes);
    this.length += bytes.length;
    this.consumed -= bytes.length;
  }
}

/** The length of the gzip member header at the queue's front, or 0 when more bytes are needed. */
function gzipHeaderLength(h: Uint8Array, file: string, offset: number): number {
  if (h.length < 10) return 0;
  if (h[0] !== 0x1f || h[1] !== 0x8b) throw new FormatError(file, 'not a gzip stream (bad magic bytes)', offset);
  if (h[2] !== 8) throw new FormatError(file, `gzip compression method ${h[2]} is not Deflate (8)`, offset);
  const flags = h[3];
  if (flags & 0xe0) throw new FormatError(file, `gzip header has reserved flag bits set (0x${flags.toString(16)})`, offset);
  let p = 10;
  if (flags & 4) {
    if (h.length < p + 2) return 0;
    p += 2 + (h[p] | (h[p + 1] << 8));
  }
  for (const bit of [8, 16]) {
    if (!(flags & bit)) continue;
    while (p < h.length && h[p] !== 0) p++;
    if (p >= h.length) return 0;
    p++;
  }
  if (flags & 2) p += 2;
  return p <= h.length ? p : 0;
}

/** Largest gzip header read (extra field and names included) before giving up. */
const MAX_GZIP_HEADER = 1 << 20;

/**
 * Gunzips a stream of chunks, member after member (concatenated gzip, zero padding between
 * members tolerated), yielding the decompressed bytes as they come. Each member's trailer is
 * checked: CRC-32 of its bytes and ISIZE (length mod 2^32); any problem is a `FormatError` naming
 * `file` and the compressed offset.
 * @example
 * ```ts
 * for await (const bytes of gunzipChunks(chunksOf(gz), 'x.tar.gz')) consume(bytes);
 * ```
 */
export async function* gunzipChunks(input: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<Uint8Array> {
  const q = new ByteQueue(input[Symbol.asyncIterator]());
  for (let member = 0; ; member++) {
    // Skip zero padding between members; stop at end of input.
    for (;;) {
      if (!(await q.fill(1))) {
        if (member === 0) throw new FormatError(file, 'empty gzip stream', 0);
        return;
      }
      if (member === 0 || q.peek(1)[0] !== 0) break;
      q.take(1);
    }
    const start = q.consumed;
    let headerLength = 0;
    for (let want = 10; headerLength === 0; want = Math.min(q.length + 64 * 1024, MAX_GZIP_HEADER)) {
      const full = await q.fill(want);
      headerLength = gzipHeaderLength(q.peek(want), file, start);
      if (headerLength === 0 && (!full || want >= MAX_GZIP_HEADER)) throw new FormatError(file, 'truncated gzip header', start);
    }
    q.skip(headerLength);
    const inflate = new InflateStream(file);
    let crc = 0;
    let size = 0;
    while (!inflate.ended) {
      const more = await q.fill(1);
      const outs = inflate.push(more ? q.take(INFLATE_STEP) : new Uint8Array(0), !more);
      for (const o of outs) {
        crc = crc32(o, crc);
        size += o.length;
        yield o;
      }
      if (!more && !inflate.ended) throw new FormatError(file, `gzip member ${member} is truncated`, q.consumed);
    }
    q.unshift(inflate.rest());
    const trailerAt = q.consumed;
    if (!(await q.fill(8))) throw new FormatError(file, `gzip member ${member} has no trailer (truncated)`, trailerAt);
    const t = q.peek(8);
    const storedCrc = (t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24)) >>> 0;
    const storedSize = (t[4] | (t[5] << 8) | (t[6] << 16) | (t[7] << 24)) >>> 0;
    if (storedCrc !== crc) {
      throw new FormatError(file, `bad CRC-32 in gzip member ${member}: trailer says ${hex(storedCrc)}, data gives ${hex(crc)}`, trailerAt);
    }
    if (storedSize !== size % 2 ** 32) {
      throw new FormatError(file, `bad ISIZE in gzip member ${member}: trailer says ${storedSize}, data gives ${size % 2 ** 32}`, trailerAt);
    }
    q.skip(8);
  }
}

/**
 * A CRC-32 as `0x` and 8 hex digits, for messages.
 * @example
 * ```ts
 * hex(0xcbf43926); // '0xcbf43926'
 * ```
 */
export const hex = (crc: number): string => `0x${crc.toString(16).padStart(8, '0')}`;
