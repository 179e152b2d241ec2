// HttpSource in Chromium against the loopback server of test/browser/setup/ns1-server.ts (CORS +
// CORP, Range support; /norange/ ignores Range): ranges, stat, 404, the file list as listing.
import { describe, expect, inject, it } from 'vitest';
import { HttpSource, HttpSourceError, NS1_RELEASE_FILES } from '../../../src/index.js';

const base = inject('ns1BaseUrl');
const missing = inject('ns1Missing');
if (!base) console.warn(`SKIPPED HttpSource (Chromium): ${missing}`);
const META = 'MetadataSHEnCneurons.mat';
const text = (b: Uint8Array) => String.fromCharCode(...b);

describe.skipIf(!base)('HttpSource (Chromium, loopback server)', () => {
  it('reads a byte range (206) and the same bytes from a server that ignores Range (200)', async () => {
    const ranged = new HttpSource(`${base}ns1/`);
    const ignoring = new HttpSource(`${base}norange/ns1/`);
    const head = await ranged.read(META, 0, 19);
    expect(text(head)).toBe('MATLAB 5.0 MAT-file');
    expect(await ignoring.read(META, 0, 19)).toEqual(head);
    const whole = await ranged.read(META);
    expect(whole.length).toBe(5217);
    expect(await ranged.read(META, 5000, 6000)).toEqual(whole.subarray(5000));
    expect(await ignoring.read(META, 126, 128)).toEqual(whole.subarray(126, 128));
  });

  it('stat: from the file list, else HEAD; listing from the list; 404 → null on stat, HttpSourceError on read', async () => {
    const src = new HttpSource(`${base}ns1/`, { files: NS1_RELEASE_FILES });
    expect(await src.stat(META)).toEqual({ kind: 'file', size: 5217 });
    expect(await src.stat('spikesandwav/SH.En.C')).toEqual({ kind: 'directory', size: 0 });
    expect((await src.list('spikesandwav/SH.En.C')).length).toBe(20);
    expect(await new HttpSource(`${base}ns1/`).stat(META)).toEqual({ kind: 'file', size: 5217 });
    expect(await src.stat('nope.mat')).toBeNull();
    const e = await src.read('nope.mat').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpSourceError);
    expect((e as HttpSourceError).status).toBe(404);
    expect((e as Error).message).toBe(`${base}ns1/nope.mat: GET answered HTTP 404 Not Found`);
  });
});
