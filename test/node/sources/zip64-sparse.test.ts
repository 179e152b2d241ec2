// ZIP64 on an archive that needs it: a 4 GiB + 1 MiB stored member of zeros, then a small member
// whose local header lies past 4 GiB, then a central directory past 4 GiB (ZIP64 end record and
// locator). Written as a sparse file from the segments of test/helpers/archive-writer.ts: the
// zeros are a hole, never written nor held. The big member's CRC comes from crc32Zeros.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFolderSource } from '../../../src/sources/node-folder.js';
import { ZipSource } from '../../../src/sources/zip.js';
import { extractArchive } from '../../../src/index.js';
import { crc32Zeros } from '../../../src/util/crc32.js';
import { zipSegments } from '../../helpers/archive-writer.js';
import { writeSparse } from '../../helpers/sparse-file.js';

const ZEROS = 2 ** 32 + 2 ** 20;

describe('ZIP64 on a >4 GiB sparse archive', () => {
  let tmp: string;
  let size: number;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'deepstrf-zip64-'));
    size = await writeSparse(join(tmp, 'big.zip'), zipSegments([
      { name: 'zeros.bin', zeros: ZEROS, crc: crc32Zeros(ZEROS) },
      { name: 'after/4GiB.txt', data: new TextEncoder().encode('beyond 4 GiB'), method: 8 },
    ]));
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('is sparse on disk', async () => {
    const s = await stat(join(tmp, 'big.zip'));
    expect(s.size).toBe(size);
    expect(size).toBeGreaterThan(2 ** 32 + 2 ** 20);
    expect(s.blocks * 512).toBeLessThan(1 << 20);
  });

  it('sizes and offsets over 4 GiB come from the ZIP64 extra fields and end record', async () => {
    const z = await ZipSource.open(new NodeFolderSource(tmp), 'big.zip');
    const [big, small] = z.entries;
    expect(big).toMatchObject({ name: 'zeros.bin', size: ZEROS, compressedSize: ZEROS, localHeaderOffset: 0, zip64: true });
    // zeros.bin: 30-byte header + 9-byte name + 20-byte ZIP64 extra, then the data.
    expect(small).toMatchObject({ name: 'after/4GiB.txt', size: 12, localHeaderOffset: 30 + 9 + 20 + ZEROS, zip64: true });
    expect(await z.stat('zeros.bin')).toEqual({ kind: 'file', size: ZEROS });
    expect(new TextDecoder().decode(await z.read('after/4GiB.txt'))).toBe('beyond 4 GiB'); // CRC-32 checked
    const tail = await z.read('zeros.bin', ZEROS - 16, ZEROS + 100);
    expect(tail).toEqual(new Uint8Array(16));
  });

  it('extracts the member past 4 GiB (filter) into a folder', async () => {
    const out = new NodeFolderSource(join(tmp, 'out'));
    const written = await extractArchive(new NodeFolderSource(tmp), 'big.zip', out, { filter: (n) => n.endsWith('.txt'), stripRoot: true });
    expect(written).toEqual(['4GiB.txt']);
    expect(await readFile(join(tmp, 'out', '4GiB.txt'), 'utf8')).toBe('beyond 4 GiB');
  });
});
