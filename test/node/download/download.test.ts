// downloadDataset / fetchFile against a real HTTP server on loopback serving the real NS1
// release, with faults injected: dropped connection (Range resume), ignored Range (restart),
// wrong checksum, 404, slow server (progress), abort, and idempotency.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNs1, startServer, type TestServer } from './helpers.js';
import {
  DownloadError, IntegrityError, downloadDataset, ns1Manifest, type DatasetManifest, type DownloadProgress,
} from '../../../src/index.js';
import { NS1_RELEASE_FILES } from '../../../src/download/manifests/ns1-files.js';

const ns1 = findNs1();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// A few real files: the metadata, two spike files, one sound (~1 MB).
const SUBSET = [
  'MetadataSHEnCneurons.mat',
  NS1_RELEASE_FILES.filter((f) => f.path.endsWith('.data.mat'))[0].path,
  NS1_RELEASE_FILES.filter((f) => f.path.endsWith('.data.mat'))[1].path,
  'spikesandwav/SH.En.C/source.1.sound.0.snr.0.token.0.fw.2.frozen.1',
];

describe.skipIf(!ns1.dir)('downloadDataset against a loopback server (real NS1 files)', () => {
  let server: TestServer;
  let root: string;
  const manifest = (paths = SUBSET): DatasetManifest => {
    const m = ns1Manifest({ mirror: `${server.url}/NS1`, spectrogram: false });
    return { name: 'NS1', files: m.files.filter((f) => paths.includes(f.path)) };
  };
  const original = (p: string) => readFile(join(ns1.dir as string, p));

  beforeAll(async () => {
    server = await startServer(join(ns1.dir as string, '..'));
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'deepstrf-dl-'));
    server.faults.clear();
    server.requests.length = 0;
    return () => rm(root, { recursive: true, force: true });
  });

  it('the manifest digests match the shared copy (generated from it)', async () => {
    expect(NS1_RELEASE_FILES.length).toBe(140);
    for (const p of SUBSET) {
      const f = NS1_RELEASE_FILES.find((x) => x.path === p);
      const bytes = await original(p);
      expect(f?.size).toBe(bytes.length);
      expect(f?.sha256).toBe(sha(bytes));
    }
  });

  it('downloads a subset, byte-identical, and is idempotent', async () => {
    const r = await downloadDataset(manifest(), { root, retryDelayMs: 10 });
    expect([...r.downloaded].sort()).toEqual([...SUBSET].sort());
    expect(r.skipped).toEqual([]);
    for (const p of SUBSET) expect(sha(await readFile(join(root, p)))).toBe(sha(await original(p)));
    const expectedBytes = (await Promise.all(SUBSET.map(original))).reduce((s, b) => s + b.length, 0);
    expect(r.bytesReceived).toBe(expectedBytes);
    expect(existsSync(join(root, `${SUBSET[0]}.part`))).toBe(false);
    server.requests.length = 0;
    const again = await downloadDataset(manifest(), { root });
    expect(again.downloaded).toEqual([]);
    expect([...again.skipped].sort()).toEqual([...SUBSET].sort());
    expect(server.requests).toEqual([]); // nothing fetched the second time
  });

  it('a corrupted cached file is detected and fetched again', async () => {
    await downloadDataset(manifest(), { root });
    const victim = join(root, SUBSET[1]);
    const bytes = await readFile(victim);
    bytes[100] ^= 0xff; // same size, different hash
    await writeFile(victim, bytes);
    server.requests.length = 0;
    const r = await downloadDataset(manifest(), { root });
    expect(r.downloaded).toEqual([SUBSET[1]]);
    expect(server.requests.map((q) => q.path)).toEqual([`NS1/${SUBSET[1]}`]);
    expect(sha(await readFile(victim))).toBe(sha(await original(SUBSET[1])));
  });

  it('resumes with Range after a connection dropped mid-body', async () => {
    const sound = SUBSET[3];
    server.faults.set(`NS1/${sound}`, { dropAfter: 300_000, times: 2 });
    const r = await downloadDataset(manifest([sound]), { root, retryDelayMs: 10 });
    expect(r.downloaded).toEqual([sound]);
    const reqs = server.requests.filter((q) => q.path === `NS1/${sound}`);
    // Each resume asks from where the file stood: the bytes written before the drop (the client may
    // not have consumed all 300 000 the server sent before it closed), so at most 300 000 more each time.
    expect(reqs.map((q) => q.range === undefined)).toEqual([true, false, false]);
    const [o1, o2] = reqs.slice(1).map((q) => Number(/^bytes=(\d+)-$/.exec(q.range ?? '')?.[1]));
    expect(o1).toBeGreaterThan(0);
    expect(o1).toBeLessThanOrEqual(300_000);
    expect(o2).toBeGreaterThan(o1);
    expect(o2).toBeLessThanOrEqual(o1 + 300_000);
    const want = await original(sound);
    expect(r.bytesReceived).toBe(want.length); // nothing fetched twice
    expect(sha(await readFile(join(root, sound)))).toBe(sha(want));
  });

  it('restarts from zero when the server ignores Range (200 instead of 206)', async () => {
    const sound = SUBSET[3];
    server.faults.set(`NS1/${sound}`, { dropAfter: 200_000, times: 1, ignoreRange: true });
    const r = await downloadDataset(manifest([sound]), { root, retryDelayMs: 10 });
    const reqs = server.requests.filter((q) => q.path === `NS1/${sound}`);
    expect(reqs.map((q) => q.range === undefined)).toEqual([true, false]);
    const k = Number(/^bytes=(\d+)-$/.exec(reqs[1].range ?? '')?.[1]); // the bytes written before the drop
    expect(k).toBeGreaterThan(0);
    expect(k).toBeLessThanOrEqual(200_000);
    const want = await original(sound);
    expect(r.bytesReceived).toBe(k + want.length); // the 200 answer restarted the file from zero
    expect(sha(await readFile(join(root, sound)))).toBe(sha(want));
  });

  it('gives up after the bounded retries when the connection keeps dropping without progress', async () => {
    const sound = SUBSET[3];
    server.faults.set(`NS1/${sound}`, { dropAfter: 0, times: 100 });
    const err = await downloadDataset(manifest([sound]), { root, retries: 2, retryDelayMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as DownloadError).file).toBe(sound);
    expect((err as DownloadError).message).toMatch(/failed after 3 requests/);
    expect(server.requests.filter((q) => q.path === `NS1/${sound}`).length).toBe(3);
  });

  it('a wrong checksum removes the file and throws IntegrityError naming it', async () => {
    const m = manifest([SUBSET[0]]);
    const wrong = '0'.repeat(64);
    const bad: DatasetManifest = { name: 'NS1', files: [{ ...m.files[0], sha256: wrong }] };
    const err = await downloadDataset(bad, { root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    const ie = err as IntegrityError;
    expect(ie.file).toBe('MetadataSHEnCneurons.mat');
    expect(ie.check).toBe('sha256');
    expect(ie.expected).toBe(wrong);
    expect(ie.actual).toBe(sha(await original(SUBSET[0])));
    expect(ie.message).toContain('MetadataSHEnCneurons.mat');
    expect(ie.message).toContain(wrong);
    expect(await readdir(root)).toEqual([]); // neither the file nor its .part is left
  });

  it('a wrong size throws IntegrityError (size) and removes the file', async () => {
    const m = manifest([SUBSET[0]]);
    const bad: DatasetManifest = { name: 'NS1', files: [{ ...m.files[0], size: 5218, sha256: undefined }] };
    const err = await downloadDataset(bad, { root, retries: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as IntegrityError).check).toBe('size');
    expect((err as IntegrityError).message).toMatch(/MetadataSHEnCneurons\.mat: size mismatch: expected 5218, got 5217/);
    expect(await readdir(root)).toEqual([]);
  });

  it('a 404 throws DownloadError with the status, the file and the URL', async () => {
    const m: DatasetManifest = { name: 'NS1', files: [{ path: 'nope/missing.mat', url: `${server.url}/NS1/nope/missing.mat` }] };
    const err = await downloadDataset(m, { root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    const de = err as DownloadError;
    expect(de.status).toBe(404);
    expect(de.file).toBe('nope/missing.mat');
    expect(de.url).toBe(`${server.url}/NS1/nope/missing.mat`);
    expect(de.message).toMatch(/^nope\/missing\.mat: HTTP 404/);
    expect(server.requests.length).toBe(1); // a 404 is not retried
  });

  it('a 503 is retried with backoff, then succeeds', async () => {
    server.faults.set(`NS1/${SUBSET[0]}`, { status: 503 });
    const p = downloadDataset(manifest([SUBSET[0]]), { root, retryDelayMs: 30 });
    setTimeout(() => server.faults.delete(`NS1/${SUBSET[0]}`), 50);
    const r = await p;
    expect(r.downloaded).toEqual([SUBSET[0]]);
    expect(server.requests.length).toBeGreaterThan(1);
  });

  it('an HTML page instead of the file is refused', async () => {
    server.faults.set(`NS1/${SUBSET[0]}`, { body: new TextEncoder().encode('<html><form>login</form></html>'), contentType: 'text/html; charset=utf-8' });
    const err = await downloadDataset(manifest([SUBSET[0]]), { root }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/MetadataSHEnCneurons\.mat: the server returned an HTML page/);
    expect(await readdir(root)).toEqual([]);
  });

  it('reports progress from a slow server: several calls, increasing loaded, bytes/s', async () => {
    const file = SUBSET[0]; // 5217 bytes in 1 kB pieces
    server.faults.set(`NS1/${file}`, { trickle: { chunk: 1000, delayMs: 30 } });
    const seen: DownloadProgress[] = [];
    await downloadDataset(manifest([file]), { root, onProgress: (p) => seen.push(p) });
    const loaded = seen.map((p) => p.loaded);
    expect(seen.length).toBeGreaterThanOrEqual(6); // the start report + ≥ 5 pieces
    for (let i = 1; i < loaded.length; i++) expect(loaded[i]).toBeGreaterThanOrEqual(loaded[i - 1]);
    expect(new Set(loaded).size).toBeGreaterThanOrEqual(5);
    expect(loaded[loaded.length - 1]).toBe(5217);
    expect(seen.every((p) => p.total === 5217 && p.file === file && p.overallTotal === 5217)).toBe(true);
    const last = seen[seen.length - 1];
    // ~5 kB over ≥ 120 ms: well under 100 kB/s, and positive.
    expect(last.bytesPerSecond).toBeGreaterThan(0);
    expect(last.bytesPerSecond).toBeLessThan(100_000);
  });

  it('an AbortSignal stops the download, keeps the .part, and a later call resumes it', async () => {
    const sound = SUBSET[3];
    server.faults.set(`NS1/${sound}`, { trickle: { chunk: 65536, delayMs: 20 } });
    const ctl = new AbortController();
    const p = downloadDataset(manifest([sound]), {
      root,
      signal: ctl.signal,
      onProgress: (q) => {
        if (q.loaded >= 200_000) ctl.abort();
      },
    });
    const err = await p.catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(existsSync(join(root, sound))).toBe(false);
    const part = await readFile(join(root, `${sound}.part`));
    expect(part.length).toBeGreaterThanOrEqual(196_608);
    server.faults.clear();
    server.requests.length = 0;
    const r = await downloadDataset(manifest([sound]), { root });
    expect(server.requests.map((q) => q.range)).toEqual([`bytes=${part.length}-`]);
    expect(sha(await readFile(join(root, sound)))).toBe(sha(await original(sound)));
    expect(r.bytesReceived).toBe((await original(sound)).length - part.length);
  });

  it('a complete leftover .part (server answers 416) is verified and renamed without refetching', async () => {
    const file = SUBSET[0];
    await writeFile(join(root, `${file}.part`), await original(file));
    const m = manifest([file]);
    const noSize: DatasetManifest = { name: 'NS1', files: [{ ...m.files[0], size: undefined }] };
    const r = await downloadDataset(noSize, { root });
    expect(server.requests.map((q) => q.range)).toEqual(['bytes=5217-']);
    expect(r.bytesReceived).toBe(0);
    expect(sha(await readFile(join(root, file)))).toBe(sha(await original(file)));
  });

  it('the full NS1 release (140 files, ~100 MB) downloads and verifies', async () => {
    const m = ns1Manifest({ mirror: `${server.url}/NS1`, spectrogram: false });
    expect(m.files.length).toBe(140);
    let calls = 0;
    const r = await downloadDataset(m, { root, onProgress: () => void calls++ });
    expect(r.downloaded.length).toBe(140);
    expect(r.bytesReceived).toBe(103_455_889);
    expect(calls).toBeGreaterThan(140);
    const again = await downloadDataset(m, { root, verifyExisting: 'size' });
    expect(again.skipped.length).toBe(140);
  });
});
