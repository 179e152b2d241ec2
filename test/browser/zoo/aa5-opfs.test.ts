// CRCNSAA5Dataset in Chromium from the OPFS cache: the prepared cache (test/helpers/zoo/aa5-fixture.ts)
// packed as a .tar.gz, extracted into OPFS by extractArchive, then loaded by path. Values as in
// test/node/zoo/aa5.test.ts (worked out by hand there).
import { afterAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { platform } from '#platform';
import { CRCNSAA5Dataset, MemorySource, extractArchive, isSentinel } from '../../../src/index.js';
import { aa5Files, CALL, RIPPLE, SFILT, SONG, SITE_A, SITE_B } from '../../helpers/zoo/aa5-fixture.js';
import { writeTar } from '../../helpers/archive-writer.js';

const ROOT = `deepstrf-test/aa5-${Date.now()}`;

describe('CRCNSAA5Dataset from an OPFS-extracted archive (Chromium)', () => {
  afterAll(async () => {
    const top = await navigator.storage.getDirectory();
    await top.removeEntry('deepstrf-test', { recursive: true });
  });

  it('extracts the cache archive into OPFS and builds both modes from it', async () => {
    expect(platform.name).toBe('browser');
    const archive = gzipSync(writeTar(Object.entries(aa5Files()).map(([name, data]) => ({ name, data }))));
    const store = await platform.openWritableSource(ROOT);
    const written = await extractArchive(new MemorySource({ 'aa5-cache.tar.gz': archive }), 'aa5-cache.tar.gz', store);
    expect(written).toContain(`ZF4F/${SITE_A}/spikes.npz`);
    const ds = await CRCNSAA5Dataset.load({ path: ROOT, smooth: false, returnWaveform: true });
    expect(ds.sites).toEqual([SITE_A, SITE_B]);
    expect(ds.stimMeta.map((m) => m.name)).toEqual([CALL, SONG, SFILT, RIPPLE]);
    const r = ds.responses[3][2];
    expect(r.shape).toEqual([2, 1000]);
    expect([r.data[200], r.data[1200], r.data[1250]]).toEqual([1, 1, 1]);
    expect(isSentinel(ds.responses[1][1])).toBe(true);
    const spec = await CRCNSAA5Dataset.load({ path: ROOT, nMels: 16 });
    expect(spec.stims[0].shape).toEqual([1, 16, 1000]);
  });
});
