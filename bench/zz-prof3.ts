import { spectrogram } from '../src/index.js';
const SR = 24000, HOP = 128;
const x = new Float32Array(SR * 10);
for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * 440 * i) / SR) + 0.1 * Math.sin(i * 1.7);
const out = new Float32Array(257 * 1876);
for (let r = 0; r < 1500; r++) spectrogram(x, { nFft: 512, hop: HOP, out });
