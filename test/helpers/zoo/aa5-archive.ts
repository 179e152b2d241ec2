// Tiny CRCNS-AA5 raw site archives in the release's layout: `<site>/PlaybackPkl/goodPlayback-e<E>-c<C>.pkl`
// unit files plus the macOS AppleDouble `._` members the release contains, as a gzip'd ustar
// stream written by test/helpers/archive-writer.ts: `aa5SiteArchive` with placeholder bytes
// (download tests), `aa5PickleArchive` with the real pandas 1.5.3 unit pickles of
// test/fixtures/aa5/ (preparer tests).
import { gzipSync } from 'fflate';
import { writeTar, type TarMemberSpec } from '../archive-writer.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** `<site>.tar.gz` with `units` unit pickles (e, c) and their AppleDouble twins. */
export function aa5SiteArchive(site: string, units: Array<[number, number]>): Uint8Array {
  const members: TarMemberSpec[] = [{ name: `${site}/`, type: '5' }, { name: `${site}/PlaybackPkl/`, type: '5' }];
  for (const [e, c] of units) {
    const name = `goodPlayback-e${e}-c${c}.pkl`;
    members.push({ name: `${site}/PlaybackPkl/${name}`, data: enc(`\x80\x04 pickle placeholder ${site} ${name} `.repeat(40)) });
    members.push({ name: `${site}/PlaybackPkl/._${name}`, data: enc('AppleDouble') });
  }
  return gzipSync(writeTar(members), { level: 6 });
}

/**
 * A raw site archive `<site>.tar.gz` holding real unit pickles (`members`: base name → bytes) at
 * `<site>/PlaybackPkl/<name>`, in the order given, each with its AppleDouble twin, plus a
 * non-pickle member — the layout the preparer streams.
 */
export function aa5PickleArchive(site: string, members: Array<[string, Uint8Array]>): Uint8Array {
  const entries: TarMemberSpec[] = [{ name: `${site}/`, type: '5' }, { name: `${site}/PlaybackPkl/`, type: '5' }];
  for (const [name, data] of members) {
    entries.push({ name: `${site}/PlaybackPkl/._${name}`, data: enc('AppleDouble') });
    entries.push({ name: `${site}/PlaybackPkl/${name}`, data });
  }
  entries.push({ name: `${site}/notes.txt`, data: enc('not a unit') });
  return gzipSync(writeTar(entries), { level: 6 });
}
