// The dataset registry: lookup, the entries' own contract, and the README's dataset table.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValueError, getDataset, listDatasets, SyntheticDataset, NS1Dataset } from '../../../src/index.js';
import { findNs1 } from '../../helpers/ns1-data.js';
import { describeDataset } from '../../../src/zoo/describe-folder.js';
import type { DatasetEntry } from '../../../src/zoo/registry.js';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const ns1Dir = findNs1('registry: ns1 entry on the real release').dir;

/** The README's dataset table: rows of cells, by the name in the first column. */
function readmeTable(): Map<string, string[]> {
  const text = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('## Datasets'));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const m = /^\| `([^`]+)` \|(.*)\|$/.exec(line);
    if (m) rows.set(m[1], m[2].split('|').map((c) => c.trim()));
  }
  return rows;
}

describe('registry', () => {
  it('lists synthetic and ns1, names unique and lower case', () => {
    const names = listDatasets().map((d) => d.name);
    expect(names).toContain('synthetic');
    expect(names).toContain('ns1');
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toBe(n.toLowerCase());
  });

  it('getDataset finds by name, case-insensitively; an unknown name is a ValueError listing the known ones', () => {
    expect(getDataset('NS1').className).toBe('NS1Dataset');
    expect(() => getDataset('ns2')).toThrow(ValueError);
    expect(() => getDataset('ns2')).toThrow(`unknown dataset "ns2" (known: ${listDatasets().map((d) => d.name).join(', ')})`);
  });

  it('every entry is complete: text fields, folder and manifest agree, flags well-formed', () => {
    for (const e of listDatasets()) {
      for (const k of ['name', 'className', 'description', 'species', 'area', 'size', 'licence', 'citation'] as const) {
        expect(e[k], `${e.name}.${k}`).toMatch(/\S/);
      }
      expect(e.manifest({}) === null && !e.download, `${e.name}: nothing to download iff no cache folder`).toBe(e.cacheFolder === null);
      for (const f of e.flags ?? []) {
        expect(f.name, `${e.name} flag`).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(f.commands.length).toBeGreaterThan(0);
      }
    }
  });

  it('every entry has a row in the README dataset table that agrees with it', () => {
    const rows = readmeTable();
    for (const e of listDatasets()) {
      const row = rows.get(e.name);
      expect(row, `README.md: no dataset table row for \`${e.name}\` (run npx tsx scripts/dataset-table.ts)`).toBeDefined();
      const [cls, species, area, size, licence, account, citation] = row!;
      expect(cls).toBe(`\`${e.className}\``);
      expect({ species, area, size, licence, citation }).toEqual({ species: e.species, area: e.area, size: e.size, licence: e.licence, citation: e.citation });
      expect(account).toBe(e.accountNeeded ? 'yes' : 'no');
    }
    expect([...rows.keys()].sort()).toEqual(listDatasets().map((d) => d.name).sort()); // no stale rows
  });
});

describe('synthetic entry', () => {
  it('load builds SyntheticDataset from the seed, the same as the constructor', async () => {
    const a = await getDataset('synthetic').load({ seed: 4 });
    const b = new SyntheticDataset({ seed: 4 });
    expect(a).toBeInstanceOf(SyntheticDataset);
    expect(Array.from(a.responses[3][1].data)).toEqual(Array.from(b.responses[3][1].data));
  });

  it('folder and download options are a ValueError naming them', async () => {
    await expect(getDataset('synthetic').load({ path: '/tmp', download: true })).rejects.toThrow(ValueError);
    await expect(getDataset('synthetic').load({ path: '/tmp' })).rejects.toThrow('synthetic: option(s) path do not apply');
  });

  it('describe reports the generated dataset as complete; the main job selects A1 by default', async () => {
    const d = await getDataset('synthetic').describe!(null, { verify: false, seed: 1 });
    expect(d.complete).toBe(true);
    expect(d.data).toMatchObject({ neurons: 32, stimuli: 24, bands: 16, dtMs: 5 });
    expect(getDataset('synthetic').mainJob!({})).toEqual({ load: { seed: 0 }, population: ['area', 'A1'] });
    expect(getDataset('synthetic').mainJob!({ area: 'all', seed: 3 })).toEqual({ load: { seed: 3 }, population: undefined });
  });
});

