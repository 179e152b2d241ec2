// Downer 2025 built straight from its Zenodo archive layout as ZIP64: a sparse > 4 GiB zip whose
// first member is 4 GiB + 1 MiB of zeros (a hole on disk), so every release file lies past 4 GiB,
// read by byte ranges through ZipSource without unpacking. Peak RSS of the building process
// (a child, so the test runner's own memory does not count) must stay under 256 MB.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32Zeros } from '../../../src/util/crc32.js';
import { zipSegments, type ZipMemberSpec } from '../../helpers/archive-writer.js';
import { writeSparse } from '../../helpers/sparse-file.js';
import { downerFiles } from '../../helpers/zoo/downer.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const ZEROS = 2 ** 32 + 2 ** 20;
const tmp = mkdtempSync(join(tmpdir(), 'downer-zip64-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Downer2025Dataset from a ZIP64 archive', () => {
  it('builds the same channels through ZipSource, every member past 4 GiB, peak RSS < 256 MB', async () => {
    const members: ZipMemberSpec[] = [
      { name: 'auditory_cortex_data/stimuli/padding.bin', zeros: ZEROS, crc: crc32Zeros(ZEROS) },
      ...Object.entries(downerFiles()).map(([k, v], i): ZipMemberSpec => ({ name: `auditory_cortex_data/${k}`, data: v, method: i % 2 ? 8 : 0 })),
    ];
    const size = await writeSparse(join(tmp, 'auditory_cortex_data.zip'), zipSegments(members));
    expect(size).toBeGreaterThan(2 ** 32);
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'test/node/zoo/downer-zip64-child.ts'), tmp, 'auditory_cortex_data.zip'], { cwd: repo, encoding: 'utf8' });
    const r = JSON.parse(out) as { cellIds: string[]; stims: number; maxRssBytes: number };
    expect(r.cellIds).toEqual(['b_180413_Ch1', 'b_180413_Ch1p', 'c_180627_Ch2s2']);
    expect(r.stims).toBe(3);
    expect(r.maxRssBytes).toBeLessThan(256 * 2 ** 20);
  }, 120_000);
});
