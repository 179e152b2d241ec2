// Real-input FFT for any size, framed STFT and a fused mel front-end.
//
// A plan (built once per size by src/spectral/fft-plan.ts, in the wasm heap) describes how to
// take the DFT of N real samples:
//   * N even: the N reals are packed as M = N/2 complex values z[n] = x[2n] + i·x[2n+1]; one
//     complex DFT of size M then a split step gives the N/2+1 bins (half the work).
//   * N odd: M = N complex values with a zero imaginary part.
// The complex DFT of size M is an iterative radix-2 DIT FFT when M is a power of two (L = M),
// otherwise Bluestein's chirp-z: a circular convolution of length L = 2^k ≥ 2M − 1 done with two
// power-of-two FFTs. Data are split re / im arrays so that every stage with half-size ≥ 4 runs
// four butterflies per f32x4 instruction with contiguous twiddle loads.
//
// Plan layout: i32 fields at plan + 4·i (byte addresses of f32 / u32 arrays):
//   0 N · 1 M · 2 L · 3 packed (N even) · 4 bluestein · 5 rev (u32[L], bit reversal of log2 L bits)
//   6 twRe · 7 twIm (f32[L]: stage of half h keeps e^{−iπj/h}, j < h, at index h − 1 + j)
//   8 chirpRe · 9 chirpIm (f32[M], e^{−iπn²/M}) · 10 bRe · 11 bIm (f32[L], FFT of the conj chirp)
//   12 postRe · 13 postIm (f32[M+1], e^{−2πik/N}) · 14 w1Re · 15 w1Im · 16 w2Re · 17 w2Im (f32[L])
//   18 specRe · 19 specIm (f32[N]: the spectrum of the last frame, bins 0 … N−1)
// Work buffers live in the plan, so a plan belongs to one thread; nothing is allocated per frame.

