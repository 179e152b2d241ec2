/**
 * Gzip-compressed tar archives read in one streaming pass (the NEMS per-site `.tgz` files and
 * the NAT4 population archive, whose 1.9 GB CSV members must not be held as one buffer): each
 * member is kept in memory, streamed chunk by chunk to a consumer, or skipped. ustar and GNU tar,
 * `prefix` names, GNU long names (`L`) and PAX `path` records; regular files and hard/symbolic
 * links kept as files (their content when the archive stores it), directories implied;
 * AppleDouble `._` members dropped.
 * @module
 */
import { Gunzip, gunzipSync } from 'fflate';
import { FormatError } from '../errors.js';

const dec = new TextDecoder();
/** Archives up to this size (compressed) are inflated in one call (unless `until` may stop early) and their members kept as views. */
const SMALL_ARCHIVE = 8 << 20;

function field(b: Uint8Array, at: number, n: number): string {
  let end = at;
  while (end < at + n && b[end] !== 0) end++;
  return dec.decode(b.subarray(at, end));
}

/**
 * What to do with a member: `'keep'` it in memory, stream it to a function (called with each
 * chunk in order, then once with `null` at its end), or `null` to skip it.
 * @example
 * ```ts
 * const pick: TgzMemberAction = name.endsWith('.csv') ? (chunk) => { if (chunk) reader.push(chunk); } : 'keep';
 * ```
 */
export type TgzMemberAction = 'keep' | ((chunk: Uint8Array | null) => void) | null;

/**
 * Reads a `.tgz` / `.tar.gz` (or plain `.tar`) in one pass; `choose` decides per member path.
 * Returns the kept members by path; `until` (checked as the input is inflated) stops early once
 * it holds, leaving the rest of the archive unread.
 * @throws FormatError for a bad gzip stream, a header checksum mismatch or a truncated member
 * @example
 * ```ts
 * const r = new CsvMatrixReader('x.resp.csv');
 * const kept = scanTgz(bytes, 'pop.tgz', (p) => (p.endsWith('.resp.csv') ? (c) => c && r.push(c) : 'keep'));
 * ```
 */
export function scanTgz(
  bytes: Uint8Array,
  file: string,
  choose: (path: string) => TgzMemberAction,
  until?: (kept: ReadonlyMap<string, Uint8Array>) => boolean,
): Map<string, Uint8Array> {
  const small = bytes.length <= SMALL_ARCHIVE && until === undefined;
  const tar = new TarStream(file, choose, small);
  if (small && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let t: Uint8Array;
    try {
      t = gunzipSync(bytes);
    } catch (e) {
      throw new FormatError(file, `the gzip stream cannot be inflated (${(e as Error).message})`);
    }
    tar.push(t);
  } else if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const gz = new Gunzip((chunk) => tar.push(chunk));
    try {
      for (let p = 0; p < bytes.length; p += 1 << 20) {
        gz.push(bytes.subarray(p, Math.min(bytes.length, p + (1 << 20))), p + (1 << 20) >= bytes.length);
        if (until?.(tar.kept)) return tar.kept; // the rest is never inflated
      }
    } catch (e) {
      if (e instanceof FormatError) throw e;
      throw new FormatError(file, `the gzip stream cannot be inflated (${(e as Error).message})`);
    }
  } else tar.push(bytes);
  return tar.finish();
}

/**
 * The files of a `.tgz` / `.tar.gz` (or plain `.tar`) archive by their member paths.
 * @throws FormatError for a bad gzip stream, a header checksum mismatch or a truncated member
 * @example
 * ```ts
 * const files = readTgz(await source.read('A1_single_sites/ABC001a.tgz'), 'ABC001a.tgz');
 * files.get('ABC001a/ABC001a.resp.json');
 * ```
 */
export function readTgz(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  return scanTgz(bytes, file, () => 'keep');
}

