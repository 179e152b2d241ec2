// Mixed-radix (8, 4, 2, 3, 5, and generic odd 7, 11, 13) complex FFT, Stockham autosort,
// decimation in frequency, over four transforms at once: element i of a complex array is one
// f32x4 of real parts at re + 16·i and one of imaginary parts at im + 16·i, lane l belonging to
// transform l (assembly/fft.ts puts four STFT frames in the four lanes). Every butterfly is thus
// a SIMD butterfly with no shuffles, whatever the radix, stride or size.
//
// Stage (radix r, stride s, m = n_stage / r) maps x → y:
//   a_j = x[q + s·(p + j·m)], j < r;   y[q + s·(r·p + k)] = (Σ_j a_j·e^{−2πi jk/r}) · w^{p·k}
// for p < m, q < s, with w = e^{−2πi/(r·m)}; the next stage reads y with stride s·r.
//
// Stages are a MixedStage table (assembly/layouts.ts) at `desc`; the twiddles of a stage are
// f32 values from its `tw` index: index p·(r−1) + k − 1 holds w^{p·k} (one value for all lanes).

import { MixedStage } from './layouts';

const C3: f32 = 0.8660254037844386; // sin(2π/3)
const C5A: f32 = 0.30901699437494745; // cos(2π/5)
const C5B: f32 = -0.8090169943749475; // cos(4π/5)
const S5A: f32 = 0.9510565162951535; // sin(2π/5)
const S5B: f32 = 0.5877852522924731; // sin(4π/5)

// @ts-ignore: decorator
@inline function lv(p: usize, i: usize): v128 { return v128.load(p + (i << 4)); }
// @ts-ignore: decorator
@inline function sv(p: usize, i: usize, v: v128): void { v128.store(p + (i << 4), v); }
/** Twiddle i of an f32 table, in all four lanes. */
// @ts-ignore: decorator
@inline function tw(p: usize, i: usize): v128 { return v128.load32_splat(p + (i << 2)); }

// One butterfly of each radix, on byte addresses: inputs a_j at (xr, xi) + j·js, outputs
// y_k = b_k·w_k at (yr, yi) + k·os (no multiply when `unit`). jN = N·js and oN = N·os are
// passed in, computed once per stage.

/** Stores b·w at (yr, yi) (b itself when `unit`: the twiddle is 1, at p = 0). */
// @ts-ignore: decorator
@inline function outP(yr: usize, yi: usize, br: v128, bi: v128, wr: v128, wi: v128, unit: bool): void {
  if (unit) {
    v128.store(yr, br); v128.store(yi, bi);
  } else {
    v128.store(yr, f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi)));
    v128.store(yi, f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr)));
  }
}

// @ts-ignore: decorator
@inline function bf4(
  xr: usize, xi: usize, yr: usize, yi: usize, j1: usize, j2: usize, j3: usize, o1: usize, o2: usize, o3: usize,
  w1r: v128, w1i: v128, w2r: v128, w2i: v128, w3r: v128, w3i: v128, unit: bool,
): void {
  const a0r = v128.load(xr), a0i = v128.load(xi), a1r = v128.load(xr + j1), a1i = v128.load(xi + j1);
  const a2r = v128.load(xr + j2), a2i = v128.load(xi + j2), a3r = v128.load(xr + j3), a3i = v128.load(xi + j3);
  const t0r = f32x4.add(a0r, a2r), t0i = f32x4.add(a0i, a2i), t1r = f32x4.sub(a0r, a2r), t1i = f32x4.sub(a0i, a2i);
  const t2r = f32x4.add(a1r, a3r), t2i = f32x4.add(a1i, a3i);
  const t3r = f32x4.sub(a1i, a3i), t3i = f32x4.sub(a3r, a1r); // (−i)(a1 − a3)
  v128.store(yr, f32x4.add(t0r, t2r)); v128.store(yi, f32x4.add(t0i, t2i));
  outP(yr + o1, yi + o1, f32x4.add(t1r, t3r), f32x4.add(t1i, t3i), w1r, w1i, unit);
  outP(yr + o2, yi + o2, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i), w2r, w2i, unit);
  outP(yr + o3, yi + o3, f32x4.sub(t1r, t3r), f32x4.sub(t1i, t3i), w3r, w3i, unit);
}

