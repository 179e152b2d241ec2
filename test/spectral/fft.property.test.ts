// Property tests: the wasm spectral kernels (assembly/fft.ts) against their float64 references
// (src/reference/spectral.ts: a direct DFT, no FFT) on many random sizes, hops and signals.
// Errors are measured relative to the largest magnitude of each frame, since a float32 FFT's
// error scales with the frame's energy, not with each bin.
import { describe, expect, it } from 'vitest';
import { WasmHeap } from '../../src/memory/heap.js';
import { Rng } from '../../src/util/random.js';
import { fftPlan, heapWindow } from '../../src/spectral/fft-plan.js';
import { heapFilterbank, melFilterbank } from '../../src/spectral/mel.js';
import { hann } from '../../src/spectral/windows.js';
import { filterbankFramesRef, resamplePolyRef, stftFramesRef } from '../../src/reference/spectral.js';

const heap = WasmHeap.create({ shared: false });
/** Largest error relative to the frame's peak magnitude seen by the STFT property test. */
let worstStft = 0;

function randomSignal(rng: Rng, ptr: number, n: number) {
  const v = heap.f32(ptr, n);
  const kind = rng.int(3);
  for (let i = 0; i < n; i++) {
    v[i] = kind === 0 ? rng.normal() : kind === 1 ? Math.sin(i * 0.3 + rng.next()) * 10 ** (rng.int(5) - 2) : rng.next() - 0.5;
  }
}

describe('stftFrames (wasm) vs the float64 DFT reference', () => {
  // radix-2, mixed radix (2, 3, 4, 5, 7, 11, 13) and Bluestein (primes 17, 31, 97, 1018 = 2·509) sizes
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 16, 17, 22, 26, 31, 32, 64, 97, 100, 128, 143, 160, 250, 256, 286, 320, 400, 441, 480, 512, 882, 1018, 1024];
  // Frames run in groups of four (one per SIMD lane): 1 … 11 frames cover full groups and every
  // partial last group; both output layouts are drawn, frames contiguous (vector stores) and
  // bins contiguous (per-lane stores).
  it('complex, magnitude and power, one- and two-sided, 1 … 11 frames, both layouts, for 34 fixed and 40 random sizes', () => {
    const rng = new Rng(7);
    const all = [...sizes, ...Array.from({ length: 40 }, () => 1 + rng.int(700))];
    for (const N of all) {
      const plan = fftPlan(N, heap);
      const hop = 1 + rng.int(Math.max(1, N));
      const frames = 1 + rng.int(11);
      const binsMajor = rng.next() < 0.7;
      const T = (frames - 1) * hop + N;
      const x = heap.alloc(4 * T);
      randomSignal(rng, x, T);
      const win = heapWindow(`test-hann-${N}`, hann(N), heap);
      for (const onesided of [1, 0]) {
        const bins = onesided ? (N >> 1) + 1 : N;
        for (const mode of [0, 1, 2]) {
          const per = bins * frames * (mode === 0 ? 2 : 1);
          const a = heap.alloc(4 * per), b = heap.alloc(4 * per);
          const e = mode === 0 ? 2 : 1;
          const binStride = binsMajor ? frames * e : e, frameStride = binsMajor ? e : bins * e;
          heap.kernels.stftFrames(plan, x, frames, hop, win, onesided, mode, a, binStride, frameStride);
          stftFramesRef(heap.buffer, plan, x, frames, hop, win, onesided, mode, b, binStride, frameStride);
          const va = heap.f32(a, per), vb = heap.f32(b, per);
          for (let t = 0; t < frames; t++) {
            let peak = 0, err = 0;
            for (let k = 0; k < bins; k++) {
              for (let c = 0; c < (mode === 0 ? 2 : 1); c++) {
                const p = k * binStride + t * frameStride + c;
                peak = Math.max(peak, Math.abs(vb[p]));
                err = Math.max(err, Math.abs(va[p] - vb[p]));
              }
            }
            const rel = peak > 0 ? err / peak : err;
            worstStft = Math.max(worstStft, rel);
            if (rel > 2e-6) expect.fail(`N ${N} mode ${mode} onesided ${onesided} frame ${t} of ${frames}: relative error ${rel}`);
          }
        }
      }
    }
    // The figure quoted in docs/spectral.md.
    console.log(`stftFrames: largest error relative to the frame peak, over all sizes: ${worstStft.toExponential(2)}`);
    expect(worstStft).toBeLessThan(2e-6);
  });

  it('a frame with a single non-zero sample gives a flat spectrum (impulse), exactly where N is small', () => {
    for (const N of [8, 15, 480]) {
      const plan = fftPlan(N, heap);
      const x = heap.alloc(4 * N);
      heap.f32(x, N).fill(0);
      heap.f32(x, N)[0] = 1;
      const win = heapWindow(`rect-${N}`, new Float32Array(N).fill(1), heap);
      const bins = (N >> 1) + 1;
      const out = heap.alloc(4 * bins);
      heap.kernels.stftFrames(plan, x, 1, 1, win, 1, 1, out, 1, 1);
      for (const v of heap.f32(out, bins)) expect(v).toBeCloseTo(1, 6);
    }
  });
});

