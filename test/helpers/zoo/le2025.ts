// A tiny Le 2025 release in the real layout (docs/zoo/le2025.md). At dt 5 ms:
// nat8b (48 kHz): nwin round(0.0025·48000) = 120, hop 240; 9600 samples → 1 + (9600 − 120) // 240 = 40
// frames, 4800 → 20. Stimuli (sorted): ep_nat8mk0_GB_g1_snr-7, ep_nat8mk0_G_g2, ep_nat8mk0_C,
// ep_nat8mk0_CM, ep_nat8mk1_N_g1; ep_bad.wav does not parse (warning).
// Units: C43_1_1_c5 (NCM, L, top-level bird uuid), C44_2_1_c1 (area N/A → unknown), D9_1_1_c2
// (no known stimulus → skipped with a warning).
// nat8a (40 kHz, nwin 100, hop 200; 8000 samples → 40 frames): B189_gapnoise1, B189_continuous;
// B189_weird does not parse. One legacy alpha unit; the beta folder is missing (warning).
// synth8b (44.1 kHz: nwin 110, hop 221; 8820 samples → 1 + 8710 // 221 = 40): ep_syn0_GB_g2a, ep_syn0_C.
import { text, toneWav } from './theunissen.js';

const json = (v: unknown) => text(JSON.stringify(v));

export const LE_TONE_HZ = 2000;

export function le2025Files(): Record<string, Uint8Array> {
  return {
    'metadata/ephys-birds.csv': text('bird,uuid,sex,group,age,cohort,sire\nC43,uuid-c43,F,,1y10d,3,\nC44,uuid-c44,M,,unknown,3,\nA1,uuid-a1,M,178B,200d,1,\n'),
    'metadata/song-birds.csv': text('bird,nat8b_encoding,gap,gap_start,gap_stop,uuid,group\nB189,nat8mk0,1,100,150,u-b189,178B\nB189,nat8mk0,2,300,360,u-b189,178B\nR56,nat8mk1,1,50,80,u-r56,180B\nX1,,bad,1,2,,\n'),
    'metadata/recordings.csv': text('site,bird,probe,stimulus_set,hemisphere,area\nC43_1_1,C43,p1,nat8b,L,NCM\nC44_2_1,C44,p2,nat8b,R,N/A\n'),
    'nat8b-stimuli/ep_nat8mk0_C.wav': toneWav(9600, 48000, LE_TONE_HZ),
    'nat8b-stimuli/ep_nat8mk0_GB_g1_snr-7.wav': toneWav(9600, 48000, 3000),
    'nat8b-stimuli/ep_nat8mk0_CM.wav': toneWav(9600, 48000, 0, 0),
    'nat8b-stimuli/ep_nat8mk0_G_g2.wav': toneWav(9600, 48000, 1500),
    'nat8b-stimuli/ep_nat8mk1_N_g1.wav': toneWav(4800, 48000, 4000),
    'nat8b-stimuli/ep_bad.wav': toneWav(4800, 48000, 4000),
    'nat8b-stimuli/readme.txt': text('x'),
    'nat8b-responses/C43_1_1_c5.pprox': json({
      $schema: 'https://meliza.org/spec:2/stimtrial.json#', bird: 'uuid-file',
      pprox: [
        { stimulus: { name: 'ep_nat8mk0_C' }, events: [0.001, 0.0123, -0.2, 0.0049, 0.005, 0.1999, 0.2], interval: [-1, 2] },
        { stimulus: { name: 'ep_nat8mk0_C' }, events: [0.001], interval: [-1, 2] },
        { stimulus: 'stims/ep_nat8mk0_CM.wav', events: [0.0125] },
        { stimulus: { name: 'ep_nat8mk0_CM' }, events: [] },
        { stimulus: { name: 'unknown_stim' }, events: [0.01] },
      ],
    }),
    'nat8b-responses/C44_2_1_c1.pprox': json({
      $schema: 'https://meliza.org/spec:2/stimtrial.json#',
      pprox: [{ stimulus: { name: 'ep_nat8mk1_N_g1' }, events: [0.05, 0.0999] }],
    }),
    'nat8b-responses/D9_1_1_c2.pprox': json({ $schema: 'https://meliza.org/spec:2/stimtrial.json#', pprox: [{ stimulus: { name: 'nope' }, events: [0.01] }] }),
    'nat8a-stimuli/B189_continuous.wav': toneWav(8000, 40000, LE_TONE_HZ),
    'nat8a-stimuli/B189_gapnoise1.wav': toneWav(8000, 40000, 1000),
    'nat8a-stimuli/B189_weird.wav': toneWav(8000, 40000, 1000),
    'nat8a-alpha-responses/A1_3_c1.pprox': json({
      $schema: 'https://meliza.org/spec:2/pprox.json#', bird: 'A1', 'bird-uuid': '', 'bird-sex': 'F', 'bird-age': '1y1d',
      location: 'L2a', hemisphere: 'L', familiar: '178B',
      pprox: [
        { stimulus: 'B189', condition: 'continuous', event: [1000.0, 1004.9, 1005.0, 990.0, 1199.9], stim_on: 1000.0 },
        { stimulus: 'B189', condition: 'gapnoise1', event: [1010.0], stim_on: 1000.0 },
      ],
    }),
    'synth8b-stimuli/ep_syn0_GB_g2a.wav': toneWav(8820, 44100, 3000),
    'synth8b-stimuli/ep_syn0_C.wav': toneWav(8820, 44100, 3000),
    'synth8b-responses/S1_1_1_c1.pprox': json({ $schema: 'x/stimtrial.json', pprox: [{ stimulus: { name: 'ep_syn0_GB_g2a' }, events: [0.0051] }] }),
  };
}