// @ts-ignore: decorator
@inline function bf2(xr: usize, xi: usize, yr: usize, yi: usize, j1: usize, o1: usize, w1r: v128, w1i: v128, unit: bool): void {
  const a0r = v128.load(xr), a0i = v128.load(xi), a1r = v128.load(xr + j1), a1i = v128.load(xi + j1);
  v128.store(yr, f32x4.add(a0r, a1r)); v128.store(yi, f32x4.add(a0i, a1i));
  outP(yr + o1, yi + o1, f32x4.sub(a0r, a1r), f32x4.sub(a0i, a1i), w1r, w1i, unit);
}

// @ts-ignore: decorator
@inline function bf3(
  xr: usize, xi: usize, yr: usize, yi: usize, j1: usize, j2: usize, o1: usize, o2: usize,
  w1r: v128, w1i: v128, w2r: v128, w2i: v128, unit: bool,
): void {
  const half = f32x4.splat(0.5), c3 = f32x4.splat(C3);
  const a0r = v128.load(xr), a0i = v128.load(xi), a1r = v128.load(xr + j1), a1i = v128.load(xi + j1);
  const a2r = v128.load(xr + j2), a2i = v128.load(xi + j2);
  const tr = f32x4.add(a1r, a2r), ti = f32x4.add(a1i, a2i);
  const ur = f32x4.mul(c3, f32x4.sub(a1r, a2r)), ui = f32x4.mul(c3, f32x4.sub(a1i, a2i));
  const mr = f32x4.sub(a0r, f32x4.mul(half, tr)), mi = f32x4.sub(a0i, f32x4.mul(half, ti));
  v128.store(yr, f32x4.add(a0r, tr)); v128.store(yi, f32x4.add(a0i, ti));
  // b1 = m − i·u, b2 = m + i·u
  outP(yr + o1, yi + o1, f32x4.add(mr, ui), f32x4.sub(mi, ur), w1r, w1i, unit);
  outP(yr + o2, yi + o2, f32x4.sub(mr, ui), f32x4.add(mi, ur), w2r, w2i, unit);
}

