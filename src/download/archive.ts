/**
 * Unpacking zip, tar and tar.gz archives into a `WritableSource`, refusing any entry that would land
 * outside the target folder (absolute path, `..` component, link pointing outside).
 * Zip: own central-directory reader (ZIP64 aware, CRC-32 checked) with fflate's inflate;
 * tar: ustar + pax + GNU long-name parser; gzip: fflate.
 * Links (tar hard/symbolic, zip symlinks) that stay inside are written as regular files holding
 * the target's content (download.md §5.2), since OPFS has no links.
 * @module
 */
import { gunzipSync, inflateSync } from 'fflate';
import type { WritableSource } from '../sources/types.js';
import type { ArchiveKind } from './manifest.js';
import { joinPath, relativePathProblem, splitPath } from './manifest.js';
import { ArchiveError } from './errors.js';

/** One entry of an archive, after parsing. */
interface Entry {
  name: string;
  kind: 'file' | 'directory' | 'link' | 'other';
  /** For links: the target as stored. */
  linkTarget?: string;
  /** For links: hard links name a member path, symbolic links a path relative to the link. */
  hardLink?: boolean;
  /** The bytes (files) — decoded lazily for zip entries. */
  data: () => Uint8Array;
  offset: number;
}

/**
 * The entry's safe path relative to the extraction folder, or an `ArchiveError` naming it.
 * @example
 * ```ts
 * safeEntryPath('a.zip', 'dir/./x.mat'); // 'dir/x.mat'
 * safeEntryPath('a.zip', '../evil');     // throws ArchiveError
 * ```
 */
export function safeEntryPath(archive: string, name: string, offset?: number): string {
  const problem = relativePathProblem(name);
  if (problem) throw new ArchiveError(archive, name, `${problem}: it would be written outside the target folder`, offset);
  return splitPath(name).join('/');
}

/** Where a link points, relative to the extraction folder; throws when it escapes. */
function linkDestination(archive: string, e: Entry): string {
  const target = e.linkTarget ?? '';
  const fail = () => {
    throw new ArchiveError(archive, e.name, `link to "${target}" points outside the target folder`, e.offset);
  };
  if (relativePathProblem(target) === 'is an absolute path') fail();
  const parts = e.hardLink ? [] : splitPath(e.name).slice(0, -1);
  for (const c of splitPath(target)) {
    if (c === '..') {
      if (parts.length === 0) fail();
      parts.pop();
    } else parts.push(c);
  }
  return parts.join('/');
}

/**
 * Unpacks `bytes` (an archive of kind `kind`, named `archive` in messages) into folder
 * `target` of `store` (`''` = the store root). Validates every entry before writing anything.
 * Returns the written file paths (relative to the store root).
 * @example
 * ```ts
 * const written = await extractArchive(await store.read('x.zip'), 'zip', store, 'x', 'x.zip');
 * ```
 */
export async function extractArchive(
  bytes: Uint8Array,
  kind: ArchiveKind,
  store: WritableSource,
  target: string,
  archive: string,
): Promise<string[]> {
  let entries: Entry[];
  if (kind === 'zip') entries = readZip(bytes, archive);
  else if (kind === 'tar') entries = readTar(bytes, archive);
  else {
    let tar: Uint8Array;
    try {
      tar = gunzipSync(bytes);
    } catch (e) {
      throw new ArchiveError(archive, '', `not a valid gzip stream (${(e as Error).message})`);
    }
    entries = readTar(tar, archive);
  }
  // Validate everything first, so a malicious archive writes nothing at all.
  const byPath = new Map<string, Entry>();
  const plan: Array<{ path: string; entry: Entry }> = [];
  for (const e of entries) {
    if (e.kind === 'other') continue;
    const path = safeEntryPath(archive, e.name, e.offset);
    if (e.kind === 'link') e.linkTarget = linkDestination(archive, e);
    if (e.kind === 'file') byPath.set(path, e);
    plan.push({ path, entry: e });
  }
  const written: string[] = [];
  for (const { path, entry } of plan) {
    if (path === '') continue;
    const dest = joinPath(target, path);
    if (entry.kind === 'directory') {
      await store.mkdir(dest);
      continue;
    }
    let source = entry;
    if (entry.kind === 'link') {
      const t = byPath.get(entry.linkTarget ?? '');
      if (!t) continue; // a link to a folder or to nothing: nothing to copy
      source = t;
    }
    await store.writeFile(dest, source.data());
    written.push(dest);
  }
  return written;
}