// @ts-ignore: decorator
@inline function field(plan: usize, i: i32): usize {
  return <usize>load<i32>(plan + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function setF32(base: usize, i: i32, v: f32): void {
  store<f32>(base + (<usize>i << 2), v);
}

/** Radix-2 DIT stages over data already in bit-reversed order (L a power of two, L ≥ 1). */
function stages(re: usize, im: usize, L: i32, twRe: usize, twIm: usize): void {
  if (L < 2) return;
  if (L == 2) {
    const ar = f32At(re, 0), ai = f32At(im, 0), br = f32At(re, 1), bi = f32At(im, 1);
    setF32(re, 0, ar + br); setF32(im, 0, ai + bi);
    setF32(re, 1, ar - br); setF32(im, 1, ai - bi);
    return;
  }
  // Stages h = 1 and h = 2 fused as one radix-4 pass (twiddles 1 and −i need no multiply).
  for (let s = 0; s < L; s += 4) {
    const x0r = f32At(re, s), x0i = f32At(im, s);
    const x1r = f32At(re, s + 1), x1i = f32At(im, s + 1);
    const x2r = f32At(re, s + 2), x2i = f32At(im, s + 2);
    const x3r = f32At(re, s + 3), x3i = f32At(im, s + 3);
    const a0r = x0r + x1r, a0i = x0i + x1i, a1r = x0r - x1r, a1i = x0i - x1i;
    const a2r = x2r + x3r, a2i = x2i + x3i, a3r = x2r - x3r, a3i = x2i - x3i;
    // (−i)·a3 = a3i − i·a3r
    setF32(re, s, a0r + a2r); setF32(im, s, a0i + a2i);
    setF32(re, s + 2, a0r - a2r); setF32(im, s + 2, a0i - a2i);
    setF32(re, s + 1, a1r + a3i); setF32(im, s + 1, a1i - a3r);
    setF32(re, s + 3, a1r - a3i); setF32(im, s + 3, a1i + a3r);
  }
  for (let h = 4; h < L; h <<= 1) {
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
}

/**
 * Spectrum of one windowed frame: bins 0 … N−1 of the DFT of x[n]·window[n], n < N, into the
 * plan's spec buffers (only bins 0 … ⌊N/2⌋ when `full` is 0).
 */
function frameSpectrum(plan: usize, x: usize, window: usize, full: bool): void {
  const N = <i32>field(plan, 0), M = <i32>field(plan, 1), L = <i32>field(plan, 2);
  const packed = field(plan, 3) != 0, blue = field(plan, 4) != 0;
  const rev = field(plan, 5), twRe = field(plan, 6), twIm = field(plan, 7);
  const w1Re = field(plan, 14), w1Im = field(plan, 15);
  const specRe = field(plan, 18), specIm = field(plan, 19);
  let zRe = w1Re, zIm = w1Im; // where Z = DFT_M(z) ends up, natural order
  if (!blue) {
    // Load z straight into bit-reversed positions: the permutation costs no extra pass.
    if (packed) {
      for (let i = 0; i < M; i++) {
        const j = <i32>load<u32>(rev + (<usize>i << 2));
        const p = <usize>(j << 1) << 2;
        store<f32>(w1Re + (<usize>i << 2), load<f32>(x + p) * load<f32>(window + p));
        store<f32>(w1Im + (<usize>i << 2), load<f32>(x + p, 4) * load<f32>(window + p, 4));
      }
    } else {
      for (let i = 0; i < M; i++) {
        const j = <usize>load<u32>(rev + (<usize>i << 2)) << 2;
        store<f32>(w1Re + (<usize>i << 2), load<f32>(x + j) * load<f32>(window + j));
        store<f32>(w1Im + (<usize>i << 2), 0);
      }
    }
    stages(w1Re, w1Im, L, twRe, twIm);
  } else {
    const chRe = field(plan, 8), chIm = field(plan, 9);
    const bRe = field(plan, 10), bIm = field(plan, 11);
    const w2Re = field(plan, 16), w2Im = field(plan, 17);
    memory.fill(w1Re, 0, <usize>L << 2);
    memory.fill(w1Im, 0, <usize>L << 2);
    // a[n] = z[n]·chirp[n], scattered to bit-reversed positions of the length-L buffer.
    for (let n = 0; n < M; n++) {
      let zr: f32, zi: f32;
      if (packed) {
        const p = <usize>(n << 1) << 2;
        zr = load<f32>(x + p) * load<f32>(window + p);
        zi = load<f32>(x + p, 4) * load<f32>(window + p, 4);
      } else {
        const p = <usize>n << 2;
        zr = load<f32>(x + p) * load<f32>(window + p);
        zi = 0;
      }
      const cr = f32At(chRe, n), ci = f32At(chIm, n);
      const r = <usize>load<u32>(rev + (<usize>n << 2)) << 2;
      store<f32>(w1Re + r, zr * cr - zi * ci);
      store<f32>(w1Im + r, zr * ci + zi * cr);
    }
    stages(w1Re, w1Im, L, twRe, twIm);
    // Pointwise product with B, written re/im-swapped into bit-reversed positions of w2:
    // IFFT(P) = swap(FFT(swap(P))) / L.
    for (let k = 0; k < L; k++) {
      const ar = f32At(w1Re, k), ai = f32At(w1Im, k);
      const br = f32At(bRe, k), bi = f32At(bIm, k);
      const r = <usize>load<u32>(rev + (<usize>k << 2)) << 2;
      store<f32>(w2Im + r, ar * br - ai * bi);
      store<f32>(w2Re + r, ar * bi + ai * br);
    }
    stages(w2Re, w2Im, L, twRe, twIm);
    const inv: f32 = <f32>1 / <f32>L;
    for (let k = 0; k < M; k++) {
      const yr = f32At(w2Im, k) * inv, yi = f32At(w2Re, k) * inv;
      const cr = f32At(chRe, k), ci = f32At(chIm, k);
      setF32(w1Re, k, yr * cr - yi * ci);
      setF32(w1Im, k, yr * ci + yi * cr);
    }
    zRe = w1Re; zIm = w1Im;
  }
  if (packed) {
    // X[k] = Fe + W^k·Fo, Fe = (Z[k] + conj Z[M−k]) / 2, Fo = (Z[k] − conj Z[M−k]) / 2i.
    const postRe = field(plan, 12), postIm = field(plan, 13);
    for (let k = 0; k <= M; k++) {
      const ka = k == M ? 0 : k;
      const kb = k == 0 ? 0 : M - k;
      const zr = f32At(zRe, ka), zi = f32At(zIm, ka);
      const cr = f32At(zRe, kb), ci = -f32At(zIm, kb);
      const fer: f32 = <f32>0.5 * (zr + cr), fei: f32 = <f32>0.5 * (zi + ci);
      const dr = zr - cr, di = zi - ci;
      const forr: f32 = <f32>0.5 * di, foi: f32 = <f32>-0.5 * dr;
      const wr = f32At(postRe, k), wi = f32At(postIm, k);
      setF32(specRe, k, fer + wr * forr - wi * foi);
      setF32(specIm, k, fei + wr * foi + wi * forr);
    }
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
  const N = <i32>field(plan, 0);
  const specRe = field(plan, 18), specIm = field(plan, 19);
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
  const N = <i32>field(plan, 0);
  const specRe = field(plan, 18), specIm = field(plan, 19);
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
