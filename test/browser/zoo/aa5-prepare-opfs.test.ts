// prepareAA5 in Chromium: a raw site archive holding the real pandas 1.5.3 unit pickles
// (test/fixtures/aa5/, fetched from the test server) is read from memory, prepared into OPFS
// (files moved into place one by one, manifest last), then loaded. Values as worked out by hand
// in test/node/zoo/aa5-prepare.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { platform } from '#platform';
import { CRCNSAA5Dataset, MemorySource, prepareAA5 } from '../../../src/index.js';
import { aa5PickleArchive } from '../../helpers/zoo/aa5-archive.js';

const ROOT = `deepstrf-test/aa5-prepare-${Date.now()}`;
const SITE = 'ZF4F_9t_190101_120000';
const fixture = async (name: string): Promise<[string, Uint8Array]> =>
  [name, new Uint8Array(await (await fetch(new URL(`../../fixtures/aa5/${name}`, import.meta.url))).arrayBuffer())];

describe('prepareAA5 into OPFS (Chromium)', () => {
  afterAll(async () => {
    const top = await navigator.storage.getDirectory();
    await top.removeEntry('deepstrf-test', { recursive: true });
  });

  it('prepares a site archive from memory into OPFS and builds the dataset from it', async () => {
    expect(platform.name).toBe('browser');
    const members = [await fixture('goodPlayback-e3-c12.pkl'), await fixture('goodPlayback-e0-c5.pkl')];
    expect(members[0][1][0]).toBe(0x80); // a pickle, not an HTML error page
    const raw = new MemorySource({ [`ZF4F/${SITE}.tar.gz`]: aa5PickleArchive(SITE, members) });
    const store = await platform.openWritableSource(ROOT);
    expect(await prepareAA5(raw, store, { micAlignmentCheck: false })).toEqual([SITE]);
    expect((await store.list(`ZF4F/${SITE}`)).map((e) => e.name).sort()).toEqual(['manifest.json', 'playbacks.json', 'spikes.npz', 'units.json']);
    expect(await store.stat(`ZF4F/.${SITE}.tmp`)).toBeNull();
    const ds = await CRCNSAA5Dataset.load({ path: ROOT, smooth: false, returnWaveform: true });
    expect(ds.trialIds).toEqual([[[9], [9]], [[7, 12, 15], []]]);
    const song = ds.responses[1][0];
    const hits = [0, 1, 2].map((r) => [...song.data.subarray(r * 1000, (r + 1) * 1000)].flatMap((v, b) => (v ? [b] : [])));
    expect(hits).toEqual([[300], [100], [80, 160]]);
  });
});