// ---------------------------------------------------------------------------------- zip

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO-HDLC, as zip uses). @example `crc32(new TextEncoder().encode('123456789')) // 0xcbf43926` */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function readZip(b: Uint8Array, archive: string): Entry[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  const u64 = (o: number) => u32(o) + u32(o + 4) * 0x100000000;
  const bad = (msg: string, offset?: number): never => {
    throw new ArchiveError(archive, '', msg, offset);
  };
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad('not a zip file (no end-of-central-directory record)');
  let count = u16(eocd + 10);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== 0x07064b50) bad('ZIP64 locator missing', eocd);
    const z64 = u64(loc + 8);
    if (z64 + 56 > b.length || u32(z64) !== 0x06064b50) bad('ZIP64 end record missing', z64);
    count = u64(z64 + 32);
    cdOffset = u64(z64 + 48);
  }
  const dec = new TextDecoder();
  const out: Entry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || u32(p) !== 0x02014b50) bad(`central directory entry ${k} is corrupt`, p);
    const madeBy = u16(p + 4) >> 8;
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const crc = u32(p + 16);
    let csize = u32(p + 20);
    let usize = u32(p + 24);
    const nlen = u16(p + 28);
    const xlen = u16(p + 30);
    const clen = u16(p + 32);
    const attrs = u32(p + 38);
    let local = u32(p + 42);
    const name = dec.decode(b.subarray(p + 46, p + 46 + nlen));
    // ZIP64 extra field: the 64-bit values of the fields that were saturated, in this order.
    for (let x = p + 46 + nlen; x + 4 <= p + 46 + nlen + xlen; ) {
      const id = u16(x);
      const len = u16(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (usize === 0xffffffff) (usize = u64(q)), (q += 8);
        if (csize === 0xffffffff) (csize = u64(q)), (q += 8);
        if (local === 0xffffffff) local = u64(q);
      }
      x += 4 + len;
    }
    const entryOffset = p;
    p += 46 + nlen + xlen + clen;
    if (flags & 1) throw new ArchiveError(archive, name, 'is encrypted', entryOffset);
    const unixMode = madeBy === 3 ? attrs >>> 16 : 0;
    const isLink = (unixMode & 0o170000) === 0o120000;
    const isDir = name.endsWith('/') || (unixMode & 0o170000) === 0o040000;
    const data = () => {
      if (local + 30 > b.length || u32(local) !== 0x04034b50) throw new ArchiveError(archive, name, 'local header missing', local);
      const start = local + 30 + u16(local + 26) + u16(local + 28);
      const raw = b.subarray(start, start + csize);
      if (raw.length !== csize) throw new ArchiveError(archive, name, 'data truncated', start);
      let bytes: Uint8Array;
      if (method === 0) bytes = raw;
      else if (method === 8) {
        try {
          bytes = inflateSync(raw, { out: new Uint8Array(usize) });
        } catch (e) {
          throw new ArchiveError(archive, name, `bad deflate data (${(e as Error).message})`, start);
        }
      } else throw new ArchiveError(archive, name, `unsupported compression method ${method}`, entryOffset);
      if (bytes.length !== usize) throw new ArchiveError(archive, name, `size ${bytes.length}, header says ${usize}`, start);
      if (crc32(bytes) !== crc) throw new ArchiveError(archive, name, 'CRC-32 mismatch', start);
      return bytes;
    };
    if (isDir) out.push({ name, kind: 'directory', data: () => new Uint8Array(0), offset: entryOffset });
    else if (isLink) out.push({ name, kind: 'link', linkTarget: dec.decode(data()), data, offset: entryOffset });
    else out.push({ name, kind: 'file', data, offset: entryOffset });
  }
  return out;
}

// ---------------------------------------------------------------------------------- tar

function readTar(b: Uint8Array, archive: string): Entry[] {
  const dec = new TextDecoder();
  const str = (o: number, n: number) => {
    const s = b.subarray(o, o + n);
    const z = s.indexOf(0);
    return dec.decode(z < 0 ? s : s.subarray(0, z));
  };
  const num = (o: number, n: number): number => {
    if (b[o] & 0x80) {
      // GNU base-256: big-endian two's complement with the top bit as a flag.
      let v = b[o] & 0x7f;
      for (let i = 1; i < n; i++) v = v * 256 + b[o + i];
      return v;
    }
    const t = str(o, n).trim();
    return t === '' ? 0 : parseInt(t, 8);
  };
  const out: Entry[] = [];
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let p = 0;
  while (p + 512 <= b.length) {
    const header = b.subarray(p, p + 512);
    if (header.every((x) => x === 0)) break; // end-of-archive marker
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
    const stored = num(p + 148, 8);
    if (stored !== sum) throw new ArchiveError(archive, str(p, 100), `header checksum ${stored} != ${sum} (not a tar file?)`, p);
    const type = String.fromCharCode(b[p + 156] || 48);
    const magic = str(p + 257, 6);
    const prefix = magic.startsWith('ustar') ? str(p + 345, 155) : '';
    let name = pax.path ?? longName ?? (prefix ? `${prefix}/${str(p, 100)}` : str(p, 100));
    const linkTarget = pax.linkpath ?? longLink ?? str(p + 157, 100);
    const size = pax.size !== undefined ? Number(pax.size) : num(p + 124, 12);
    const dataStart = p + 512;
    if (dataStart + size > b.length) throw new ArchiveError(archive, name, `data truncated (needs ${size} bytes)`, dataStart);
    const body = b.subarray(dataStart, dataStart + size);
    const offset = p;
    p = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = parsePax(body, archive, offset);
      continue;
    }
    if (type === 'g') continue; // global pax header: nothing we use
    if (type === 'L') {
      longName = str(dataStart, size);
      continue;
    }
    if (type === 'K') {
      longLink = str(dataStart, size);
      continue;
    }
    pax = {};
    longName = longLink = undefined;
    if (type === '0' || type === '7') out.push({ name, kind: 'file', data: () => body, offset });
    else if (type === '5') out.push({ name, kind: 'directory', data: () => body, offset });
    else if (type === '1' || type === '2') out.push({ name, kind: 'link', linkTarget, hardLink: type === '1', data: () => body, offset });
    else {
      name ||= '?';
      out.push({ name, kind: 'other', data: () => body, offset }); // devices, fifos: skipped
    }
  }
  return out;
}

/** pax extended header records: `"<len> <key>=<value>\n"`. */
function parsePax(body: Uint8Array, archive: string, offset: number): Record<string, string> {
  const out: Record<string, string> = {};
  const dec = new TextDecoder();
  let i = 0;
  while (i < body.length && body[i] !== 0) {
    const sp = body.indexOf(0x20, i);
    const len = sp < 0 ? NaN : Number(dec.decode(body.subarray(i, sp)));
    if (!Number.isInteger(len) || len <= 0 || i + len > body.length) throw new ArchiveError(archive, '', 'malformed pax header', offset);
    const rec = dec.decode(body.subarray(sp + 1, i + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}
