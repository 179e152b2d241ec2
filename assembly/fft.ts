// Real-input FFT for any size, framed STFT and a fused mel front-end.
//
// A plan (built once per size by src/spectral/fft-plan.ts, in the wasm heap) describes how to
// take the DFT of N real samples:
//   * N even: the N reals are packed as M = N/2 complex values z[n] = x[2n] + i·x[2n+1]; one
//     complex DFT of size M then a split step gives the N/2+1 bins (half the work).
//   * N odd: M = N complex values with a zero imaginary part.
// The complex DFT of size M is
//   * an iterative radix-2 DIT FFT when M is a power of two (L = M): the bit-reversal gather is
//     fused with the first two stages, later stages go two at a time (radix-4 passes);
//   * a mixed-radix Stockham FFT when M factors into 2, 3, 4, 5, 7, 11, 13 (assembly/mixed.ts);
//   * otherwise Bluestein's chirp-z: a circular convolution of length L = 2^k ≥ 2M − 1 done with
//     two power-of-two FFTs.
// Data are split re / im arrays so that every stage with half-size ≥ 4 runs four butterflies per
// f32x4 instruction with contiguous twiddle loads.
//
// The plan is an FftPlan (assembly/layouts.ts).
// Work buffers live in the plan, so a plan belongs to one thread; nothing is allocated per frame.

import { mixedStages } from './mixed';
import { FftPlan } from './layouts';
// @ts-ignore: decorator
@inline function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function setF32(base: usize, i: i32, v: f32): void {
  store<f32>(base + (<usize>i << 2), v);
}

/** One radix-2 DIT stage of half-size h ≥ 4 (four butterflies per f32x4). */
// @ts-ignore: decorator
@inline function stage2(re: usize, im: usize, L: i32, h: i32, twRe: usize, twIm: usize): void {
  const tr = twRe + (<usize>(h - 1) << 2);
  const ti = twIm + (<usize>(h - 1) << 2);
  const span = h << 1;
  for (let s = 0; s < L; s += span) {
    const pa = <usize>s << 2;
    const pb = <usize>(s + h) << 2;
    for (let j = 0; j < h; j += 4) {
      const o = <usize>j << 2;
      const wr = v128.load(tr + o), wi = v128.load(ti + o);
      const ar = v128.load(re + pa + o), ai = v128.load(im + pa + o);
      const br = v128.load(re + pb + o), bi = v128.load(im + pb + o);
      const xr = f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi));
      const xi = f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr));
      v128.store(re + pa + o, f32x4.add(ar, xr));
      v128.store(im + pa + o, f32x4.add(ai, xi));
      v128.store(re + pb + o, f32x4.sub(ar, xr));
      v128.store(im + pb + o, f32x4.sub(ai, xi));
    }
  }
}

/**
 * Stages h and 2h fused (h ≥ 4): each block of 4h values is read and written once instead of
 * twice. a, b, c, d are the quarters; stage h pairs (a, b) and (c, d) with twiddle h,
 * stage 2h pairs (a', c') with twiddle 2h[j] and (b', d') with twiddle 2h[j + h].
 */
