// `load({ download: true })` of Downer 2025 and Alice EEG against a loopback server holding
// their archives (zips of the fixture releases, served under a mirror): fetched, unpacked, built;
// a second load fetches nothing.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { AliceEEGDataset, Downer2025Dataset, ValueError } from '../../../src/index.js';
import { startServer, type TestServer } from '../download/helpers.js';
import { downerFiles } from '../../helpers/zoo/downer.js';
import { aliceFiles } from '../../helpers/zoo/alice.js';

const served = mkdtempSync(join(tmpdir(), 'zoo-mirror-'));
const pick = (files: Record<string, Uint8Array>, prefix: string, strip = '') =>
  Object.fromEntries(Object.entries(files).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(strip.length), v]));
mkdirSync(join(served, 'downer'));
writeFileSync(join(served, 'downer', 'auditory_cortex_data.zip'), zipSync(Object.fromEntries(Object.entries(downerFiles()).map(([k, v]) => [`auditory_cortex_data/${k}`, v]))));
mkdirSync(join(served, 'alice'));
const alice = aliceFiles();
for (const shard of ['eeg.0', 'eeg.1', 'eeg.2']) writeFileSync(join(served, 'alice', `${shard}.zip`), zipSync(pick(alice, `${shard}/`, `${shard}/`)));
writeFileSync(join(served, 'alice', 'stimuli.zip'), zipSync(pick(alice, 'stimuli/')));

let server: TestServer;
afterAll(async () => { await server?.close(); });

describe('zoo downloads from a loopback mirror', () => {
  it('Downer 2025: the archive unpacks above path; a second load fetches nothing', async () => {
    server = await startServer(served);
    const dest = mkdtempSync(join(tmpdir(), 'Downer2025-'));
    const path = join(dest, 'auditory_cortex_data');
    const ds = await Downer2025Dataset.load({ download: true, mirror: `${server.url}/downer`, path, smooth: false });
    expect(ds.nNeurons).toBe(3);
    const n = server.requests.length;
    expect(server.requests.map((r) => r.path)).toContain('downer/auditory_cortex_data.zip');
    await Downer2025Dataset.load({ download: true, mirror: `${server.url}/downer`, path });
    expect(server.requests.length).toBe(n);
    await expect(Downer2025Dataset.load({ download: true, path: dest })).rejects.toThrow(ValueError);
  });

  it('Alice EEG: three shards and the stimuli unpacked in place', async () => {
    server ??= await startServer(served);
    const path = mkdtempSync(join(tmpdir(), 'Alice_EEG-'));
    const ds = await AliceEEGDataset.load({ download: true, mirror: `${server.url}/alice`, path, dtMs: 2, hpFreqHz: null });
    expect(ds.subjects).toEqual(['S01', 'S02', 'S04']);
    const n = server.requests.length;
    await AliceEEGDataset.load({ download: true, mirror: `${server.url}/alice`, path, subjects: ['S04'] });
    expect(server.requests.length).toBe(n);
  });
});