// @ts-ignore: decorator
@inline function bf5(
  xr: usize, xi: usize, yr: usize, yi: usize, j1: usize, j2: usize, j3: usize, j4: usize,
  o1: usize, o2: usize, o3: usize, o4: usize,
  w1r: v128, w1i: v128, w2r: v128, w2i: v128, w3r: v128, w3i: v128, w4r: v128, w4i: v128, unit: bool,
): void {
  const ca = f32x4.splat(C5A), cb = f32x4.splat(C5B), sa = f32x4.splat(S5A), sb = f32x4.splat(S5B);
  const a0r = v128.load(xr), a0i = v128.load(xi);
  const a1r = v128.load(xr + j1), a1i = v128.load(xi + j1), a2r = v128.load(xr + j2), a2i = v128.load(xi + j2);
  const a3r = v128.load(xr + j3), a3i = v128.load(xi + j3), a4r = v128.load(xr + j4), a4i = v128.load(xi + j4);
  const t1r = f32x4.add(a1r, a4r), t1i = f32x4.add(a1i, a4i), t2r = f32x4.add(a2r, a3r), t2i = f32x4.add(a2i, a3i);
  const t3r = f32x4.sub(a1r, a4r), t3i = f32x4.sub(a1i, a4i), t4r = f32x4.sub(a2r, a3r), t4i = f32x4.sub(a2i, a3i);
  const m1r = f32x4.add(a0r, f32x4.add(f32x4.mul(ca, t1r), f32x4.mul(cb, t2r)));
  const m1i = f32x4.add(a0i, f32x4.add(f32x4.mul(ca, t1i), f32x4.mul(cb, t2i)));
  const m2r = f32x4.add(a0r, f32x4.add(f32x4.mul(cb, t1r), f32x4.mul(ca, t2r)));
  const m2i = f32x4.add(a0i, f32x4.add(f32x4.mul(cb, t1i), f32x4.mul(ca, t2i)));
  const n1r = f32x4.add(f32x4.mul(sa, t3r), f32x4.mul(sb, t4r)), n1i = f32x4.add(f32x4.mul(sa, t3i), f32x4.mul(sb, t4i));
  const n2r = f32x4.sub(f32x4.mul(sb, t3r), f32x4.mul(sa, t4r)), n2i = f32x4.sub(f32x4.mul(sb, t3i), f32x4.mul(sa, t4i));
  v128.store(yr, f32x4.add(a0r, f32x4.add(t1r, t2r))); v128.store(yi, f32x4.add(a0i, f32x4.add(t1i, t2i)));
  // b1 = m1 − i·n1, b4 = m1 + i·n1, b2 = m2 − i·n2, b3 = m2 + i·n2
  outP(yr + o1, yi + o1, f32x4.add(m1r, n1i), f32x4.sub(m1i, n1r), w1r, w1i, unit);
  outP(yr + o2, yi + o2, f32x4.add(m2r, n2i), f32x4.sub(m2i, n2r), w2r, w2i, unit);
  outP(yr + o3, yi + o3, f32x4.sub(m2r, n2i), f32x4.add(m2i, n2r), w3r, w3i, unit);
  outP(yr + o4, yi + o4, f32x4.sub(m1r, n1i), f32x4.add(m1i, n1r), w4r, w4i, unit);
}

