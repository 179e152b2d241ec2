// Wingert 2026 from its real download layout without unpacking: cell_list.csv next to a
// recordings.zip whose site archives lie past 4 GiB (a stored 4 GiB + 1 MiB padding member
// first, so local headers and the central directory need ZIP64 records). The zip is written as
// a sparse file (the padding is a hole: never written, never in memory). Built in a child
// process to measure its peak RSS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySource, Wingert2026Dataset, crc32Zeros } from '../../../src/index.js';
import { zipSegments } from '../../helpers/archive-writer.js';
import { writeSparse } from '../../helpers/sparse-file.js';
import { wingertFiles } from '../../helpers/zoo/nems-wingert.js';

const PAD = 2 ** 32 + 2 ** 20;
let tmp: string;
let files: Record<string, Uint8Array>;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ferret-wingert-zip64-'));
  files = await wingertFiles();
  const members = Object.entries(files).filter(([k]) => k.startsWith('recordings/')).map(([name, data]) => ({ name, data }));
  await writeSparse(join(tmp, 'recordings.zip'), zipSegments([{ name: 'recordings/padding.bin', zeros: PAD, crc: crc32Zeros(PAD) }, ...members]));
  await writeFile(join(tmp, 'cell_list.csv'), files['cell_list.csv']);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('Wingert2026Dataset from a ZIP64 recordings.zip', () => {
  it('builds the same dataset as from the unpacked files, with peak RSS under 256 MB', async () => {
    const zipSize = (await stat(join(tmp, 'recordings.zip'))).size;
    expect(zipSize).toBeGreaterThan(PAD);
    expect((await stat(join(tmp, 'recordings.zip'))).blocks * 512).toBeLessThan(8 << 20);
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'wingert-zip64-child.ts'), tmp], { encoding: 'utf8', timeout: 120_000 });
    expect(child.status, child.stderr).toBe(0);
    const got = JSON.parse(child.stdout.trim().split('\n').pop() as string) as { names: string[]; cells: string[]; sum: number; rss0: number; peak: number };
    const ref = await Wingert2026Dataset.load({ source: new MemorySource(files) });
    expect(got.names).toEqual(ref.stimMeta.map((m) => `${m.session}/${m.name}`));
    expect(got.cells).toEqual(ref.nrnMeta.map((m) => m.cellId));
    const sum = ref.responses.flat().reduce((a, t) => a + (t.data.length > 1 ? Array.from(t.data).reduce((x, y) => x + y, 0) : 0), 0);
    expect(got.sum).toBeCloseTo(sum, 6);
    expect(got.peak).toBeLessThan(256 * 2 ** 20);
  });
});
