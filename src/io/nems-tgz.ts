/**
 * A gzip-compressed tar archive read whole into memory: the small per-site NEMS archives
 * (`<site>.tgz`, a few MB) that the David-lab loaders open one at a time. ustar and GNU tar,
 * `prefix` names, GNU long names (`L`) and PAX `path` records; regular files and hard/symbolic
 * links kept as files (their content when the archive stores it), directories implied;
 * AppleDouble `._` members dropped.
 * @module
 */
import { gunzipSync } from 'fflate';
import { FormatError } from '../errors.js';

const dec = new TextDecoder();

function field(b: Uint8Array, at: number, n: number): string {
  let end = at;
  while (end < at + n && b[end] !== 0) end++;
  return dec.decode(b.subarray(at, end));
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
  let t: Uint8Array;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      t = gunzipSync(bytes);
    } catch (e) {
      throw new FormatError(file, `the gzip stream cannot be inflated (${(e as Error).message})`);
    }
  } else t = bytes;
  const out = new Map<string, Uint8Array>();
  let p = 0;
  let longName: string | null = null;
  while (p + 512 <= t.length) {
    const h = t.subarray(p, p + 512);
    if (h.every((x) => x === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    const stored = parseInt(field(h, 148, 8).trim(), 8);
    if (stored !== sum) throw new FormatError(file, `tar header checksum ${stored} differs from the computed ${sum}`, p);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new FormatError(file, 'tar header has a bad size field', p + 124);
    const type = String.fromCharCode(h[156] || 0x30);
    const dataAt = p + 512;
    if (dataAt + size > t.length) throw new FormatError(file, `tar member needs ${size} bytes, the archive ends first`, p);
    const data = t.subarray(dataAt, dataAt + size);
    const magic = field(h, 257, 6);
    let name = field(h, 0, 100);
    if (magic.startsWith('ustar')) {
      const prefix = field(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (longName !== null) {
      name = longName;
      longName = null;
    }
    if (type === 'L') longName = field(data, 0, data.length);
    else if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(dec.decode(data));
      if (m) longName = m[1];
    } else if (type === '0' || type === '7' || type === '1' || type === '2') {
      const clean = name.replace(/^\.\//, '');
      const base = clean.slice(clean.lastIndexOf('/') + 1);
      if (!base.startsWith('._') && clean !== '') out.set(clean, data);
    }
    p = dataAt + Math.ceil(size / 512) * 512;
  }
  return out;
}