// @ts-ignore: decorator
@inline function bf8(
  xr: usize, xi: usize, yr: usize, yi: usize, js: usize, os: usize, twr: usize, twi: usize, t: usize, unit: bool,
): void {
  // u_j = a_j + a_{j+4}, v_j = (a_j − a_{j+4})·W8^j; b_{2k} = DFT4(u)_k, b_{2k+1} = DFT4(v)_k.
  const h = f32x4.splat(0.7071067811865476); // √½
  const j4 = js << 2;
  let ar = v128.load(xr), ai = v128.load(xi), br = v128.load(xr + j4), bi = v128.load(xi + j4);
  const u0r = f32x4.add(ar, br), u0i = f32x4.add(ai, bi), v0r = f32x4.sub(ar, br), v0i = f32x4.sub(ai, bi);
  ar = v128.load(xr + js); ai = v128.load(xi + js); br = v128.load(xr + j4 + js); bi = v128.load(xi + j4 + js);
  const u1r = f32x4.add(ar, br), u1i = f32x4.add(ai, bi);
  let dr = f32x4.sub(ar, br), di = f32x4.sub(ai, bi);
  const v1r = f32x4.mul(h, f32x4.add(dr, di)), v1i = f32x4.mul(h, f32x4.sub(di, dr)); // ·(1 − i)/√2
  ar = v128.load(xr + 2 * js); ai = v128.load(xi + 2 * js); br = v128.load(xr + 6 * js); bi = v128.load(xi + 6 * js);
  const u2r = f32x4.add(ar, br), u2i = f32x4.add(ai, bi);
  const v2r = f32x4.sub(ai, bi), v2i = f32x4.sub(br, ar); // ·(−i)
  ar = v128.load(xr + 3 * js); ai = v128.load(xi + 3 * js); br = v128.load(xr + 7 * js); bi = v128.load(xi + 7 * js);
  const u3r = f32x4.add(ar, br), u3i = f32x4.add(ai, bi);
  dr = f32x4.sub(ar, br); di = f32x4.sub(ai, bi);
  const v3r = f32x4.mul(h, f32x4.sub(di, dr)), v3i = f32x4.neg(f32x4.mul(h, f32x4.add(dr, di))); // ·(−1 − i)/√2
  // DFT4 of u → b0, b2, b4, b6
  let t0r = f32x4.add(u0r, u2r), t0i = f32x4.add(u0i, u2i), t1r = f32x4.sub(u0r, u2r), t1i = f32x4.sub(u0i, u2i);
  let t2r = f32x4.add(u1r, u3r), t2i = f32x4.add(u1i, u3i), t3r = f32x4.sub(u1i, u3i), t3i = f32x4.sub(u3r, u1r);
  v128.store(yr, f32x4.add(t0r, t2r)); v128.store(yi, f32x4.add(t0i, t2i));
  outP(yr + 2 * os, yi + 2 * os, f32x4.add(t1r, t3r), f32x4.add(t1i, t3i), tw(twr, t + 1), tw(twi, t + 1), unit);
  outP(yr + 4 * os, yi + 4 * os, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i), tw(twr, t + 3), tw(twi, t + 3), unit);
  outP(yr + 6 * os, yi + 6 * os, f32x4.sub(t1r, t3r), f32x4.sub(t1i, t3i), tw(twr, t + 5), tw(twi, t + 5), unit);
  // DFT4 of v → b1, b3, b5, b7
  t0r = f32x4.add(v0r, v2r); t0i = f32x4.add(v0i, v2i); t1r = f32x4.sub(v0r, v2r); t1i = f32x4.sub(v0i, v2i);
  t2r = f32x4.add(v1r, v3r); t2i = f32x4.add(v1i, v3i); t3r = f32x4.sub(v1i, v3i); t3i = f32x4.sub(v3r, v1r);
  outP(yr + os, yi + os, f32x4.add(t0r, t2r), f32x4.add(t0i, t2i), tw(twr, t), tw(twi, t), unit);
  outP(yr + 3 * os, yi + 3 * os, f32x4.add(t1r, t3r), f32x4.add(t1i, t3i), tw(twr, t + 2), tw(twi, t + 2), unit);
  outP(yr + 5 * os, yi + 5 * os, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i), tw(twr, t + 4), tw(twi, t + 4), unit);
  outP(yr + 7 * os, yi + 7 * os, f32x4.sub(t1r, t3r), f32x4.sub(t1i, t3i), tw(twr, t + 6), tw(twi, t + 6), unit);
}

/**
 * One stage of radix r ∈ {2, 3, 4, 5, 8}: column p = 0 without twiddles, then p ≥ 1 with the
 * twiddles of column p loaded once for its s butterflies. Element addresses advance by 16 bytes
 * per q; column p reads from byte p·s·16 and writes from byte p·r·s·16.
 */
