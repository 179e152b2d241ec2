// `npm run bench -- kaldi`: kaldiFbank (Downer settings: 80 bins, hanning, 25 ms / 5 ms at 16 kHz)
// against the same-run power STFT of the same signal with the same frame count (n_fft 512,
// hop 80, no centring), as a ratio: the cost of Kaldi framing + filterbank over a bare STFT.
import { kaldiFbank, spectrogram } from '../src/index.js';

const SR = 16000, SECONDS = 30;
const x = new Float32Array(SR * SECONDS);
for (let i = 0; i < x.length; i++) x[i] = 3000 * Math.sin((2 * Math.PI * 440 * i) / SR) + 300 * Math.sin(i * 1.7);

function best(fn: () => unknown, rounds = 7, minMs = 100): number {
  fn();
  let b = Infinity;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = performance.now();
    let t1 = t0;
    do { fn(); n++; t1 = performance.now(); } while (t1 - t0 < minMs);
    b = Math.min(b, (t1 - t0) / n);
  }
  return b;
}

const kaldi = () => kaldiFbank(x, { numMelBins: 80, windowType: 'hanning', frameShift: 5, lowFreq: 0, highFreq: 8000 });
const stft = () => spectrogram(x, { nFft: 512, hop: 80, winLength: 400, center: false });
const tk = best(kaldi), ts = best(stft);
console.log(`kaldiFbank ${SECONDS} s @ 16 kHz (${kaldi().shape[0]} frames × 80): ${tk.toFixed(2)} ms`);
console.log(`power STFT same signal (n_fft 512, hop 80): ${ts.toFixed(2)} ms`);
console.log(`ratio kaldiFbank / STFT: ${(tk / ts).toFixed(2)}×`);
