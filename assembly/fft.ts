// Real-input FFT for any size, framed STFT and a fused filterbank front-end.
//
// Frames are transformed four at a time, one frame per f32x4 lane: element i of a work array is
// the f32x4 of the four frames' values at i (assembly/mixed.ts), so every butterfly, the split
// step and |X|² are plain SIMD with no shuffles, and the four frames' values of a bin are stored
// with one instruction when the output's frames are contiguous. The only shuffles are the 4 × 4
// transposes that bring the four frames into lanes (packing needs none: after the transpose,
// even samples are real parts and odd samples imaginary parts).
//
// A plan (FftPlan in assembly/layouts.ts, built once per size by src/spectral/fft-plan.ts)
// describes how to take the DFT of N real samples:
//   * N even: the N reals are packed as M = N/2 complex values z[n] = x[2n] + i·x[2n+1]; one
//     complex DFT of size M then a split step gives bins 0 … M (half the work).
//   * N odd: M = N complex values with a zero imaginary part.
// The complex DFT of size M is a mixed-radix Stockham FFT (assembly/mixed.ts: radix-4 passes
// for powers of two, and radices 2, 3, 5, 7, 11, 13) when M factors so; otherwise Bluestein's
// chirp-z: a circular convolution of length L = 2^k ≥ 2M − 1 done with two FFTs of size L.
// Work buffers live in the plan, so a plan belongs to one thread; nothing is allocated per frame.

import { mixedStages } from './mixed';
import { FftPlan, FilterBand } from './layouts';

// @ts-ignore: decorator
@inline function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function lv(p: usize, i: usize): v128 { return v128.load(p + (i << 4)); }
// @ts-ignore: decorator
@inline function sv(p: usize, i: usize, v: v128): void { v128.store(p + (i << 4), v); }
/** Value i of an f32 table in all four lanes. */
// @ts-ignore: decorator
@inline function splatAt(p: usize, i: usize): v128 { return v128.load32_splat(p + (i << 2)); }

/**
 * A 4 × 4 transpose: rows a, b, c, d (one per frame, four consecutive values each) become four
 * columns (one value of each frame), stored at p0 … p3.
 */
