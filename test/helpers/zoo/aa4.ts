// A tiny CRCNS AA4 release in the real layout (docs/zoo/aa4.md), HDF5 units written with h5wasm.
//
// GreBlu9508M/wavfiles: stim1.wav 32 kHz × 3200 (hop 32, n_fft 320, T 101), stim2.wav 24 414 Hz ×
// 2441 (hop int(24.414) = 24, n_fft 240, T 1 + 2441 // 24 = 102), stim3.wav 16 kHz stereo × 1600
// (hop 16, T 101; left = tone, right = silence), notes.txt (ignored).
// Units (sorted): e10_s0_ss1 single: Call/1 md5 abc (trials 0: 2.5, 3.1, −10, 200 ms; 1: all
// negative → dropped; 10: 50 ms), Song/2 md5 def (1, 1.5 ms), Song/7 md5 ghi (no stim7.wav →
// skipped), class_info/9 (skipped); e11_s0 noise (skipped); Site2 …_ss2 'singl' as fixed-length
// bytes, site and electrode as 1-element arrays (Call/1 abc at
// 10.5 ms; Song/3 jkl at 20 ms, no duration); Site3 multi (Call/1 only negative spikes; Ripple/2
// md5 mmm at 500 ms, beyond T → all zero → the unit is dropped, mmm stays registered).
// YelBlu6903F: stim1.wav 32 kHz × 1600; unit Site1_e1_s0 with only sortType: Call/1 abc at 90 ms
// (T stays 101, from GreBlu's wav), Call/5 md5 new (no stim5.wav → skipped).
import { buildH5, type H5 } from '../../io/helpers/h5-writer.js';
import { encodeWav } from '../../../src/index.js';
import { text, toneWav } from './theunissen.js';

type Group = ReturnType<InstanceType<H5['File']>['create_group']>;

function stim(parent: Group, key: string, attrs: Record<string, string | number>, trials: Record<string, number[]>): void {
  const g = parent.create_group(key);
  for (const [k, v] of Object.entries(attrs)) g.create_attribute(k, v);
  for (const [t, times] of Object.entries(trials)) g.create_group(t).create_dataset({ name: 'spike_times', data: new Float64Array(times), shape: [times.length] });
}

export function stereoWav(n: number, fs: number, freq: number): Uint8Array {
  const data = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) data[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / fs);
  return encodeWav({ dtype: 'float32', shape: [2, n], data }, fs);
}

export async function aa4Files(): Promise<Record<string, Uint8Array>> {
  const g = 'GreBlu9508M', y = 'YelBlu6903F';
  return {
    [`${g}/wavfiles/stim1.wav`]: toneWav(3200, 32000, 1000),
    [`${g}/wavfiles/stim2.wav`]: toneWav(2441, 24414, 2000),
    [`${g}/wavfiles/stim3.wav`]: stereoWav(1600, 16000, 500),
    [`${g}/wavfiles/notes.txt`]: text('not a wav'),
    [`${g}/Site1_L1400R1400_e10_s0_ss1.h5`]: await buildH5((f) => {
      f.create_attribute('sortType', 'single');
      f.create_attribute('site', 'Site1');
      f.create_attribute('electrode', 10);
      f.create_attribute('ldepth', 1400.0);
      f.create_attribute('rdepth', 1400.0);
      f.create_attribute('sortid', 0);
      const call = f.create_group('Call');
      stim(call, '1', { stim_type: 'call', stim_md5: 'abc', stim_class: 'Te', stim_duration: 0.1 }, { 0: [0.0025, 0.0031, -0.01, 0.2], 1: [-0.5, -0.1], 10: [0.05] });
      const song = f.create_group('Song');
      stim(song, '2', { stim_type: 'song', stim_md5: 'def', stim_class: 'So', stim_duration: 0.1 }, { 0: [0.001, 0.0015] });
      stim(song, '7', { stim_type: 'song', stim_md5: 'ghi', stim_class: 'So', stim_duration: 0.1 }, { 0: [0.001] });
      stim(f.create_group('class_info'), '9', { stim_type: 'call', stim_md5: 'zzz' }, { 0: [0.001] });
    }),
    [`${g}/Site1_L1400R1400_e11_s0.h5`]: await buildH5((f) => {
      f.create_attribute('sortType', 'noise');
      stim(f.create_group('Call'), '1', { stim_type: 'call', stim_md5: 'abc' }, { 0: [0.001] });
    }),
    [`${g}/Site2_L1500R1600_e3_s1_ss2.h5`]: await buildH5((f) => {
      f.create_attribute('sortType', 'singl', null, 'S5'); // fixed-length bytes
      f.create_attribute('site', ['Site2'], [1], 'S5'); // a 1-element array of fixed-length bytes
      f.create_attribute('electrode', new Int32Array([3]), [1]);
      f.create_attribute('ldepth', 1500.0);
      f.create_attribute('rdepth', 1600.0);
      f.create_attribute('sortid', 1);
      stim(f.create_group('Call'), '1', { stim_type: 'call', stim_md5: 'abc', stim_class: 'Te', stim_duration: 0.1 }, { 0: [0.0105] });
      stim(f.create_group('Song'), '3', { stim_type: 'song', stim_md5: 'jkl', stim_class: 'So' }, { 0: [0.02] });
    }),
    [`${g}/Site3_e1_s0.h5`]: await buildH5((f) => {
      f.create_attribute('sortType', 'multi');
      stim(f.create_group('Call'), '1', { stim_type: 'call', stim_md5: 'abc' }, { 0: [-0.2] });
      stim(f.create_group('Ripple'), '2', { stim_type: 'mlnoise', stim_md5: 'mmm', stim_class: 'Ri', stim_duration: 0.5 }, { 0: [0.5] });
    }),
    [`${y}/wavfiles/stim1.wav`]: toneWav(1600, 32000, 1000),
    [`${y}/Site1_e1_s0.h5`]: await buildH5((f) => {
      f.create_attribute('sortType', 'single');
      const call = f.create_group('Call');
      stim(call, '1', { stim_type: 'call', stim_md5: 'abc', stim_class: 'Te', stim_duration: 0.1 }, { 0: [0.09] });
      stim(call, '5', { stim_type: 'call', stim_md5: 'new' }, { 0: [0.001] });
    }),
  };
}
