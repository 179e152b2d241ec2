// Tiny CRCNS-AA5 raw site archives in the release's layout: `<site>/PlaybackPkl/goodPlayback-e<E>-c<C>.pkl`
// unit files plus the macOS AppleDouble `._` members the release contains, as a gzip'd ustar
// stream: `aa5SiteArchive` with placeholder bytes (download tests), `aa5PickleArchive` with the
// real pandas 1.5.3 unit pickles of test/fixtures/aa5/ (preparer tests).
import { gzipSync } from 'fflate';

const enc = (s: string) => new TextEncoder().encode(s);

/** A minimal ustar writer (regular files and folders). */
export function ustar(entries: Array<{ name: string; data?: Uint8Array; dir?: boolean }>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = e.data ?? new Uint8Array(0);
    const h = new Uint8Array(512);
    const put = (s: string, off: number, len: number) => h.set(enc(s).subarray(0, len), off);
    const oct = (v: number, off: number, len: number) => put(v.toString(8).padStart(len - 1, '0') + '\0', off, len);
    put(e.name, 0, 100);
    oct(e.dir ? 0o755 : 0o644, 100, 8); oct(0, 108, 8); oct(0, 116, 8); oct(data.length, 124, 12); oct(0, 136, 12);
    put(e.dir ? '5' : '0', 156, 1);
    put('ustar\0', 257, 6); put('00', 263, 2);
    h.fill(32, 148, 156);
    let sum = 0;
    for (const x of h) sum += x;
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    parts.push(h);
    const body = new Uint8Array(Math.ceil(data.length / 512) * 512);
    body.set(data);
    parts.push(body);
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

/** `<site>.tar.gz` with `units` unit pickles (e, c) and their AppleDouble twins. */
export function aa5SiteArchive(site: string, units: Array<[number, number]>): Uint8Array {
  const entries: Array<{ name: string; data?: Uint8Array; dir?: boolean }> = [{ name: `${site}/`, dir: true }, { name: `${site}/PlaybackPkl/`, dir: true }];
  for (const [e, c] of units) {
    const name = `goodPlayback-e${e}-c${c}.pkl`;
    entries.push({ name: `${site}/PlaybackPkl/${name}`, data: enc(`\x80\x04 pickle placeholder ${site} ${name} `.repeat(40)) });
    entries.push({ name: `${site}/PlaybackPkl/._${name}`, data: enc('AppleDouble') });
  }
  return gzipSync(ustar(entries), { level: 6 });
}

/**
 * A raw site archive `<site>.tar.gz` holding real unit pickles (`members`: base name → bytes) at
 * `<site>/PlaybackPkl/<name>`, in the order given, each with its AppleDouble twin, plus a
 * non-pickle member — the layout the preparer streams.
 */
export function aa5PickleArchive(site: string, members: Array<[string, Uint8Array]>): Uint8Array {
  const entries: Array<{ name: string; data?: Uint8Array; dir?: boolean }> = [{ name: `${site}/`, dir: true }, { name: `${site}/PlaybackPkl/`, dir: true }];
  for (const [name, data] of members) {
    entries.push({ name: `${site}/PlaybackPkl/._${name}`, data: enc('AppleDouble') });
    entries.push({ name: `${site}/PlaybackPkl/${name}`, data });
  }
  entries.push({ name: `${site}/notes.txt`, data: enc('not a unit') });
  return gzipSync(ustar(entries), { level: 6 });
}
