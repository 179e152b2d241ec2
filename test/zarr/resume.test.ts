// A resumable, atomic export: an export stopped after 3 chunks leaves an incomplete store that
// readers refuse; running it again keeps those 3 chunks and writes the rest; a damaged chunk is
// found and rewritten; no `.partial` file is left under a key that was written; the same export
// under another chunk size rewrites the data arrays and removes the chunks past the new grid.
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, SyntheticDataset, ZarrDataset, exportZarr, type ExportProgress } from '../../src/index.js';
import { expectSameAs, listFiles, scratchDir } from '../helpers/zarr.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('exportZarr: resumable and atomic', () => {
  it('stopped after 3 chunks → refused as unfinished; resumed → 3 skipped, the rest written; a damaged chunk rewritten', async () => {
    const ds = new SyntheticDataset({ seed: 11, nNeurons: 6, nStims: 6 });
    const s = await scratchDir('resume');
    cleanups.push(s.remove);
    const C = 1000;
    const stop = new AbortController();
    const seen: ExportProgress[] = [];
    const stopped = exportZarr(ds, s.dir, { chunkElements: C, signal: stop.signal, onProgress: (p) => {
      seen.push(p);
      if (p.chunk === 3) stop.abort(new Error('stopped by the test'));
    } });
    await expect(stopped).rejects.toThrow('stopped by the test');
    const total = seen[0].chunks;
    expect(total).toBeGreaterThan(3);
    expect(seen.map((p) => p.bytesDone)).toEqual([1, 2, 3].map((k) => k * (4 * C + 4)));
    expect(seen[0].bytesTotal).toBe(total * (4 * C + 4));
    const header = JSON.parse(new TextDecoder().decode(await s.dir.read('zarr.json')));
    expect(header.attributes.deepstrf.complete).toBe(false);
    await expect(ZarrDataset.open(s.dir)).rejects.toThrow(FormatError);
    await expect(ZarrDataset.open(s.dir)).rejects.toThrow(/the export did not finish \(complete: false\)/);

    const resumed = await exportZarr(ds, s.dir, { chunkElements: C });
    expect([resumed.chunksSkipped, resumed.chunksWritten]).toEqual([3, total - 3]);
    await expectSameAs(await ZarrDataset.open(s.dir), ds);

    // Damage one chunk (same length, other bytes), as a crash of another tool might.
    const victim = 'responses/data/c/1';
    const bad = (await s.dir.read(victim)).slice();
    bad[10] ^= 0xff;
    await s.dir.writeFile(victim, bad);
    const repaired = await exportZarr(ds, s.dir, { chunkElements: C });
    expect([repaired.chunksSkipped, repaired.chunksWritten]).toEqual([total - 1, 1]);
    expect((await s.dir.read(victim))[10]).toBe(bad[10] ^ 0xff);
    expect((await listFiles(s.dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    await expectSameAs(await ZarrDataset.open(s.dir), ds);
  });

  it('the same export under another chunk size rewrites the data arrays on the new grid and removes the chunks past it', async () => {
    const ds = new SyntheticDataset({ seed: 12, nNeurons: 3, nStims: 3 });
    const s = await scratchDir('resume-other');
    cleanups.push(s.remove);
    await exportZarr(ds, s.dir, { chunkElements: 1000 });
    const chunks = async () => (await listFiles(s.dir)).filter((f) => /^(stims|responses)\/data\/c\//.test(f));
    const small = await chunks();
    const again = await exportZarr(ds, s.dir, { chunkElements: 4000 });
    const big = await chunks();
    expect(again.chunksWritten).toBe(big.length);
    const count = (list: string[], a: string) => list.filter((f) => f.startsWith(a)).length;
    for (const a of ['stims/data', 'responses/data']) {
      const len = JSON.parse(new TextDecoder().decode(await s.dir.read(`${a}/zarr.json`))).shape[0];
      expect(count(small, a)).toBe(Math.ceil(len / 1000));
      expect(count(big, a)).toBe(Math.ceil(len / 4000));
    }
    await expectSameAs(await ZarrDataset.open(s.dir), ds);
  });
});