// @ts-ignore: decorator
@inline function stage4(re: usize, im: usize, L: i32, h: i32, twRe: usize, twIm: usize): void {
  const t1r = twRe + (<usize>(h - 1) << 2), t1i = twIm + (<usize>(h - 1) << 2);
  const t2r = twRe + (<usize>((h << 1) - 1) << 2), t2i = twIm + (<usize>((h << 1) - 1) << 2);
  const q = <usize>h << 2;
  const span = h << 2;
  for (let s = 0; s < L; s += span) {
    const pa = re + (<usize>s << 2), qa = im + (<usize>s << 2);
    for (let j = 0; j < h; j += 4) {
      const o = <usize>j << 2;
      const w1r = v128.load(t1r + o), w1i = v128.load(t1i + o);
      const ar = v128.load(pa + o), ai = v128.load(qa + o);
      const br = v128.load(pa + q + o), bi = v128.load(qa + q + o);
      const cr = v128.load(pa + 2 * q + o), ci = v128.load(qa + 2 * q + o);
      const dr = v128.load(pa + 3 * q + o), di = v128.load(qa + 3 * q + o);
      // stage h
      let xr = f32x4.sub(f32x4.mul(br, w1r), f32x4.mul(bi, w1i));
      let xi = f32x4.add(f32x4.mul(br, w1i), f32x4.mul(bi, w1r));
      const a1r = f32x4.add(ar, xr), a1i = f32x4.add(ai, xi);
      const b1r = f32x4.sub(ar, xr), b1i = f32x4.sub(ai, xi);
      xr = f32x4.sub(f32x4.mul(dr, w1r), f32x4.mul(di, w1i));
      xi = f32x4.add(f32x4.mul(dr, w1i), f32x4.mul(di, w1r));
      const c1r = f32x4.add(cr, xr), c1i = f32x4.add(ci, xi);
      const d1r = f32x4.sub(cr, xr), d1i = f32x4.sub(ci, xi);
      // stage 2h
      const w2r = v128.load(t2r + o), w2i = v128.load(t2i + o);
      const w3r = v128.load(t2r + q + o), w3i = v128.load(t2i + q + o);
      xr = f32x4.sub(f32x4.mul(c1r, w2r), f32x4.mul(c1i, w2i));
      xi = f32x4.add(f32x4.mul(c1r, w2i), f32x4.mul(c1i, w2r));
      v128.store(pa + o, f32x4.add(a1r, xr)); v128.store(qa + o, f32x4.add(a1i, xi));
      v128.store(pa + 2 * q + o, f32x4.sub(a1r, xr)); v128.store(qa + 2 * q + o, f32x4.sub(a1i, xi));
      xr = f32x4.sub(f32x4.mul(d1r, w3r), f32x4.mul(d1i, w3i));
      xi = f32x4.add(f32x4.mul(d1r, w3i), f32x4.mul(d1i, w3r));
      v128.store(pa + q + o, f32x4.add(b1r, xr)); v128.store(qa + q + o, f32x4.add(b1i, xi));
      v128.store(pa + 3 * q + o, f32x4.sub(b1r, xr)); v128.store(qa + 3 * q + o, f32x4.sub(b1i, xi));
    }
  }
}

/** The stages from h = 4 up, over data whose first two stages are done (L ≥ 4). */
function stagesFrom4(re: usize, im: usize, L: i32, twRe: usize, twIm: usize): void {
  let h = 4;
  for (; (h << 2) <= L; h <<= 2) stage4(re, im, L, h, twRe, twIm);
  if (h < L) stage2(re, im, L, h, twRe, twIm);
}

/** Radix-4 butterfly of the first two stages (twiddles 1 and −i) on four values, stored at s. */
// @ts-ignore: decorator
@inline function first4(
  re: usize, im: usize, s: i32,
  x0r: f32, x0i: f32, x1r: f32, x1i: f32, x2r: f32, x2i: f32, x3r: f32, x3i: f32,
): void {
  const a0r = x0r + x1r, a0i = x0i + x1i, a1r = x0r - x1r, a1i = x0i - x1i;
  const a2r = x2r + x3r, a2i = x2i + x3i, a3r = x2r - x3r, a3i = x2i - x3i;
  // (−i)·a3 = a3i − i·a3r
  const pr = re + (<usize>s << 2), pi = im + (<usize>s << 2);
  store<f32>(pr, a0r + a2r); store<f32>(pi, a0i + a2i);
  store<f32>(pr, a0r - a2r, 8); store<f32>(pi, a0i - a2i, 8);
  store<f32>(pr, a1r + a3i, 4); store<f32>(pi, a1i - a3r, 4);
  store<f32>(pr, a1r - a3i, 12); store<f32>(pi, a1i + a3r, 12);
}

/** Bit-reversal gather of split arrays fused with the first two stages (L ≥ 4). */
function gatherFirst4(srcRe: usize, srcIm: usize, rev: usize, re: usize, im: usize, L: i32): void {
  for (let s = 0; s < L; s += 4) {
    const r = rev + (<usize>s << 2);
    const i0 = <usize>load<u32>(r) << 2, i1 = <usize>load<u32>(r, 4) << 2;
    const i2 = <usize>load<u32>(r, 8) << 2, i3 = <usize>load<u32>(r, 12) << 2;
    first4(re, im, s, load<f32>(srcRe + i0), load<f32>(srcIm + i0), load<f32>(srcRe + i1), load<f32>(srcIm + i1),
      load<f32>(srcRe + i2), load<f32>(srcIm + i2), load<f32>(srcRe + i3), load<f32>(srcIm + i3));
  }
}