describe('filterbankFrames (wasm) vs the reference', () => {
  it('mel banks at several sizes, power 1 and 2, 1 … 9 frames, both layouts', () => {
    const rng = new Rng(11);
    for (const [N, sr, nMels] of [[512, 24000, 64], [480, 48000, 34], [400, 16000, 40], [441, 44100, 20], [160, 16000, 8]]) {
      const fb = melFilterbank({ nFreqs: (N >> 1) + 1, fMin: 100, fMax: sr / 2, nMels, sampleRate: sr });
      const bank = heapFilterbank(`test-mel:${N}:${sr}:${nMels}`, () => fb, heap);
      const plan = fftPlan(N, heap);
      const win = heapWindow(`test-hann-${N}`, hann(N), heap);
      const frames = 1 + rng.int(9), hop = N >> 1;
      const bandsMajor = rng.next() < 0.5;
      const bandStride = bandsMajor ? frames : 1, frameStride = bandsMajor ? 1 : nMels;
      const T = (frames - 1) * hop + N;
      const x = heap.alloc(4 * T);
      randomSignal(rng, x, T);
      for (const power of [1, 2]) {
        const a = heap.alloc(4 * nMels * frames), b = heap.alloc(4 * nMels * frames);
        heap.kernels.filterbankFrames(plan, x, frames, hop, win, power, bank.fb, bank.weights, nMels, a, bandStride, frameStride);
        filterbankFramesRef(heap.buffer, plan, x, frames, hop, win, power, bank.fb, bank.weights, nMels, b, bandStride, frameStride);
        const va = heap.f32(a, nMels * frames), vb = heap.f32(b, nMels * frames);
        const peak = Math.max(...vb);
        for (let i = 0; i < va.length; i++) {
          if (Math.abs(va[i] - vb[i]) > 4e-6 * peak) expect.fail(`N ${N} power ${power} [${i}]: ${va[i]} vs ${vb[i]}`);
        }
      }
    }
  });
});

describe('resamplePoly (wasm) vs the reference', () => {
  it('random polyphase banks and inputs', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 200; trial++) {
      const orig = 1 + rng.int(9), up = 1 + rng.int(9), nTaps = 1 + rng.int(20);
      const outLen = rng.int(60);
      const blocks = Math.ceil(outLen / up) + 1;
      const starts = heap.alloc(4 * up);
      const sv = heap.i32(starts, up);
      for (let p = 0; p < up; p++) sv[p] = rng.int(5);
      const xLen = blocks * orig + 5 + nTaps;
      const x = heap.alloc(4 * xLen), taps = heap.alloc(4 * up * nTaps);
      randomSignal(rng, x, xLen);
      randomSignal(rng, taps, up * nTaps);
      const a = heap.alloc(4 * Math.max(outLen, 1)), b = heap.alloc(4 * Math.max(outLen, 1));
      heap.kernels.resamplePoly(x, a, outLen, orig, up, taps, nTaps, starts);
      resamplePolyRef(heap.buffer, x, b, outLen, orig, up, taps, nTaps, starts);
      const va = heap.f32(a, outLen), vb = heap.f32(b, outLen);
      for (let i = 0; i < outLen; i++) {
        if (Math.abs(va[i] - vb[i]) > 1e-5 * (1 + Math.abs(vb[i]))) expect.fail(`trial ${trial} [${i}]: ${va[i]} vs ${vb[i]}`);
      }
    }
  });
});
