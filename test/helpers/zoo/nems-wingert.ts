/**
 * A Wingert 2026 release in the real layout (docs/zoo/wingert2026.md): `cell_list.csv`
 * (a probe-B cell, an unlabeled row, a selected cell absent from its archive) and
 * `recordings/` with a session archive, a duplicate of it under another name, an archive named
 * after a neighbouring session, and one without `resp.json`.
 */
import { encodeWav } from '../../../src/index.js';
import { epochCsv, json, text, tgz, writeH5 } from './nems.js';

export const CELL_LIST = [
  'cellid,siteid,area,layer,depth,narrow,celltype,sw,goodpred,r_test',
  'TST001a-001-1,TST001a,A1,56,-120.5,False,RS,0.35,True,0.4',
  'TST001a-002-3,TST001a,PEG,1-3,,True,NS,0.2,False,nan',
  'TST002a-B-005-1,TST002a-B,AC,4,300,False,RD,0.5,True,0.1',
  'TST002a-A-007-2,TST002a,HC,NaN,12,False,ND,0.3,True,0.2',
  'TST003a-001-1,TST003a,,,,,,,True,',
  'TST001a-009-9,TST001a,A1,4,1,True,RS,0.1,False,0',
].join('\n') + '\n';

/** Raw linear gammatone value of a stimulus (index k in the whole fixture) at band f, frame t. */
export const wgStim = (k: number, f: number, t: number): number => ((f + 1) * ((t % 50) + 1) * (k + 1)) / 1000;

export const TST001A_EPOCHS: Array<[number, number, string]> = [
  [0, 30, 'TRIAL'],
  [0.375, 2.375, 'STIM_seq0001.wav'], // 37.5 → 38 (half to even); a spike exactly at 0.375 s falls in bin −1 (dropped)
  [3, 5, 'STIM_00seq1.wav'], [6, 8, 'STIM_00seq1.wav'], [9, 11, 'STIM_00seq1.wav'],
];
export const TST002A_EPOCHS: Array<[number, number, string]> = [
  [0, 2.2, 'STIM_seq0003.wav'], [3, 5.2, 'STIM_00seq2.wav'], [6, 8.2, 'STIM_00seq2.wav'],
];
export const WG_SPIKES: Record<string, number[]> = {
  'TST001a-001-1': [0.375, 0.5, 1.0, 2.37, 2.375, 3.005, 3.015, 3.0151, 6.5, 9.995, 10.5, 29],
  'TST001a-002-3': [0.4, 3.5, 6.25],
  'TST001a-004-1': [1, 2, 3],
  'TST002a-A-007-2': [0.015, 2.195, 3.5],
  'TST002a-B-005-1': [],
};

export async function wingertFiles(options: { wav?: boolean } = {}): Promise<Record<string, Uint8Array>> {
  const stim = (k: number, T: number) => ({ data: Array.from({ length: 32 * T }, (_, i) => wgStim(k, Math.floor(i / T), i % T)), shape: [32, T], chunks: [32, 100] });
  const spikes = (cells: string[]) => writeH5(Object.fromEntries(cells.map((c) => [c, { data: WG_SPIKES[c], chunks: [4] }])));
  const s1 = async (tag: string) => ({
    'TST001a/TST001a.meta.json': json({ siteid: tag }),
    'TST001a/TST001a.resp.json': json({ chans: ['TST001a-002-3', 'TST001a-001-1', 'TST001a-004-1'], fs: 100, segments: [[0, 3000]] }),
    'TST001a/TST001a.resp.h5': await spikes(['TST001a-002-3', 'TST001a-001-1', 'TST001a-004-1']),
    'TST001a/TST001a.stim.h5': await writeH5({ 'STIM_seq0001.wav': stim(0, 200), 'STIM_00seq1.wav': stim(1, 200), 'STIM_seq0002.wav': stim(2, 200) }),
    'TST001a/TST001a.resp.epoch.csv': epochCsv(TST001A_EPOCHS),
  });
  const dup = await s1('dup');
  dup['TST001a/TST001a.resp.epoch.csv'] = epochCsv([[0, 2, 'STIM_seq0001.wav']]);
  const files: Record<string, Uint8Array> = {
    'cell_list.csv': text(CELL_LIST),
    'recordings/TST001a_abc.tgz': tgz(await s1('TST001a')),
    'recordings/TST000x_dup.tgz': tgz(dup),
    'recordings/TST009z_q.tgz': tgz({
      'TST009z/TST009z.meta.json': json({ siteid: 'TST009z' }),
      'TST009z/TST009z.resp.json': json({ chans: ['TST002a-A-007-2', 'TST002a-B-005-1'], fs: 100, segments: [[0, 1000]] }),
      'TST009z/TST009z.resp.h5': await spikes(['TST002a-A-007-2', 'TST002a-B-005-1']),
      'TST009z/TST009z.stim.h5': await writeH5({ 'STIM_seq0003.wav': stim(3, 220), 'STIM_00seq2.wav': stim(4, 220) }),
      'TST009z/TST009z.resp.epoch.csv': epochCsv(TST002A_EPOCHS),
    }),
    'recordings/TST005x_empty.tgz': tgz({ 'TST005x/TST005x.meta.json': json({}) }),
    'recordings/notes.txt': text('ignored'),
  };
  if (options.wav) {
    files['wav/seq0001.wav'] = encodeWav(wgSound(2500), 1000, { format: 'float32' });
    files['wav/00SEQ1.wav'] = encodeWav(wgSound(100), 1000, { format: 'float32' });
    files['wav/seq0002.wav'] = encodeWav(wgSound(10), 1000, { format: 'float32' });
    files['wav/seq0003.wav'] = encodeWav(wgSound(2200), 1000, { format: 'float32' });
    files['wav/00seq2.wav'] = encodeWav(wgSound(300), 1000, { format: 'float32' });
  }
  return files;
}

export const wgSound = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => ((i % 32) - 16) / 64);
