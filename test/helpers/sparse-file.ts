// Node test/bench helper: writes archive segments (test/helpers/archive-writer.ts) to a file,
// leaving runs of zeros as holes, so a >4 GiB archive costs a few kB of disk and no memory.
import { open } from 'node:fs/promises';
import type { Segment } from './archive-writer.js';

/** Writes `segs` to `path` (zero runs as holes); returns the file size. */
export async function writeSparse(path: string, segs: Segment[]): Promise<number> {
  const fh = await open(path, 'w');
  let pos = 0;
  try {
    for (const s of segs) {
      if ('bytes' in s) {
        await fh.write(s.bytes, 0, s.bytes.length, pos);
        pos += s.bytes.length;
      } else pos += s.zeros;
    }
    await fh.truncate(pos);
  } finally {
    await fh.close();
  }
  return pos;
}
