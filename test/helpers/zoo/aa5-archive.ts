// Tiny CRCNS-AA5 raw site archives in the release's layout: `<site>/PlaybackPkl/goodPlayback-e<E>-c<C>.pkl`
// unit files (placeholder bytes: the pickles are only ever read by the Python preparer) plus the
// macOS AppleDouble `._` members the release contains, as a gzip'd ustar stream written by
// test/helpers/archive-writer.ts.
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
