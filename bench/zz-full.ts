import { spectrogram } from '../src/index.js';
import FFT from 'fft.js';
const SR = 24000, HOP = 128;
const x = new Float32Array(SR * 10);
for (let i = 0; i < x.length; i++) x[i] = Math.sin((2 * Math.PI * 440 * i) / SR) + 0.1 * Math.sin(i * 1.7);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const best = (f: () => void) => { let b = 1e9; for (let r = 0; r < 20; r++) { const t0 = cpu(); let n = 0; do { f(); n++; } while (cpu() - t0 < 40); b = Math.min(b, (cpu() - t0) / n); } return b; };
for (const N of [512, 480]) {
  const out = new Float32Array((N / 2 + 1) * (1 + Math.floor(x.length / HOP)));
  console.log(N, 'spectrogram cpu ms', best(() => spectrogram(x, { nFft: N, hop: HOP, out })).toFixed(3));
}
