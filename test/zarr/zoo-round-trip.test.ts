// Every zoo dataset's test fixture (test/helpers/zoo/, built as test/zoo/*.test.ts build them),
// exported then opened: the same items, masks and metadata from the folder (Node: disk; Chromium:
// OPFS) and over HTTP (the scratch server). Small chunks, so cells span chunk boundaries.
import { afterAll, describe, it, inject } from 'vitest';
import {
  AliceEEGDataset, CRCNSAA1Dataset, CRCNSAA2Dataset, CRCNSAA4Dataset, CRCNSAA5Dataset, Downer2025Dataset, EspejoDataset,
  Le2025Dataset, MemorySource, NAT4Dataset, Wingert2026Dataset, ZarrDataset, exportZarr, type NeuralDataset,
} from '../../src/index.js';
import { aa1Files } from '../helpers/zoo/aa1.js';
import { aa2Files } from '../helpers/zoo/aa2.js';
import { aa4Files } from '../helpers/zoo/aa4.js';
import { aa5Files } from '../helpers/zoo/aa5-fixture.js';
import { aliceFiles } from '../helpers/zoo/alice.js';
import { downerFiles } from '../helpers/zoo/downer.js';
import { le2025Files } from '../helpers/zoo/le2025.js';
import { nat4Files } from '../helpers/zoo/nems-nat4.js';
import { natFiles, vmnFiles } from '../helpers/zoo/nems-espejo.js';
import { wingertFiles } from '../helpers/zoo/nems-wingert.js';
import { expectSameAs, scratchDir, uploadTree } from '../helpers/zarr.js';

const mem = (files: Record<string, Uint8Array>) => new MemorySource(files);

const FIXTURES: Array<[string, () => Promise<NeuralDataset>]> = [
  ['aa1', async () => CRCNSAA1Dataset.load({ source: mem(aa1Files()), smooth: false })],
  ['aa1 waveform', async () => CRCNSAA1Dataset.load({ source: mem(aa1Files()), returnWaveform: true, stimuli: ['flatrip'] })],
  ['aa2', async () => CRCNSAA2Dataset.load({ source: mem(aa2Files()), smooth: false })],
  ['aa4', async () => CRCNSAA4Dataset.load({ source: mem(await aa4Files()), animals: ['GreBlu9508M', 'YelBlu6903F'], smooth: false })],
  ['aa5 waveform', async () => CRCNSAA5Dataset.load({ source: mem(aa5Files()), smooth: false, returnWaveform: true })],
  ['aa5', async () => CRCNSAA5Dataset.load({ source: mem(aa5Files()) })],
  ['downer2025', async () => Downer2025Dataset.load({ source: mem(downerFiles()), smooth: false })],
  ['alice-eeg', async () => AliceEEGDataset.load({ source: mem(aliceFiles()), subjects: ['S01', 'S04'] })],
  ['nat4', async () => NAT4Dataset.load({ source: mem(await nat4Files()) })],
  ['espejo vmn', async () => EspejoDataset.load({ source: mem(await vmnFiles()), stimuli: 'vmn' })],
  ['espejo nat', async () => EspejoDataset.load({ source: mem(await natFiles()) })],
  ['wingert2026', async () => Wingert2026Dataset.load({ source: mem(await wingertFiles()) })],
  ['le2025', async () => Le2025Dataset.load({ source: mem(le2025Files()), smooth: false })],
];

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('Zarr round trip of every zoo fixture', () => {
  for (const [name, build] of FIXTURES) {
    it(`${name}: folder and HTTP`, async () => {
      const ds = await build();
      const s = await scratchDir(`zoo-${name.replace(/\W+/g, '-')}`);
      cleanups.push(s.remove);
      await exportZarr(ds, s.dir, { chunkElements: 3000, provenance: { dataset: name } });
      await expectSameAs(await ZarrDataset.open(s.dir), ds);
      const url = await uploadTree(s.dir, inject('scratchBaseUrl'), `zoo-${name.replace(/\W+/g, '-')}-${Date.now()}`);
      await expectSameAs(await ZarrDataset.open(url), ds);
      ds.dispose();
    });
  }
});
