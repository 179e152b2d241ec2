// AA5 raw archives from the loopback CRCNS server (test/node/download/crcns-server.ts): each
// found by name in the aa-5 file list, one site at a time into _archives/<bird>/<site>.tar.gz,
// listed sizes checked, prepared sites and archives already present skipped, a dropped
// connection resumed, unknown sites refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platform } from '#platform';
import { CRCNSAA5Dataset, DownloadError, IntegrityError, ValueError, AA5_SITES } from '../../../src/index.js';
import { aa5SiteSelection, downloadAA5Archives, isAA5SitePrepared } from '../../../src/zoo/aa5-download.js';
import { startCrcnsServer, type CrcnsServer } from '../download/crcns-server.js';
import { aa5PickleArchive, aa5SiteArchive } from '../../helpers/zoo/aa5-archive.js';
import { downloadAA5 } from '../../../src/zoo/aa5-download-prepare.js';

const A = 'ZF4F_2t_190611_160843';
const B = 'ZF4F_6_5_190618_110932';
const C = 'ZF6M_8t_190725_105432';
const D = 'ZF7F_3t_190716_130715';
let server: CrcnsServer;
let dir: string;
const archives: Record<string, Uint8Array> = {};

beforeAll(async () => {
  server = await startCrcnsServer('u', 'pw');
  for (const [s, units] of [[A, [[1, 2], [3, 12]]], [B, [[5, 1]]], [C, [[2, 2]]], [D, [[9, 4]]]] as const) {
    archives[s] = aa5SiteArchive(s, units.map((u) => [...u] as [number, number]));
    server.files.set(`aa-5/${s.slice(0, 4)}/${s}.tar.gz`, archives[s]);
  }
  dir = mkdtempSync(join(tmpdir(), 'aa5dl-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = () => ({ username: 'u', password: 'pw', loginUrl: server.loginUrl, downloadBase: server.downloadBase, retryDelayMs: 10 });

describe('downloadAA5Archives', () => {
  it('site selection: sorted, filtered by bird; unknown sites and birds → ValueError', () => {
    expect(aa5SiteSelection(null, ['ZF7F']).length).toBe(10);
    expect(aa5SiteSelection(null, null).length).toBe(50);
    expect(Object.keys(AA5_SITES).length).toBe(50);
    expect(aa5SiteSelection([C, A, A], null)).toEqual([A, C]);
    expect(aa5SiteSelection([C, A], ['ZF6M'])).toEqual([C]);
    expect(() => aa5SiteSelection(['ZF4F_99t_000000_000000'], null)).toThrow(new ValueError('unknown AA5 site(s): ZF4F_99t_000000_000000 (see AA5_SITES)'));
    expect(() => aa5SiteSelection(null, ['ZF1X'])).toThrow(/unknown AA5 bird\(s\): ZF1X/);
  });

  it('fetches one site at a time, resumes a drop, skips prepared sites and present archives', async () => {
    // C is prepared; D has a manifest of another cache version (not prepared); B's archive is present.
    for (const [site, version] of [[C, 1], [D, 2]] as const) {
      mkdirSync(join(dir, site.slice(0, 4), site), { recursive: true });
      writeFileSync(join(dir, site.slice(0, 4), site, 'manifest.json'), `{"cache_version": ${version}, "mic_second": NaN}`);
    }
    mkdirSync(join(dir, '_archives/ZF4F'), { recursive: true });
    writeFileSync(join(dir, `_archives/ZF4F/${B}.tar.gz`), archives[B]);
    server.dropOnce.set(`aa-5/ZF4F/${A}.tar.gz`, 300);
    const store = await platform.openWritableSource(dir);
    expect(await isAA5SitePrepared(store, C)).toBe(true);
    expect(await isAA5SitePrepared(store, D)).toBe(false);
    const events: string[] = [];
    const progress: number[] = [];
    const warnings: string[] = [];
    const got = await downloadAA5Archives(store, {
      ...base(), sites: [A, B, C, D], onSite: (s, st) => events.push(`${s}:${st}`), onProgress: (p) => progress.push(p.loaded), onWarning: (m) => warnings.push(m),
    });
    expect(events).toEqual([`${C}:prepared`, `${A}:downloaded`, `${B}:present`, `${D}:downloaded`]);
    // The tiny fixtures are listed at their own sizes, not the release's: each is reported.
    expect(warnings).toEqual([A, B, D].map((s) => `CRCNS-AA5: aa-5/${s.slice(0, 4)}/${s}.tar.gz is listed at ${archives[s].length} bytes, the release's size is ${AA5_SITES[s]}; downloading the listed file`));
    expect(got).toEqual([`_archives/ZF4F/${A}.tar.gz`, `_archives/ZF4F/${B}.tar.gz`, `_archives/ZF7F/${D}.tar.gz`]);
    for (const s of [A, B, D]) expect(readFileSync(join(dir, `_archives/${s.slice(0, 4)}/${s}.tar.gz`))).toEqual(Buffer.from(archives[s]));
    expect(existsSync(join(dir, `_archives/ZF6M/${C}.tar.gz`))).toBe(false);
    const aReqs = server.requests.filter((q) => q.path === `/blob/aa-5/ZF4F/${A}.tar.gz`);
    // The retry resumes where the .part file stood: no Range when nothing reached it before the drop (under load).
    expect(aReqs.length).toBe(2);
    expect(aReqs[0].range).toBeUndefined();
    expect(aReqs[1].range === undefined || Number(/^bytes=(\d+)-$/.exec(aReqs[1].range)?.[1]) <= 300).toBe(true);
    expect(server.requests.some((q) => q.path.includes(B))).toBe(false);
    expect(progress.at(-1)).toBe(archives[D].length);
    // Again, by folder path: nothing left to fetch.
    const n = server.requests.length;
    const again: string[] = [];
    await downloadAA5Archives(dir, { ...base(), sites: [A, C, D], onSite: (s, st) => again.push(`${s}:${st}`) });
    expect(again).toEqual([`${C}:prepared`, `${A}:present`, `${D}:present`]);
    expect(server.requests.filter((q) => q.path.startsWith('/blob/')).length).toBe(server.requests.slice(0, n).filter((q) => q.path.startsWith('/blob/')).length);
    // Only prepared sites asked for: no request at all (not even the login).
    const m = server.requests.length;
    expect(await downloadAA5Archives(dir, { ...base(), sites: [C] })).toEqual([]);
    expect(server.requests.length).toBe(m);
  });

  it('wrong size → IntegrityError, nothing kept; a site missing from the file list → DownloadError; unknown site → ValueError before any request', async () => {
    const store = await platform.openWritableSource(mkdtempSync(join(tmpdir(), 'aa5dl2-')));
    server.listed.set(`aa-5/ZF4F/${A}.tar.gz`, archives[A].length + 1);
    try {
      await expect(downloadAA5Archives(store, { ...base(), sites: [A] })).rejects.toThrow(IntegrityError);
    } finally {
      server.listed.clear();
    }
    expect(await store.stat(`_archives/ZF4F/${A}.tar.gz`)).toBeNull();
    expect(await store.stat(`_archives/ZF4F/${A}.tar.gz.part`)).toBeNull();
    const missing = 'ZF5M_9t_190630_100846';
    await expect(downloadAA5Archives(store, { ...base(), sites: [missing] })).rejects.toThrow(new DownloadError(`${missing}.tar.gz`, `${server.downloadBase}/aa-5/filelist.txt`, `${missing}.tar.gz is not in the aa-5 file list`));
    const n = server.requests.length;
    await expect(downloadAA5Archives(store, { ...base(), sites: ['nope'] })).rejects.toThrow(ValueError);
    expect(server.requests.length).toBe(n);
  });
});

describe('downloadAA5 / CRCNSAA5Dataset.load({ download: true })', () => {
  const E = 'ZF7F_4t_190717_094723';
  const F = 'ZF7F_5t_190720_182644';
  const pkl = (n: string): [string, Uint8Array] => [n, new Uint8Array(readFileSync(join(__dirname, '../../fixtures/aa5', n)))];

  it('fetches one archive, prepares it, deletes it (or keeps it), then the next', async () => {
    server.files.set(`aa-5/ZF7F/${E}.tar.gz`, aa5PickleArchive(E, [pkl('goodPlayback-e2-c1.pkl')]));
    server.files.set(`aa-5/ZF7F/${F}.tar.gz`, aa5PickleArchive(F, [pkl('goodPlayback-e0-c5.pkl')]));
    const root = mkdtempSync(join(tmpdir(), 'aa5dlp-'));
    const order: string[] = [];
    const store = await platform.openWritableSource(root);
    const seen = { ...store, stat: store.stat.bind(store), read: store.read.bind(store), list: store.list.bind(store), openWriter: store.openWriter.bind(store), rename: store.rename.bind(store), mkdir: store.mkdir.bind(store),
      writeFile: (p: string, d: Uint8Array) => (p.endsWith('manifest.json') && order.push(`manifest ${p.split('/')[1]}`), store.writeFile(p, d)),
      remove: (p: string) => (p.endsWith('.tar.gz') && order.push(`remove ${p}`), store.remove(p)) };
    expect(await downloadAA5(seen, { ...base(), sites: [E, F], onSite: (site, st) => order.push(`${st} ${site}`) })).toEqual([E, F]);
    // Each archive is prepared and removed before the next is fetched.
    expect(order).toEqual([`downloaded ${E}`, `manifest .${E}.tmp`, `remove _archives/ZF7F/${E}.tar.gz`, `downloaded ${F}`, `manifest .${F}.tmp`, `remove _archives/ZF7F/${F}.tar.gz`]);
    expect(existsSync(join(root, `_archives/ZF7F/${E}.tar.gz`))).toBe(false);
    const units = JSON.parse(readFileSync(join(root, 'ZF7F', F, 'units.json'), 'utf8'));
    expect(units.map((u: { cell_id: string }) => u.cell_id)).toEqual([`${F}_e0-c5`]);

    // Through the dataset, keeping nothing but the cache: one unit per site (e2-c1's trial 0 is dropped, 1 kept).
    rmSync(join(root, 'ZF7F', E), { recursive: true });
    const ds = await CRCNSAA5Dataset.load({ path: root, download: true, sites: [E], username: 'u', password: 'pw', crcnsServer: { loginUrl: server.loginUrl, downloadBase: server.downloadBase }, smooth: false, returnWaveform: true });
    expect([ds.sites, ds.trialIds]).toEqual([[E], [[[1]]]]);
    ds.dispose();
    const kept = mkdtempSync(join(tmpdir(), 'aa5dlk-'));
    await downloadAA5(kept, { ...base(), sites: [F], keepArchives: true });
    expect(readFileSync(join(kept, `_archives/ZF7F/${F}.tar.gz`))).toEqual(Buffer.from(server.files.get(`aa-5/ZF7F/${F}.tar.gz`) as Uint8Array));
    rmSync(root, { recursive: true, force: true });
    rmSync(kept, { recursive: true, force: true });
  });
});
