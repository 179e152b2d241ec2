// The ac1 registry entry: manifest (CRCNS URLs, extraction folders and anchors), load, describe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CRCNSAC1Dataset, getDataset } from '../../../src/index.js';
import { ac1Files, writeTree, zipFolder } from '../../helpers/zoo/ac1-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'deepstrf-ac1-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ac1 entry', () => {
  const e = getDataset('ac1');

  it('is registered with an account, the CRCNS_AC1 folder and the three CRCNS zips', () => {
    expect(e.className).toBe('CRCNSAC1Dataset');
    expect(e.accountNeeded).toBe(true);
    expect(e.cacheFolder).toBe('CRCNS_AC1');
    expect(e.manifest({})).toEqual({
      name: 'CRCNS_AC1',
      files: [
        { path: 'crcns-ac1.zip', url: 'https://download.crcns.org/ac-1/crcns-ac1.zip', archive: 'zip', extractTo: 'crcns-ac1', anchor: 'crcns-ac1/wehr/Summary.mat' },
        { path: 'crcns-ac1-asari-results-1.zip', url: 'https://download.crcns.org/ac-1/crcns-ac1-asari-results-1.zip', archive: 'zip', extractTo: 'crcns-ac1-asari-results-1', anchor: 'crcns-ac1-asari-results-1/asari-results-1' },
        { path: 'crcns-ac1-asari-results-2.zip', url: 'https://download.crcns.org/ac-1/crcns-ac1-asari-results-2.zip', archive: 'zip', extractTo: 'crcns-ac1-asari-results-2', anchor: 'crcns-ac1-asari-results-2/asari-results-2' },
      ],
    });
  });

  it('describe: extracted, zipped or missing per archive; load builds the dataset', async () => {
    const files = zipFolder(ac1Files(), 'crcns-ac1-asari-results-2');
    const { ['crcns-ac1-asari-results-1/asari-results-1/20050101-ha1-001/r1.mat']: r1, ...rest } = files;
    writeTree(dir, rest);
    for (const k of Object.keys(rest)) if (k.startsWith('crcns-ac1-asari-results-1/')) rmSync(join(dir, k));
    rmSync(join(dir, 'crcns-ac1-asari-results-1'), { recursive: true, force: true });
    let d = await e.describe!(dir, { verify: false });
    expect(d.complete).toBe(false);
    expect(d.data.archives).toEqual({ 'crcns-ac1.zip': 'extracted', 'crcns-ac1-asari-results-1.zip': 'missing', 'crcns-ac1-asari-results-2.zip': 'zip' });
    writeTree(dir, { 'crcns-ac1-asari-results-1/asari-results-1/20050101-ha1-001/r1.mat': r1 });
    d = await e.describe!(dir, { verify: false });
    expect(d.complete).toBe(true);
    const ds = await e.load({ path: dir, onWarning: () => {} });
    expect(ds).toBeInstanceOf(CRCNSAC1Dataset);
    expect(ds.getN()).toBe(4);
  });
});