/** Radix-2 DIT FFT over data already in bit-reversed order (L a power of two, L ≥ 1). */
function stages(re: usize, im: usize, L: i32, twRe: usize, twIm: usize): void {
  if (L < 2) return;
  if (L == 2) {
    const ar = f32At(re, 0), ai = f32At(im, 0), br = f32At(re, 1), bi = f32At(im, 1);
    setF32(re, 0, ar + br); setF32(im, 0, ai + bi);
    setF32(re, 1, ar - br); setF32(im, 1, ai - bi);
    return;
  }
  for (let s = 0; s < L; s += 4) {
    first4(re, im, s, f32At(re, s), f32At(im, s), f32At(re, s + 1), f32At(im, s + 1),
      f32At(re, s + 2), f32At(im, s + 2), f32At(re, s + 3), f32At(im, s + 3));
  }
  stagesFrom4(re, im, L, twRe, twIm);
}

/** The packed split step for one bin k (0 ≤ k ≤ M): X[k] = Fe + W^k·Fo. */
// @ts-ignore: decorator
@inline function post(
  zRe: usize, zIm: usize, postRe: usize, postIm: usize, specRe: usize, specIm: usize, M: i32, k: i32,
): void {
  const ka = k == M ? 0 : k;
  const kb = k == 0 ? 0 : M - k;
  const zr = f32At(zRe, ka), zi = f32At(zIm, ka);
  const cr = f32At(zRe, kb), ci = -f32At(zIm, kb);
  const fer: f32 = <f32>0.5 * (zr + cr), fei: f32 = <f32>0.5 * (zi + ci);
  const forr: f32 = <f32>0.5 * (zi - ci), foi: f32 = <f32>0.5 * (cr - zr);
  const wr = f32At(postRe, k), wi = f32At(postIm, k);
  setF32(specRe, k, fer + wr * forr - wi * foi);
  setF32(specIm, k, fei + wr * foi + wi * forr);
}

/**
 * Spectrum of one windowed frame: bins 0 … N−1 of the DFT of x[n]·window[n], n < N, into the
 * plan's spec buffers (only bins 0 … ⌊N/2⌋ when `full` is 0).
 */