describe('ns1 entry', () => {
  it('the manifest follows the mirror and the no-spectrogram flag', () => {
    const e = getDataset('ns1');
    const flag = e.flags!.find((f) => f.name === 'no-spectrogram')!;
    const m = e.manifest({ mirror: 'http://127.0.0.1:1/NS1', [flag.option]: true })!;
    expect(m.files).toHaveLength(140); // the release's files, no DNet spectrogram
    expect(m.files[0].url).toBe('http://127.0.0.1:1/NS1/MetadataSHEnCneurons.mat');
    expect(e.manifest({ mirror: 'http://127.0.0.1:1/NS1' })!.files).toHaveLength(141);
  });

  it.skipIf(!ns1Dir)('load builds NS1Dataset from the real release', async () => {
    const ds = await getDataset('ns1').load({ path: ns1Dir!, singleUnitsOnly: true });
    expect(ds).toBeInstanceOf(NS1Dataset);
    expect(ds.getN()).toBe(73); // singleT Yes/Maybe at depth >= 0 (shared/datasets/NS1/README.md)
  }, 60_000);
});

describe('describeDataset: the default description, from the manifest', () => {
  const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  const a = bytes(10, 1), m1 = bytes(20, 2), m2 = bytes(30, 3);
  // A zoo entry without describe(): one plain file and an archive whose members are listed.
  const entry: DatasetEntry = {
    name: 'toy', className: 'ToyDataset', description: 'toy', species: 'none', area: 'none', size: '60 B', licence: 'none',
    citation: 'none', accountNeeded: false, cacheFolder: 'TOY',
    manifest: () => ({
      name: 'TOY',
      files: [
        { path: 'a.bin', url: 'http://127.0.0.1:1/a.bin', size: 10, sha256: sha(a) },
        { path: 'pack.zip', url: 'http://127.0.0.1:1/pack.zip', archive: 'zip', members: [
          { path: 'pack/m1.bin', size: 20, sha256: sha(m1) }, { path: 'pack/m2.bin', size: 30, sha256: sha(m2) },
        ] },
      ],
    }),
    load: () => Promise.reject(new Error('not used')),
  };

  it('missing, damaged (size; SHA-256 with verify) and complete folders', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deepstrf-describe-'));
    try {
      let d = await describeDataset(entry, dir, { verify: false });
      expect(d.complete).toBe(false);
      expect(d.data).toMatchObject({ files: 3, present: 0, missing: ['a.bin', 'pack/m1.bin', 'pack/m2.bin'], damaged: [] });
      expect(d.rows.find(([k]) => k === 'status')![1]).toBe('incomplete: run `deepstrf download toy`');
      await mkdir(join(dir, 'pack'));
      await writeFile(join(dir, 'a.bin'), a);
      await writeFile(join(dir, 'pack', 'm1.bin'), bytes(19, 2)); // one byte short
      await writeFile(join(dir, 'pack', 'm2.bin'), m2);
      d = await describeDataset(entry, dir, { verify: false });
      expect(d.data).toMatchObject({ present: 2, bytes: 40, expectedBytes: 60, missing: [], damaged: ['pack/m1.bin'] });
      expect(d.complete).toBe(false);
      await writeFile(join(dir, 'pack', 'm1.bin'), bytes(20, 9)); // right size, wrong bytes
      expect((await describeDataset(entry, dir, { verify: false })).complete).toBe(true);
      d = await describeDataset(entry, dir, { verify: true });
      expect(d.data).toMatchObject({ damaged: ['pack/m1.bin'] });
      await writeFile(join(dir, 'pack', 'm1.bin'), m1);
      d = await describeDataset(entry, dir, { verify: true });
      expect(d.complete).toBe(true);
      expect(d.rows[1]).toEqual(['release files', '3 of 3 present (0.0 MB of 0.0 MB), SHA-256 verified']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("an archive's anchor may be a folder: present once unpacked", async () => {
    const anchored: DatasetEntry = {
      ...entry,
      manifest: () => ({ name: 'TOY', files: [{ path: 'cells.zip', url: 'http://127.0.0.1:1/cells.zip', archive: 'zip', anchor: 'Field_L_cells' }] }),
    };
    const dir = await mkdtemp(join(tmpdir(), 'deepstrf-describe-'));
    try {
      let d = await describeDataset(anchored, dir, { verify: false });
      expect(d.data).toMatchObject({ files: 1, present: 0, missing: ['Field_L_cells'] });
      await mkdir(join(dir, 'Field_L_cells'));
      d = await describeDataset(anchored, dir, { verify: false });
      expect(d.data).toMatchObject({ present: 1, missing: [], damaged: [] });
      expect(d.complete).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('generated data (no manifest) has no folder and is complete', async () => {
    const generated: DatasetEntry = { ...entry, cacheFolder: null, manifest: () => null };
    const d = await describeDataset(generated, null, { verify: false });
    expect(d.complete).toBe(true);
    expect(d.rows[0]).toEqual(['source', 'generated in memory; nothing to download']);
  });
});