class TarStream {
  private readonly header = new Uint8Array(512);
  private filled = 0;
  private left = 0; // data bytes of the current entry still to come
  private pad = 0; // padding bytes after them
  private offset = 0; // bytes of the tar stream consumed
  private headerAt = 0;
  private ended = false;
  private sink: ((chunk: Uint8Array) => void) | null = null;
  private endEntry: (() => void) | null = null;
  private longName: string | null = null;
  readonly kept = new Map<string, Uint8Array>();

  constructor(
    private readonly file: string,
    private readonly choose: (path: string) => TgzMemberAction,
    /** The pushed chunks are never reused: kept members may be views of them. */
    private readonly ownsChunks = false,
  ) {}

  push(chunk: Uint8Array): void {
    let p = 0;
    while (p < chunk.length && !this.ended) {
      if (this.left > 0) {
        const n = Math.min(this.left, chunk.length - p);
        this.sink?.(chunk.subarray(p, p + n));
        this.left -= n;
        p += n;
        this.offset += n;
        if (this.left === 0) this.closeEntry();
      } else if (this.pad > 0) {
        const n = Math.min(this.pad, chunk.length - p);
        this.pad -= n;
        p += n;
        this.offset += n;
      } else {
        const n = Math.min(512 - this.filled, chunk.length - p);
        if (this.filled === 0) this.headerAt = this.offset;
        this.header.set(chunk.subarray(p, p + n), this.filled);
        this.filled += n;
        p += n;
        this.offset += n;
        if (this.filled === 512) {
          this.filled = 0;
          this.openEntry();
        }
      }
    }
  }

  finish(): Map<string, Uint8Array> {
    if (this.left > 0 || this.filled > 0) throw new FormatError(this.file, `the tar stream ends inside ${this.left > 0 ? 'a member' : 'a header'}`, this.headerAt);
    return this.kept;
  }

  private openEntry(): void {
    const h = this.header;
    if (h.every((x) => x === 0)) {
      this.ended = true;
      return;
    }
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    const stored = parseInt(field(h, 148, 8).trim(), 8);
    if (stored !== sum) throw new FormatError(this.file, `tar header checksum ${stored} differs from the computed ${sum}`, this.headerAt);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new FormatError(this.file, 'tar header has a bad size field', this.headerAt + 124);
    const type = String.fromCharCode(h[156] || 0x30);
    let name = field(h, 0, 100);
    if (field(h, 257, 6).startsWith('ustar')) {
      const prefix = field(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (this.longName !== null && type !== 'L' && type !== 'x') {
      name = this.longName;
      this.longName = null;
    }
    this.left = size;
    this.pad = (512 - (size % 512)) % 512;
    this.sink = null;
    this.endEntry = null;
    if (type === 'L' || type === 'x') {
      const parts: Uint8Array[] = [];
      this.sink = (c) => parts.push(c.slice());
      this.endEntry = () => {
        const data = concat(parts);
        if (type === 'L') this.longName = field(data, 0, data.length);
        else {
          const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(dec.decode(data));
          if (m) this.longName = m[1];
        }
      };
    } else if (type === '0' || type === '7' || type === '1' || type === '2') {
      const path = name.replace(/^\.\//, '');
      const base = path.slice(path.lastIndexOf('/') + 1);
      const action = path === '' || base.startsWith('._') ? null : this.choose(path);
      if (action === 'keep') {
        const parts: Uint8Array[] = [];
        this.sink = (c) => parts.push(this.ownsChunks ? c : c.slice());
        this.endEntry = () => this.kept.set(path, parts.length === 1 ? parts[0] : concat(parts));
      } else if (typeof action === 'function') {
        this.sink = action;
        this.endEntry = () => action(null);
      }
    }
    if (size === 0) this.closeEntry();
  }

  private closeEntry(): void {
    const end = this.endEntry;
    this.sink = null;
    this.endEntry = null;
    end?.();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