function frameSpectrum(plan: usize, x: usize, window: usize, full: bool): void {
  const pl = changetype<FftPlan>(plan);
  const N = pl.n, M = pl.m, L = pl.l;
  const packed = pl.packed != 0, blue = pl.bluestein != 0;
  const rev = pl.rev, twRe = pl.twRe, twIm = pl.twIm;
  const w1Re = pl.w1Re, w1Im = pl.w1Im;
  const specRe = pl.specRe, specIm = pl.specIm;
  let zRe = w1Re, zIm = w1Im; // where Z = DFT_M(z) ends up, natural order
  // The windowed frame, four samples per instruction.
  const xw = pl.xw;
  let n = 0;
  for (; n + 4 <= N; n += 4) {
    const o = <usize>n << 2;
    v128.store(xw + o, f32x4.mul(v128.load(x + o), v128.load(window + o)));
  }
  for (; n < N; n++) setF32(xw, n, f32At(x, n) * f32At(window, n));
  if (pl.mixed != 0) {
    // Mixed radix: z in natural order into w1, Stockham stages between w1 and w2.
    const w2Re = pl.w2Re, w2Im = pl.w2Im;
    if (packed) {
      let i = 0;
      for (; i + 4 <= M; i += 4) {
        const a = v128.load(xw + (<usize>i << 3)), b = v128.load(xw + (<usize>i << 3), 16);
        v128.store(w1Re + (<usize>i << 2), v128.shuffle<f32>(a, b, 0, 2, 4, 6));
        v128.store(w1Im + (<usize>i << 2), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
      }
      for (; i < M; i++) {
        setF32(w1Re, i, load<f32>(xw + (<usize>i << 3)));
        setF32(w1Im, i, load<f32>(xw + (<usize>i << 3), 4));
      }
    } else {
      memory.copy(w1Re, xw, <usize>M << 2);
      memory.fill(w1Im, 0, <usize>M << 2);
    }
    const inB = mixedStages(
      w1Re, w1Im, w2Re, w2Im, pl.stages, pl.stageCount, pl.mixedTwRe, pl.mixedTwIm, pl.oddScratch,
    );
    if (inB) { zRe = w2Re; zIm = w2Im; }
  } else if (!blue) {
    if (packed && M >= 4) {
      // Gather z in bit-reversed order and run the first two stages on the fly.
      for (let s = 0; s < M; s += 4) {
        const r = rev + (<usize>s << 2);
        const p0 = xw + (<usize>load<u32>(r) << 3), p1 = xw + (<usize>load<u32>(r, 4) << 3);
        const p2 = xw + (<usize>load<u32>(r, 8) << 3), p3 = xw + (<usize>load<u32>(r, 12) << 3);
        first4(w1Re, w1Im, s, load<f32>(p0), load<f32>(p0, 4), load<f32>(p1), load<f32>(p1, 4),
          load<f32>(p2), load<f32>(p2, 4), load<f32>(p3), load<f32>(p3, 4));
      }
      stagesFrom4(w1Re, w1Im, M, twRe, twIm);
    } else if (packed) {
      for (let i = 0; i < M; i++) {
        const p = xw + (<usize>load<u32>(rev + (<usize>i << 2)) << 3);
        store<f32>(w1Re + (<usize>i << 2), load<f32>(p));
        store<f32>(w1Im + (<usize>i << 2), load<f32>(p, 4));
      }
      stages(w1Re, w1Im, L, twRe, twIm);
    } else {
      for (let i = 0; i < M; i++) {
        const j = <usize>load<u32>(rev + (<usize>i << 2)) << 2;
        store<f32>(w1Re + (<usize>i << 2), load<f32>(xw + j));
        store<f32>(w1Im + (<usize>i << 2), 0);
      }
      stages(w1Re, w1Im, L, twRe, twIm);
    }
  } else {
    const chRe = pl.chirpRe, chIm = pl.chirpIm;
    const bRe = pl.bRe, bIm = pl.bIm;
    const w2Re = pl.w2Re, w2Im = pl.w2Im;
    const aRe = pl.aRe, aIm = pl.aIm; // [M, L) stays zero
    // a[n] = z[n]·chirp[n], n < M.
    for (n = 0; n < M; n++) {
      let zr: f32, zi: f32;
      if (packed) {
        const p = xw + (<usize>n << 3);
        zr = load<f32>(p);
        zi = load<f32>(p, 4);
      } else {
        zr = f32At(xw, n);
        zi = 0;
      }
      const cr = f32At(chRe, n), ci = f32At(chIm, n);
      setF32(aRe, n, zr * cr - zi * ci);
      setF32(aIm, n, zr * ci + zi * cr);
    }
    gatherFirst4(aRe, aIm, rev, w1Re, w1Im, L);
    stagesFrom4(w1Re, w1Im, L, twRe, twIm);
    // P = A·B written re/im-swapped: IFFT(P) = swap(FFT(swap(P))) / L.
    for (let k = 0; k < L; k += 4) {
      const o = <usize>k << 2;
      const ar = v128.load(w1Re + o), ai = v128.load(w1Im + o);
      const br = v128.load(bRe + o), bi = v128.load(bIm + o);
      v128.store(w2Im + o, f32x4.sub(f32x4.mul(ar, br), f32x4.mul(ai, bi)));
      v128.store(w2Re + o, f32x4.add(f32x4.mul(ar, bi), f32x4.mul(ai, br)));
    }
    gatherFirst4(w2Re, w2Im, rev, w1Re, w1Im, L);
    stagesFrom4(w1Re, w1Im, L, twRe, twIm);
    // Z[k] = chirp[k]·swap(y[k]) / L into w2 (the first M values).
    const inv = f32x4.splat(<f32>1 / <f32>L);
    for (let k = 0; k < M; k += 4) {
      const o = <usize>k << 2;
      const yr = f32x4.mul(v128.load(w1Im + o), inv), yi = f32x4.mul(v128.load(w1Re + o), inv);
      const cr = v128.load(chRe + o), ci = v128.load(chIm + o);
      v128.store(w2Re + o, f32x4.sub(f32x4.mul(yr, cr), f32x4.mul(yi, ci)));
      v128.store(w2Im + o, f32x4.add(f32x4.mul(yr, ci), f32x4.mul(yi, cr)));
    }
    zRe = w2Re; zIm = w2Im;
  }
  if (packed) {
    // X[k] = Fe + W^k·Fo, Fe = (Z[k] + conj Z[M−k]) / 2, Fo = (Z[k] − conj Z[M−k]) / 2i.
    const postRe = pl.postRe, postIm = pl.postIm;
    const half = f32x4.splat(0.5);
    let k = 1;
    // Bins 1 … M−4 four at a time; Z[M−k−3 … M−k] is loaded once and its lanes reversed.
    for (; k + 3 <= M - 1 && M - k - 3 >= 1; k += 4) {
      const o = <usize>k << 2;
      const ob = <usize>(M - k - 3) << 2;
      const zr = v128.load(zRe + o), zi = v128.load(zIm + o);
      const cr = v128.shuffle<f32>(v128.load(zRe + ob), v128.load(zRe + ob), 3, 2, 1, 0);
      const ci = f32x4.neg(v128.shuffle<f32>(v128.load(zIm + ob), v128.load(zIm + ob), 3, 2, 1, 0));
      const fer = f32x4.mul(half, f32x4.add(zr, cr)), fei = f32x4.mul(half, f32x4.add(zi, ci));
      const forr = f32x4.mul(half, f32x4.sub(zi, ci)), foi = f32x4.mul(half, f32x4.sub(cr, zr));
      const wr = v128.load(postRe + o), wi = v128.load(postIm + o);
      v128.store(specRe + o, f32x4.add(fer, f32x4.sub(f32x4.mul(wr, forr), f32x4.mul(wi, foi))));
      v128.store(specIm + o, f32x4.add(fei, f32x4.add(f32x4.mul(wr, foi), f32x4.mul(wi, forr))));
    }
    post(zRe, zIm, postRe, postIm, specRe, specIm, M, 0);
    for (; k <= M; k++) post(zRe, zIm, postRe, postIm, specRe, specIm, M, k);
    if (full) {
      for (let k = M + 1; k < N; k++) {
        setF32(specRe, k, f32At(specRe, N - k));
        setF32(specIm, k, -f32At(specIm, N - k));
      }
    }
  } else {
    const count = full ? N : (N >> 1) + 1;
    memory.copy(specRe, zRe, <usize>count << 2);
    memory.copy(specIm, zIm, <usize>count << 2);
  }
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
  const specRe = pl.specRe, specIm = pl.specIm;
  const bins = onesided ? (N >> 1) + 1 : N;
  for (let t = 0; t < frames; t++) {
    frameSpectrum(plan, x + (<usize>(t * hop) << 2), window, onesided == 0);
    const base = out + (<usize>(t * frameStride) << 2);
    const stride = <usize>binStride << 2;
    if (mode == 0) {
      for (let k = 0; k < bins; k++) {
        const p = base + <usize>k * stride;
        store<f32>(p, f32At(specRe, k));
        store<f32>(p, f32At(specIm, k), 4);
      }
    } else if (mode == 1) {
      for (let k = 0; k < bins; k++) {
        const r = f32At(specRe, k), i = f32At(specIm, k);
        store<f32>(base + <usize>k * stride, Mathf.sqrt(r * r + i * i));
      }
    } else {
      for (let k = 0; k < bins; k++) {
        const r = f32At(specRe, k), i = f32At(specIm, k);
        store<f32>(base + <usize>k * stride, r * r + i * i);
      }
    }
  }
}

/**
 * Mel (or any sparse filterbank) spectrogram: per frame, |X|^power on bins 0 … ⌊N/2⌋ (power 1
 * or 2), then band m = Σ_j w[m][j]·S[start_m + j]. Filterbank layout at `fb`: i32 pairs
 * (start, count) for each of `bands` bands, then i32 offsets into the weight block, i.e.
 * fb + 8·bands + 4·m holds the index of band m's first weight in the f32 array at `weights`.
 * Writes out[m·bandStride + t·frameStride].
 */
export function filterbankFrames(
  plan: usize, x: usize, frames: i32, hop: i32, window: usize, power: i32,
  fb: usize, weights: usize, bands: i32, out: usize, bandStride: i32, frameStride: i32,
): void {
  const pl = changetype<FftPlan>(plan);
  const N = pl.n;
  const specRe = pl.specRe, specIm = pl.specIm;
  const bins = (N >> 1) + 1;
  for (let t = 0; t < frames; t++) {
    frameSpectrum(plan, x + (<usize>(t * hop) << 2), window, false);
    // |X|² (or |X|) in place in specRe.
    if (power == 1) {
      for (let k = 0; k < bins; k++) {
        const r = f32At(specRe, k), i = f32At(specIm, k);
        setF32(specRe, k, Mathf.sqrt(r * r + i * i));
      }
    } else {
      for (let k = 0; k < bins; k++) {
        const r = f32At(specRe, k), i = f32At(specIm, k);
        setF32(specRe, k, r * r + i * i);
      }
    }
    const base = out + (<usize>(t * frameStride) << 2);
    for (let m = 0; m < bands; m++) {
      const start = load<i32>(fb + (<usize>m << 3));
      const count = load<i32>(fb + (<usize>m << 3), 4);
      const w = weights + (<usize>load<i32>(fb + (<usize>bands << 3) + (<usize>m << 2)) << 2);
      let acc: f32 = 0;
      for (let j = 0; j < count; j++) acc += f32At(w, j) * f32At(specRe, start + j);
      store<f32>(base + (<usize>(m * bandStride) << 2), acc);
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
