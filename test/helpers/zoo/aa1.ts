// A tiny CRCNS AA1 release in the real layout (docs/zoo/aa1.md): every branch of the loader.
//
// Sounds (32 kHz): conspecific/a.wav 3200 samples (T = 1 + 3200 // 32 = 101 at 1 ms), a 1 kHz
// tone; conspecific/c.wav 1600 samples, heard by nobody (its spike file is missing) → dropped;
// flatrip/b.wav 2000 samples (T = 1 + 62 = 63), silence.
// Cells: Field_L x1_1_A (conspecific only; stim2 names c.wav without spike2), yy2_3 (flatrip
// only; stim10 and stim2 both name b.wav, stim10 sorts first), MLd qq4_1 (no stimulus folder →
// removed), weird_x (name without a sequence number), zz3_2_B.
import { text, toneWav } from './theunissen.js';

export const AA1_A_SAMPLES = 3200;
export const AA1_B_SAMPLES = 2000;
export const AA1_TONE_HZ = 1000;

export function aa1Files(): Record<string, Uint8Array> {
  return {
    'all_stims/conspecific/a.wav': toneWav(AA1_A_SAMPLES, 32000, AA1_TONE_HZ),
    'all_stims/conspecific/c.wav': toneWav(1600, 32000, 500),
    'all_stims/flatrip/b.wav': toneWav(AA1_B_SAMPLES, 32000, 0, 0),
    'Field_L_cells/x1_1_A/conspecific/stim1': text('a.wav\n'),
    'Field_L_cells/x1_1_A/conspecific/spike1': text('-5.0 3.2 7.9 \n12.0 \n\n'),
    'Field_L_cells/x1_1_A/conspecific/stim2': text('c.wav\n'),
    'Field_L_cells/yy2_3/flatrip/stim10': text('b.wav\n'),
    'Field_L_cells/yy2_3/flatrip/spike10': text('2.5 2.9 150.0 \n1.0 4.0'),
    'Field_L_cells/yy2_3/flatrip/stim2': text('b.wav\n'),
    'Field_L_cells/yy2_3/flatrip/spike2': text('0.5 \n'),
    'MLd_cells/qq4_1/other/stim1': text('a.wav\n'),
    'MLd_cells/qq4_1/other/spike1': text('1.0 \n'),
    'MLd_cells/weird_x/conspecific/stim1': text('a.wav\n'),
    'MLd_cells/weird_x/conspecific/spike1': text('1.0 \n'),
    'MLd_cells/zz3_2_B/conspecific/stim1': text('a.wav\n'),
    'MLd_cells/zz3_2_B/conspecific/spike1': text('0.0 0.999 100.99 \n'),
  };
}
