// NAT4 / Espejo downloads against a real HTTP server on loopback: Zenodo `records/<id>/files/<name>/content`
// URLs (one answered by a redirect, one failing midway then resumed with Range), progress,
// idempotence, and the Bitbucket mirror's sub-folder fallback and quoting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EspejoDataset, NAT4Dataset, downloadEspejoNatWaveforms, type DownloadProgress } from '../../../src/index.js';
import { platform } from '#platform';
import { nat4Files } from '../../helpers/zoo/nems-nat4.js';
import { expectedVal } from '../../helpers/zoo/nems-nat4-expected.js';
import { natFiles, natSound } from '../../helpers/zoo/nems-espejo.js';
import { tgz, zip } from '../../helpers/zoo/nems.js';

interface Logged { path: string; range: string | undefined }
let server: Server;
let base = '';
const routes = new Map<string, (range: string | undefined, n: number) => { status: number; headers?: Record<string, string>; body?: Uint8Array; dropAfter?: number }>();
const log: Logged[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    log.push({ path, range: req.headers.range });
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const a = route(req.headers.range, log.filter((l) => l.path === path).length);
    res.writeHead(a.status, { ...(a.body ? { 'content-length': String(a.body.length) } : {}), ...a.headers });
    if (a.dropAfter !== undefined && a.body) {
      res.write(a.body.subarray(0, a.dropAfter), () => setTimeout(() => res.socket?.end(), 100)); // FIN, not RST: a reset may discard bytes not yet read
      return;
    }
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'ferret-dl-'));
  dirs.push(d);
  return d;
};

/** A file with Range support: 206 with the tail when asked. */
const serve = (body: Uint8Array, opts: { dropFirstAfter?: number } = {}) => (range: string | undefined, n: number) => {
  const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
  if (m) {
    const k = Number(m[1]);
    return { status: 206, headers: { 'content-range': `bytes ${k}-${body.length - 1}/${body.length}` }, body: body.subarray(k) };
  }
  return { status: 200, body, dropAfter: n === 1 ? opts.dropFirstAfter : undefined };
};

describe('NAT4 download from Zenodo (loopback)', () => {
  it('redirect, midway failure resumed with Range, progress; a second call fetches nothing', async () => {
    const files = await nat4Files();
    const sites = zip(Object.fromEntries(Object.entries(files).filter(([k]) => k.startsWith('A1_single_sites/'))));
    const rec = '/api/records/8044773/files';
    routes.set(`${rec}/A1_NAT4_ozgf.fs100.ch18.tgz/content`, () => ({ status: 302, headers: { location: '/storage/pop.tgz' } }));
    routes.set('/storage/pop.tgz', serve(files['A1_NAT4_ozgf.fs100.ch18.tgz']));
    routes.set(`${rec}/A1_pred_correlation.csv/content`, serve(files['A1_pred_correlation.csv']));
    routes.set(`${rec}/A1_single_sites.zip/content`, serve(sites, { dropFirstAfter: Math.floor(sites.length / 2) }));
    const root = tmp();
    const progress: DownloadProgress[] = [];
    const ds = await NAT4Dataset.load({ path: root, download: true, mirror: `${base}/api`, onProgress: (p) => progress.push(p), subset: 'val' });
    expect(Array.from(ds.responses[0][0].data)).toEqual(expectedVal('ABC001a-01-1'));
    const zipReqs = log.filter((l) => l.path.endsWith('A1_single_sites.zip/content'));
    expect(zipReqs.map((l) => l.range === undefined)).toEqual([true, false]);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(zipReqs[1].range ?? '')?.[1]); // where the file stood after the drop
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(Math.floor(sites.length / 2));
    expect(log.some((l) => l.path === '/storage/pop.tgz')).toBe(true);
    expect(readFileSync(join(root, 'A1_single_sites.zip'))).toEqual(Buffer.from(sites));
    const last = progress.filter((p) => p.file === 'A1_single_sites.zip').at(-1);
    expect(last?.loaded).toBe(sites.length);
    const before = log.length;
    await NAT4Dataset.load({ path: root, download: true, mirror: `${base}/api`, subset: 'val' });
    expect(log.length).toBe(before);
  });
});

describe('Espejo NAT waveforms from the Bitbucket mirror (loopback)', () => {
  it('tries sounds_set3 then sounds, quotes the name, keeps cached files, warns about missing ones', async () => {
    const wav = (await natFiles())['nat_waveforms/cat 1, b.wav'];
    routes.set('/bb/sounds/cat%201%2C%20b.wav', serve(wav));
    const store = await platform.openWritableSource(tmp());
    const warnings: string[] = [];
    const r = await downloadEspejoNatWaveforms(['STIM_cat 1, b.wav', 'STIM_cat 1, b.wav', 'STIM_gone(1).wav'], store, { base: `${base}/bb`, onWarning: (m) => warnings.push(m), retryDelayMs: 1 });
    expect(r).toEqual({ fetched: ['cat 1, b.wav'], missing: ['gone(1).wav'] });
    expect(log.filter((l) => l.path.startsWith('/bb/')).map((l) => l.path)).toEqual([
      '/bb/sounds_set3/cat%201%2C%20b.wav', '/bb/sounds/cat%201%2C%20b.wav', '/bb/sounds_set3/gone%281%29.wav', '/bb/sounds/gone%281%29.wav',
    ]);
    expect(warnings).toEqual(['Espejo NAT waveforms not found on the mirror: gone(1).wav']);
    const again = await downloadEspejoNatWaveforms(['STIM_cat 1, b.wav'], store, { base: `${base}/bb` });
    expect(again).toEqual({ fetched: [], missing: [] });
  });

  it('EspejoDataset.load({ download, returnWaveform }) fetches the archive from Zenodo and the sounds from the mirror', async () => {
    const files = await natFiles();
    const site = files['A1_natural_sounds/NAT/AMT003c_h.tgz'];
    routes.set('/api/records/3445557/files/A1_natural_sounds.tgz/content', serve(tgz({ 'A1_natural_sounds/NAT/AMT003c_h.tgz': site })));
    routes.set('/bb2/sounds_set3/cat%201%2C%20b.wav', serve(files['nat_waveforms/cat 1, b.wav']));
    const root = tmp();
    const ds = await EspejoDataset.load({ path: root, download: true, mirror: `${base}/api`, waveformMirror: `${base}/bb2`, returnWaveform: true, audioFs: 1000 });
    const want = new Float32Array(1000);
    want.set(natSound(800).subarray(0, 500), 500);
    expect(Array.from(ds.stims[0].data)).toEqual(Array.from(want));
  });
});