// @ts-ignore: decorator
@inline function transposeTo(p0: usize, p1: usize, p2: usize, p3: usize, a: v128, b: v128, c: v128, d: v128): void {
  const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), t1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(c, d, 0, 4, 1, 5), t3 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
  v128.store(p0, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(p1, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(p2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(p3, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** The four frames' float32 at byte offset o, each times w, as one f32x4. */
// @ts-ignore: decorator
@inline function gather(x0: usize, x1: usize, x2: usize, x3: usize, o: usize, w: f32): v128 {
  let v = f32x4.splat(load<f32>(x0 + o) * w);
  v = f32x4.replace_lane(v, 1, load<f32>(x1 + o) * w);
  v = f32x4.replace_lane(v, 2, load<f32>(x2 + o) * w);
  return f32x4.replace_lane(v, 3, load<f32>(x3 + o) * w);
}

/** z of four windowed frames (starting at x0 … x3) into elements 0 … M−1 of (re, im). */
function loadFrames(pl: FftPlan, x0: usize, x1: usize, x2: usize, x3: usize, window: usize, re: usize, im: usize): void {
  const M = <usize>pl.m;
  let n: usize = 0;
  if (pl.packed) {
    for (; n + 4 <= M; n += 4) {
      // Samples 2n … 2n+7 of each frame, windowed; transposed, sample 2n + j of the four frames
      // is the real (j even) or imaginary (j odd) part of z[n + j/2].
      const o = n << 3; // byte offset of sample 2n
      const wa = v128.load(window + o), wb = v128.load(window + o, 16);
      const e = n << 4; // byte offset of element n
      transposeTo(re + e, im + e, re + e + 16, im + e + 16, f32x4.mul(v128.load(x0 + o), wa),
        f32x4.mul(v128.load(x1 + o), wa), f32x4.mul(v128.load(x2 + o), wa), f32x4.mul(v128.load(x3 + o), wa));
      transposeTo(re + e + 32, im + e + 32, re + e + 48, im + e + 48, f32x4.mul(v128.load(x0 + o, 16), wb),
        f32x4.mul(v128.load(x1 + o, 16), wb), f32x4.mul(v128.load(x2 + o, 16), wb), f32x4.mul(v128.load(x3 + o, 16), wb));
    }
    for (; n < M; n++) {
      const o = n << 3;
      sv(re, n, gather(x0, x1, x2, x3, o, load<f32>(window + o)));
      sv(im, n, gather(x0, x1, x2, x3, o + 4, load<f32>(window + o, 4)));
    }
  } else {
    const zero = f32x4.splat(0);
    for (; n + 4 <= M; n += 4) {
      const o = n << 2;
      const w = v128.load(window + o);
      const e = n << 4;
      transposeTo(re + e, re + e + 16, re + e + 32, re + e + 48, f32x4.mul(v128.load(x0 + o), w),
        f32x4.mul(v128.load(x1 + o), w), f32x4.mul(v128.load(x2 + o), w), f32x4.mul(v128.load(x3 + o), w));
      sv(im, n, zero); sv(im, n + 1, zero); sv(im, n + 2, zero); sv(im, n + 3, zero);
    }
    for (; n < M; n++) {
      const o = n << 2;
      sv(re, n, gather(x0, x1, x2, x3, o, load<f32>(window + o)));
      sv(im, n, zero);
    }
  }
}

// Where dft() left Z = DFT_M(z) of the four frames: f32x4 arrays, natural order, M elements.
let zReOut: usize = 0, zImOut: usize = 0;

/**
 * The complex DFT Z of z for four windowed frames (starting at x0 … x3), left at
 * (zReOut, zImOut).
 */
function dft(pl: FftPlan, x0: usize, x1: usize, x2: usize, x3: usize, window: usize): void {
  const M = pl.m;
  const w1Re = pl.w1Re, w1Im = pl.w1Im, w2Re = pl.w2Re, w2Im = pl.w2Im;
  loadFrames(pl, x0, x1, x2, x3, window, w1Re, w1Im);
  let zRe = w1Re, zIm = w1Im; // where Z = DFT_M(z) ends up, natural order
  if (!pl.bluestein) {
    if (mixedStages(w1Re, w1Im, w2Re, w2Im, pl.stages, pl.stageCount, pl.twRe, pl.twIm, pl.oddScratch)) {
      zRe = w2Re; zIm = w2Im;
    }
  } else {
    const L = pl.l;
    const chRe = pl.chirpRe, chIm = pl.chirpIm, bRe = pl.bRe, bIm = pl.bIm;
    // a[n] = z[n]·chirp[n] for n < M, zero on [M, L).
    for (let n: usize = 0; n < <usize>M; n++) {
      const zr = lv(w1Re, n), zi = lv(w1Im, n), cr = splatAt(chRe, n), ci = splatAt(chIm, n);
      sv(w1Re, n, f32x4.sub(f32x4.mul(zr, cr), f32x4.mul(zi, ci)));
      sv(w1Im, n, f32x4.add(f32x4.mul(zr, ci), f32x4.mul(zi, cr)));
    }
    memory.fill(w1Re + (<usize>M << 4), 0, <usize>(L - M) << 4);
    memory.fill(w1Im + (<usize>M << 4), 0, <usize>(L - M) << 4);
    const inB = mixedStages(w1Re, w1Im, w2Re, w2Im, pl.stages, pl.stageCount, pl.twRe, pl.twIm, pl.oddScratch);
    const aRe = inB ? w2Re : w1Re, aIm = inB ? w2Im : w1Im;
    const oRe = inB ? w1Re : w2Re, oIm = inB ? w1Im : w2Im;
    // P = A·B (B holds the 1/L of the inverse) written re/im-swapped: IFFT(P) = swap(FFT(swap(P))).
    for (let k: usize = 0; k < <usize>L; k++) {
      const ar = lv(aRe, k), ai = lv(aIm, k), br = splatAt(bRe, k), bi = splatAt(bIm, k);
      sv(aIm, k, f32x4.sub(f32x4.mul(ar, br), f32x4.mul(ai, bi)));
      sv(aRe, k, f32x4.add(f32x4.mul(ar, bi), f32x4.mul(ai, br)));
    }
    const inO = mixedStages(aRe, aIm, oRe, oIm, pl.stages, pl.stageCount, pl.twRe, pl.twIm, pl.oddScratch);
    zRe = inO ? oRe : aRe; zIm = inO ? oIm : aIm;
    // Z[k] = chirp[k]·swap(y[k]), k < M.
    for (let k: usize = 0; k < <usize>M; k++) {
      const yr = lv(zIm, k), yi = lv(zRe, k), cr = splatAt(chRe, k), ci = splatAt(chIm, k);
      sv(zRe, k, f32x4.sub(f32x4.mul(yr, cr), f32x4.mul(yi, ci)));
      sv(zIm, k, f32x4.add(f32x4.mul(yr, ci), f32x4.mul(yi, cr)));
    }
  }
  zReOut = zRe; zImOut = zIm;
}

// What split() does with each bin: keep it (the plan's spec arrays), or store |X| or |X|².
const SINK_SPEC: i32 = 0, SINK_MAG: i32 = 1, SINK_POW: i32 = 2;

/** Bin k of four frames into its sink: spec arrays, or |X| / |X|² at dst + k·stride. */
// @ts-ignore: decorator
@inline function sink(kind: i32, k: usize, re: v128, im: v128, sRe: usize, sIm: usize, dst: usize, stride: usize): void {
  if (kind == SINK_SPEC) {
    sv(sRe, k, re); sv(sIm, k, im);
  } else {
    const pow = f32x4.add(f32x4.mul(re, re), f32x4.mul(im, im));
    v128.store(dst + k * stride, kind == SINK_MAG ? f32x4.sqrt(pow) : pow);
  }
}

/**
 * The packed split step (N even) from Z at (zReOut, zImOut): bins 0 … M of four frames into
 * `kind`'s sink (`kind` is a constant at every call, so each call compiles to its own loop).
 * X[k] = Fe + W^k·Fo, Fe = (Z[k] + conj Z[M−k]) / 2, Fo = (Z[k] − conj Z[M−k]) / 2i; bins k
 * and M − k share Fe and Fo up to conjugation, so they are computed in pairs.
 */
// @ts-ignore: decorator
@inline function split(pl: FftPlan, kind: i32, dst: usize, stride: usize): void {
  const M = pl.m, zRe = zReOut, zIm = zImOut;
  const sRe = pl.specRe, sIm = pl.specIm, postRe = pl.postRe, postIm = pl.postIm;
  const half = f32x4.splat(0.5), zero = f32x4.splat(0);
  // k = 0 and k = M: Fe = Re Z[0], Fo = Im Z[0], W^0 = 1, W^M = −1.
  const z0r = lv(zRe, 0), z0i = lv(zIm, 0);
  sink(kind, 0, f32x4.add(z0r, z0i), zero, sRe, sIm, dst, stride);
  sink(kind, <usize>M, f32x4.sub(z0r, z0i), zero, sRe, sIm, dst, stride);
  for (let k = 1; k <= (M >> 1); k++) {
    const ka = <usize>k, kb = <usize>(M - k);
    const ar = lv(zRe, ka), ai = lv(zIm, ka), br = lv(zRe, kb), bi = lv(zIm, kb);
    const fer = f32x4.mul(half, f32x4.add(ar, br)), fei = f32x4.mul(half, f32x4.sub(ai, bi));
    const forr = f32x4.mul(half, f32x4.add(ai, bi)), foi = f32x4.mul(half, f32x4.sub(br, ar));
    let wr = splatAt(postRe, ka), wi = splatAt(postIm, ka);
    sink(kind, ka, f32x4.add(fer, f32x4.sub(f32x4.mul(wr, forr), f32x4.mul(wi, foi))),
      f32x4.add(fei, f32x4.add(f32x4.mul(wr, foi), f32x4.mul(wi, forr))), sRe, sIm, dst, stride);
    // X[M − k] = conj Fe + W^{M−k}·conj Fo
    wr = splatAt(postRe, kb); wi = splatAt(postIm, kb);
    sink(kind, kb, f32x4.add(fer, f32x4.add(f32x4.mul(wr, forr), f32x4.mul(wi, foi))),
      f32x4.sub(f32x4.sub(f32x4.mul(wi, forr), f32x4.mul(wr, foi)), fei), sRe, sIm, dst, stride);
  }
}

/** Stores the first `lanes` lanes of v at p, p + fs, p + 2·fs, p + 3·fs (fs in bytes). */
// @ts-ignore: decorator
@inline function put(p: usize, v: v128, lanes: i32, fs: usize): void {
  if (lanes == 4 && fs == 4) {
    v128.store(p, v);
  } else {
    store<f32>(p, f32x4.extract_lane(v, 0));
    if (lanes > 1) store<f32>(p + fs, f32x4.extract_lane(v, 1));
    if (lanes > 2) store<f32>(p + 2 * fs, f32x4.extract_lane(v, 2));
    if (lanes > 3) store<f32>(p + 3 * fs, f32x4.extract_lane(v, 3));
  }
}

/** Start of frame min(t, frames − 1): lanes past the last frame repeat it (their output is dropped). */
// @ts-ignore: decorator
@inline function frameAt(x: usize, t: i32, frames: i32, hop: i32): usize {
  return x + (<usize>(min(t, frames - 1) * hop) << 2);
}

/**
 * STFT of `frames` frames of a (padded) signal: frame t is x[t·hop + n]·window[n], n < N.
 * `mode` 0 writes complex (re at out[k·binStride + t·frameStride], im at +1), 1 the magnitude,
 * 2 the power at out[k·binStride + t·frameStride] (element offsets, not bytes).
 * `onesided` 1 keeps bins 0 … ⌊N/2⌋, 0 all N.
 */
export function stftFrames(
  plan: usize, x: usize, frames: i32, hop: i32, window: usize, onesided: i32, mode: i32,
  out: usize, binStride: i32, frameStride: i32,
): void {
  const pl = changetype<FftPlan>(plan);
  const N = pl.n;
  const bins = onesided ? (N >> 1) + 1 : N;
  const bs = <usize>binStride << 2, fs = <usize>frameStride << 2;
  for (let t = 0; t < frames; t += 4) {
    const lanes = min(4, frames - t);
    dft(pl, frameAt(x, t, frames, hop), frameAt(x, t + 1, frames, hop), frameAt(x, t + 2, frames, hop),
      frameAt(x, t + 3, frames, hop), window);
    const base = out + <usize>t * fs;
    if (pl.packed && onesided && lanes == 4 && fs == 4 && mode != 0) {
      // The common case (four frames, frames contiguous, magnitude or power): the split step
      // stores each bin's four values with one instruction.
      if (mode == 2) split(pl, SINK_POW, base, bs);
      else split(pl, SINK_MAG, base, bs);
      continue;
    }
    // Bins 0 … M (N even, from the split step) or 0 … N − 1 (N odd: Z itself).
    let sRe = zReOut, sIm = zImOut, have = N;
    if (pl.packed) {
      split(pl, SINK_SPEC, 0, 0);
      sRe = pl.specRe; sIm = pl.specIm; have = pl.m + 1;
    }
    for (let k = 0; k < bins; k++) {
      // Bins past the stored ones (two-sided, N even) are conj X[N − k].
      const direct = k < have;
      const j = <usize>(direct ? k : N - k);
      const re = lv(sRe, j);
      const im = direct ? lv(sIm, j) : f32x4.neg(lv(sIm, j));
      const p = base + <usize>k * bs;
      if (mode == 0) {
        if (lanes == 4 && fs == 8) {
          v128.store(p, v128.shuffle<f32>(re, im, 0, 4, 1, 5));
          v128.store(p, v128.shuffle<f32>(re, im, 2, 6, 3, 7), 16);
        } else {
          put(p, re, lanes, fs);
          put(p + 4, im, lanes, fs);
        }
      } else {
        const pow = f32x4.add(f32x4.mul(re, re), f32x4.mul(im, im));
        put(p, mode == 1 ? f32x4.sqrt(pow) : pow, lanes, fs);
      }
    }
  }
}

/**
 * Mel (or any sparse filterbank) spectrogram: per frame, |X|^power on bins 0 … ⌊N/2⌋ (power 1
 * or 2), then band m = Σ_j w[m][j]·S[start_m + j]. `fb` is a table of `bands` FilterBand
 * (assembly/layouts.ts) indexing the f32 weights at `weights`.
 * Writes out[m·bandStride + t·frameStride].
 */
export function filterbankFrames(
  plan: usize, x: usize, frames: i32, hop: i32, window: usize, power: i32,
  fb: usize, weights: usize, bands: i32, out: usize, bandStride: i32, frameStride: i32,
): void {
  const pl = changetype<FftPlan>(plan);
  const bins = <usize>((pl.n >> 1) + 1);
  const bs = <usize>bandStride << 2, fs = <usize>frameStride << 2;
  for (let t = 0; t < frames; t += 4) {
    const lanes = min(4, frames - t);
    dft(pl, frameAt(x, t, frames, hop), frameAt(x, t + 1, frames, hop), frameAt(x, t + 2, frames, hop),
      frameAt(x, t + 3, frames, hop), window);
    // |X|² (or |X|) of bins 0 … ⌊N/2⌋ into S.
    let sRe = pl.specRe;
    if (pl.packed) {
      if (power == 1) split(pl, SINK_MAG, sRe, 16);
      else split(pl, SINK_POW, sRe, 16);
    } else {
      const zRe = zReOut, zIm = zImOut;
      sRe = zRe;
      for (let k: usize = 0; k < bins; k++) {
        const re = lv(zRe, k), im = lv(zIm, k);
        const pow = f32x4.add(f32x4.mul(re, re), f32x4.mul(im, im));
        sv(zRe, k, power == 1 ? f32x4.sqrt(pow) : pow);
      }
    }
    const base = out + <usize>t * fs;
    for (let m = 0; m < bands; m++) {
      const band = changetype<FilterBand>(fb + <usize>m * offsetof<FilterBand>());
      const start = <usize>band.start, count = <usize>band.count;
      const w = weights + (<usize>band.weight << 2);
      let acc = f32x4.splat(0);
      for (let j: usize = 0; j < count; j++) acc = f32x4.add(acc, f32x4.mul(splatAt(w, j), lv(sRe, start + j)));
      put(base + <usize>m * bs, acc, lanes, fs);
    }
  }
}

/**
 * Polyphase FIR resampling (torchaudio's sinc resampler with its zero taps dropped):
 * out[i] = Σ_{j < nTaps} taps[p·nTaps + j] · x[b·orig + starts[p] + j], with b = ⌊i / up⌋ and
 * p = i mod up. `x` is the input already padded as torchaudio pads it; `starts` is i32[up].
 */
export function resamplePoly(
  x: usize, out: usize, outLen: i32, orig: i32, up: i32, taps: usize, nTaps: i32, starts: usize,
): void {
  let p = 0, b = 0;
  for (let i = 0; i < outLen; i++) {
    const src = x + (<usize>(b * orig + load<i32>(starts + (<usize>p << 2))) << 2);
    const w = taps + (<usize>(p * nTaps) << 2);
    let j = 0;
    let acc = f32x4.splat(0);
    for (; j + 4 <= nTaps; j += 4) {
      const o = <usize>j << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(w + o), v128.load(src + o)));
    }
    let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)
      + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; j < nTaps; j++) s += f32At(w, j) * f32At(src, j);
    store<f32>(out + (<usize>i << 2), s);
    if (++p == up) { p = 0; b++; }
  }
}
