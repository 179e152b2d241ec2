// A tiny CRCNS AA2 release in the real layout (docs/zoo/aa2.md).
//
// cell_regions.csv (no header): c4_2 L, c1_1_A L2a, c2_3 mld, c5_1 OV, c6_1 OV, c7_1 CM, c3_4 None.
// cell_stim_classes.csv: its first row (c7_1) is read as pandas' header, so animal c7 is not
// among the default animals and c7_1 is dropped unless asked for.
// Folders: c4_2 and c5_1 and c6_1 hold only `other/` (no requested type); the reference's removal
// loop skips the cell after each removed one, so c6_1 (after c5_1) survives with no data.
// Sounds: s1 (3200 samples → T 101), s2 (2000 → 63), s3 (1600 → 51), s5 (1600, never heard).
// stim_data.csv lists s1 and s2 (and a short row that is ignored); s3 and s5 are missing there.
import { text, toneWav } from './theunissen.js';

export function aa2Files(): Record<string, Uint8Array> {
  return {
    'cell_regions.csv': text('c4_2,x,L\nc1_1_A,x,L2a\nc2_3,x,mld\nc5_1,x,OV\nc6_1,x,OV\nc7_1,x, CM \nc3_4,x,None\nlonely\n'),
    'cell_stim_classes.csv': text('c7_1,conspecific\nc1_1_A,conspecific\nc2_3,songrip\nc3_4,flatrip\nc4_2,x\nc5_1,x\nc6_1,x\n'),
    'stim_data.csv': text('s1.wav,32000,16,3200,conspecific\ns2.wav, 32000 ,16,2000,songrip\nshort,row\n'),
    'crcns-aa2-README.txt': text('unused\n'),
    'all_stims/s1.wav': toneWav(3200, 32000, 1000),
    'all_stims/s2.wav': toneWav(2000, 32000, 2000),
    'all_stims/s3.wav': toneWav(1600, 32000, 3000),
    'all_stims/s5.wav': toneWav(1600, 32000, 4000),
    'all_cells/c1_1_A/conspecific/stim1': text('s1.wav\n'),
    'all_cells/c1_1_A/conspecific/spike1': text('1.0 2.5 \n3.0 \n'),
    'all_cells/c1_1_A/conspecific/stim2': text('s5.wav\n'),
    'all_cells/c2_3/songrip/stim1': text('s2.wav\n'),
    'all_cells/c2_3/songrip/spike1': text('0.5 0.7 \n'),
    'all_cells/c3_4/flatrip/stim1': text('s3.wav\n'),
    'all_cells/c3_4/flatrip/spike1': text('10.0 \n'),
    'all_cells/c4_2/other/stim1': text('s1.wav\n'),
    'all_cells/c5_1/other/stim1': text('s1.wav\n'),
    'all_cells/c6_1/other/stim1': text('s1.wav\n'),
    'all_cells/c7_1/conspecific/stim1': text('s1.wav\n'),
    'all_cells/c7_1/conspecific/spike1': text('5.0 \n'),
  };
}