function stageSmall(xr: usize, xi: usize, yr: usize, yi: usize, r: i32, s: usize, m: usize, twr: usize, twi: usize): void {
  const js = (s * m) << 4, os = s << 4, ur = <usize>r;
  const j2 = js << 1, j3 = js * 3, j4 = js << 2, o2 = os << 1, o3 = os * 3, o4 = os << 2;
  const end = os; // bytes of one column's q range
  const one = f32x4.splat(1); // placeholders of the p = 0 butterflies (not read)
  if (r == 8) {
    // Twiddles are loaded per butterfly (14 values would not stay in registers).
    for (let q: usize = 0; q < end; q += 16) bf8(xr + q, xi + q, yr + q, yi + q, js, os, twr, twi, 0, true);
    for (let p: usize = 1; p < m; p++) {
      const ib = p * os, ob = p * ur * os, t = p * 7;
      const pxr = xr + ib, pxi = xi + ib, pyr = yr + ob, pyi = yi + ob;
      for (let q: usize = 0; q < end; q += 16) bf8(pxr + q, pxi + q, pyr + q, pyi + q, js, os, twr, twi, t, false);
    }
  } else if (r == 4) {
    for (let q: usize = 0; q < end; q += 16) bf4(xr + q, xi + q, yr + q, yi + q, js, j2, j3, os, o2, o3, one, one, one, one, one, one, true);
    for (let p: usize = 1; p < m; p++) {
      const t = p * 3;
      const w1r = tw(twr, t), w1i = tw(twi, t), w2r = tw(twr, t + 1), w2i = tw(twi, t + 1), w3r = tw(twr, t + 2), w3i = tw(twi, t + 2);
      const ib = p * os, ob = p * ur * os;
      const pxr = xr + ib, pxi = xi + ib, pyr = yr + ob, pyi = yi + ob;
      for (let q: usize = 0; q < end; q += 16) {
        bf4(pxr + q, pxi + q, pyr + q, pyi + q, js, j2, j3, os, o2, o3, w1r, w1i, w2r, w2i, w3r, w3i, false);
      }
    }
  } else if (r == 2) {
    for (let q: usize = 0; q < end; q += 16) bf2(xr + q, xi + q, yr + q, yi + q, js, os, one, one, true);
    for (let p: usize = 1; p < m; p++) {
      const w1r = tw(twr, p), w1i = tw(twi, p);
      const ib = p * os, ob = p * ur * os;
      const pxr = xr + ib, pxi = xi + ib, pyr = yr + ob, pyi = yi + ob;
      for (let q: usize = 0; q < end; q += 16) bf2(pxr + q, pxi + q, pyr + q, pyi + q, js, os, w1r, w1i, false);
    }
  } else if (r == 3) {
    for (let q: usize = 0; q < end; q += 16) bf3(xr + q, xi + q, yr + q, yi + q, js, j2, os, o2, one, one, one, one, true);
    for (let p: usize = 1; p < m; p++) {
      const t = p * 2;
      const w1r = tw(twr, t), w1i = tw(twi, t), w2r = tw(twr, t + 1), w2i = tw(twi, t + 1);
      const ib = p * os, ob = p * ur * os;
      const pxr = xr + ib, pxi = xi + ib, pyr = yr + ob, pyi = yi + ob;
      for (let q: usize = 0; q < end; q += 16) bf3(pxr + q, pxi + q, pyr + q, pyi + q, js, j2, os, o2, w1r, w1i, w2r, w2i, false);
    }
  } else {
    for (let q: usize = 0; q < end; q += 16) {
      bf5(xr + q, xi + q, yr + q, yi + q, js, j2, j3, j4, os, o2, o3, o4, one, one, one, one, one, one, one, one, true);
    }
    for (let p: usize = 1; p < m; p++) {
      const t = p * 4;
      const w1r = tw(twr, t), w1i = tw(twi, t), w2r = tw(twr, t + 1), w2i = tw(twi, t + 1);
      const w3r = tw(twr, t + 2), w3i = tw(twi, t + 2), w4r = tw(twr, t + 3), w4i = tw(twi, t + 3);
      const ib = p * os, ob = p * ur * os;
      const pxr = xr + ib, pxi = xi + ib, pyr = yr + ob, pyi = yi + ob;
      for (let q: usize = 0; q < end; q += 16) {
        bf5(pxr + q, pxi + q, pyr + q, pyi + q, js, j2, j3, j4, os, o2, o3, o4, w1r, w1i, w2r, w2i, w3r, w3i, w4r, w4i, false);
      }
    }
  }
}

/** Stores b·w at element i. */
// @ts-ignore: decorator
@inline function outV(yr: usize, yi: usize, i: usize, br: v128, bi: v128, wr: v128, wi: v128): void {
  sv(yr, i, f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi)));
  sv(yi, i, f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr)));
}

/**
 * Generic odd radix r = 2h + 1 with symmetric pairs: t_j = a_j + a_{r−j}, u_j = a_j − a_{r−j},
 * b_k = a_0 + Σ_j cos(2πjk/r)·t_j − i·Σ_j sin(2πjk/r)·u_j and b_{r−k} its +i partner.
 * `scratch` holds 4h v128 (t re, t im, u re, u im).
 */
function stageOdd(
  xr: usize, xi: usize, yr: usize, yi: usize, r: i32, s: usize, m: usize, twr: usize, twi: usize,
  cosT: usize, sinT: usize, scratch: usize,
): void {
  const ur = <usize>r, uh = <usize>((r - 1) >> 1);
  const jStride = s * m;
  for (let p: usize = 0; p < m; p++) {
    const t0 = p * (ur - 1);
    const inBase = p * s, outBase = s * ur * p;
    for (let q: usize = 0; q < s; q++) {
      const i0 = inBase + q, o0 = outBase + q;
      const a0r = lv(xr, i0), a0i = lv(xi, i0);
      let b0r = a0r, b0i = a0i;
      for (let j: usize = 1; j <= uh; j++) {
        const pr = lv(xr, i0 + j * jStride), pi = lv(xi, i0 + j * jStride);
        const nr = lv(xr, i0 + (ur - j) * jStride), ni = lv(xi, i0 + (ur - j) * jStride);
        const tr = f32x4.add(pr, nr), ti = f32x4.add(pi, ni);
        sv(scratch, j - 1, tr); sv(scratch, uh + j - 1, ti);
        sv(scratch, 2 * uh + j - 1, f32x4.sub(pr, nr)); sv(scratch, 3 * uh + j - 1, f32x4.sub(pi, ni));
        b0r = f32x4.add(b0r, tr); b0i = f32x4.add(b0i, ti);
      }
      sv(yr, o0, b0r); sv(yi, o0, b0i);
      for (let k: usize = 1; k <= uh; k++) {
        let mr = a0r, mi = a0i, nr = f32x4.splat(0), ni = f32x4.splat(0);
        for (let j: usize = 1; j <= uh; j++) {
          const t = (j * k) % ur;
          const c = tw(cosT, t), sn = tw(sinT, t);
          mr = f32x4.add(mr, f32x4.mul(c, lv(scratch, j - 1)));
          mi = f32x4.add(mi, f32x4.mul(c, lv(scratch, uh + j - 1)));
          nr = f32x4.add(nr, f32x4.mul(sn, lv(scratch, 2 * uh + j - 1)));
          ni = f32x4.add(ni, f32x4.mul(sn, lv(scratch, 3 * uh + j - 1)));
        }
        const k2 = ur - k;
        outV(yr, yi, o0 + k * s, f32x4.add(mr, ni), f32x4.sub(mi, nr), tw(twr, t0 + k - 1), tw(twi, t0 + k - 1));
        outV(yr, yi, o0 + k2 * s, f32x4.sub(mr, ni), f32x4.add(mi, nr), tw(twr, t0 + k2 - 1), tw(twi, t0 + k2 - 1));
      }
    }
  }
}

/**
 * Runs every stage from (aRe, aIm), ping-ponging with (bRe, bIm). Returns 0 when the result
 * ends in a, 1 when in b.
 */
export function mixedStages(
  aRe: usize, aIm: usize, bRe: usize, bIm: usize, desc: usize, nStages: i32, twRe: usize, twIm: usize,
  scratch: usize,
): i32 {
  let xr = aRe, xi = aIm, yr = bRe, yi = bIm;
  for (let i = 0; i < nStages; i++) {
    const d = changetype<MixedStage>(desc + <usize>i * offsetof<MixedStage>());
    const r = d.r, s = <usize>d.s, m = <usize>d.m;
    const off = <usize>d.tw << 2;
    const twr = twRe + off, twi = twIm + off;
    if (r <= 5 || r == 8) stageSmall(xr, xi, yr, yi, r, s, m, twr, twi);
    else {
      const dft = <usize>d.dft << 2;
      stageOdd(xr, xi, yr, yi, r, s, m, twr, twi, twRe + dft, twIm + dft, scratch);
    }
    const tr = xr, ti = xi;
    xr = yr; xi = yi; yr = tr; yi = ti;
  }
  return nStages & 1;
}
