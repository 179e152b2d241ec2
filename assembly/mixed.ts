// Mixed-radix (2, 3, 4, 5, and generic odd 7, 11, 13) complex FFT, Stockham autosort, decimation in frequency, on split
// re / im arrays. Used for the packed half-size DFT of window lengths such as 160, 320, 400,
// 480 (M = 80, 160, 200, 240), which would otherwise need Bluestein's two larger FFTs.
//
// Stage (radix r, stride s, m = n_stage / r) maps x → y:
//   a_j = x[q + s·(p + j·m)], j < r;   y[q + s·(r·p + k)] = (Σ_j a_j·e^{−2πi jk/r}) · w^{p·k}
// for p < m, q < s, with w = e^{−2πi/(r·m)}; the next stage reads y with stride s·r. The
// stage-1 loop (s = 1) is scalar; later stages run four q at a time (f32x4), scalar tail.
//
// Stages are a MixedStage table (assembly/layouts.ts) at `desc`; the twiddles of a stage are
// m·(r−1) values from its `tw` index: index p·(r−1) + k − 1 holds w^{p·k}.

import { MixedStage } from './layouts';

const C3: f32 = 0.8660254037844386; // sin(2π/3)
const C5A: f32 = 0.30901699437494745; // cos(2π/5)
const C5B: f32 = -0.8090169943749475; // cos(4π/5)
const S5A: f32 = 0.9510565162951535; // sin(2π/5)
const S5B: f32 = 0.5877852522924731; // sin(4π/5)

// @ts-ignore: decorator
@inline function ld(p: usize, i: usize): f32 { return load<f32>(p + (i << 2)); }
// @ts-ignore: decorator
@inline function st(p: usize, i: usize, v: f32): void { store<f32>(p + (i << 2), v); }
// @ts-ignore: decorator
@inline function lv(p: usize, i: usize): v128 { return v128.load(p + (i << 2)); }
// @ts-ignore: decorator
@inline function sv(p: usize, i: usize, v: v128): void { v128.store(p + (i << 2), v); }

/** Stores b·w at index i (w = twiddle k of column p; k = 0 means w = 1). */
// @ts-ignore: decorator
@inline function outS(yr: usize, yi: usize, i: usize, br: f32, bi: f32, wr: f32, wi: f32): void {
  st(yr, i, br * wr - bi * wi);
  st(yi, i, br * wi + bi * wr);
}
// @ts-ignore: decorator
@inline function outV(yr: usize, yi: usize, i: usize, br: v128, bi: v128, wr: v128, wi: v128): void {
  sv(yr, i, f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi)));
  sv(yi, i, f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr)));
}

function stage(
  xr: usize, xi: usize, yr: usize, yi: usize, r: i32, s: i32, m: i32, twr: usize, twi: usize,
): void {
  const us = <usize>s, um = <usize>m;
  for (let p = 0; p < m; p++) {
    const up = <usize>p;
    const tw = up * <usize>(r - 1);
    const inBase = up * us; // q + s·(p + j·m) = inBase + q + j·s·m
    const jStride = us * um;
    const outBase = us * <usize>r * up; // q + s·(r·p + k) = outBase + q + k·s
    let q = 0;
    if (r == 4) {
      const w1r = ld(twr, tw), w1i = ld(twi, tw), w2r = ld(twr, tw + 1), w2i = ld(twi, tw + 1);
      const w3r = ld(twr, tw + 2), w3i = ld(twi, tw + 2);
      const v1r = f32x4.splat(w1r), v1i = f32x4.splat(w1i), v2r = f32x4.splat(w2r), v2i = f32x4.splat(w2i);
      const v3r = f32x4.splat(w3r), v3i = f32x4.splat(w3i);
      for (; q + 4 <= s; q += 4) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = lv(xr, i0), a0i = lv(xi, i0), a1r = lv(xr, i0 + jStride), a1i = lv(xi, i0 + jStride);
        const a2r = lv(xr, i0 + 2 * jStride), a2i = lv(xi, i0 + 2 * jStride);
        const a3r = lv(xr, i0 + 3 * jStride), a3i = lv(xi, i0 + 3 * jStride);
        const t0r = f32x4.add(a0r, a2r), t0i = f32x4.add(a0i, a2i), t1r = f32x4.sub(a0r, a2r), t1i = f32x4.sub(a0i, a2i);
        const t2r = f32x4.add(a1r, a3r), t2i = f32x4.add(a1i, a3i);
        const t3r = f32x4.sub(a1i, a3i), t3i = f32x4.sub(a3r, a1r); // (−i)(a1 − a3)
        sv(yr, o0, f32x4.add(t0r, t2r)); sv(yi, o0, f32x4.add(t0i, t2i));
        outV(yr, yi, o0 + us, f32x4.add(t1r, t3r), f32x4.add(t1i, t3i), v1r, v1i);
        outV(yr, yi, o0 + 2 * us, f32x4.sub(t0r, t2r), f32x4.sub(t0i, t2i), v2r, v2i);
        outV(yr, yi, o0 + 3 * us, f32x4.sub(t1r, t3r), f32x4.sub(t1i, t3i), v3r, v3i);
      }
      for (; q < s; q++) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = ld(xr, i0), a0i = ld(xi, i0), a1r = ld(xr, i0 + jStride), a1i = ld(xi, i0 + jStride);
        const a2r = ld(xr, i0 + 2 * jStride), a2i = ld(xi, i0 + 2 * jStride);
        const a3r = ld(xr, i0 + 3 * jStride), a3i = ld(xi, i0 + 3 * jStride);
        const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
        const t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1i - a3i, t3i = a3r - a1r;
        st(yr, o0, t0r + t2r); st(yi, o0, t0i + t2i);
        outS(yr, yi, o0 + us, t1r + t3r, t1i + t3i, w1r, w1i);
        outS(yr, yi, o0 + 2 * us, t0r - t2r, t0i - t2i, w2r, w2i);
        outS(yr, yi, o0 + 3 * us, t1r - t3r, t1i - t3i, w3r, w3i);
      }
    } else if (r == 2) {
      const w1r = ld(twr, tw), w1i = ld(twi, tw);
      const v1r = f32x4.splat(w1r), v1i = f32x4.splat(w1i);
      for (; q + 4 <= s; q += 4) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = lv(xr, i0), a0i = lv(xi, i0), a1r = lv(xr, i0 + jStride), a1i = lv(xi, i0 + jStride);
        sv(yr, o0, f32x4.add(a0r, a1r)); sv(yi, o0, f32x4.add(a0i, a1i));
        outV(yr, yi, o0 + us, f32x4.sub(a0r, a1r), f32x4.sub(a0i, a1i), v1r, v1i);
      }
      for (; q < s; q++) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = ld(xr, i0), a0i = ld(xi, i0), a1r = ld(xr, i0 + jStride), a1i = ld(xi, i0 + jStride);
        st(yr, o0, a0r + a1r); st(yi, o0, a0i + a1i);
        outS(yr, yi, o0 + us, a0r - a1r, a0i - a1i, w1r, w1i);
      }
    } else if (r == 3) {
      const w1r = ld(twr, tw), w1i = ld(twi, tw), w2r = ld(twr, tw + 1), w2i = ld(twi, tw + 1);
      const v1r = f32x4.splat(w1r), v1i = f32x4.splat(w1i), v2r = f32x4.splat(w2r), v2i = f32x4.splat(w2i);
      const half = f32x4.splat(0.5), c3 = f32x4.splat(C3);
      for (; q + 4 <= s; q += 4) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = lv(xr, i0), a0i = lv(xi, i0), a1r = lv(xr, i0 + jStride), a1i = lv(xi, i0 + jStride);
        const a2r = lv(xr, i0 + 2 * jStride), a2i = lv(xi, i0 + 2 * jStride);
        const tr = f32x4.add(a1r, a2r), ti = f32x4.add(a1i, a2i);
        const ur = f32x4.mul(c3, f32x4.sub(a1r, a2r)), ui = f32x4.mul(c3, f32x4.sub(a1i, a2i));
        const mr = f32x4.sub(a0r, f32x4.mul(half, tr)), mi = f32x4.sub(a0i, f32x4.mul(half, ti));
        sv(yr, o0, f32x4.add(a0r, tr)); sv(yi, o0, f32x4.add(a0i, ti));
        // b1 = m − i·u, b2 = m + i·u
        outV(yr, yi, o0 + us, f32x4.add(mr, ui), f32x4.sub(mi, ur), v1r, v1i);
        outV(yr, yi, o0 + 2 * us, f32x4.sub(mr, ui), f32x4.add(mi, ur), v2r, v2i);
      }
      for (; q < s; q++) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = ld(xr, i0), a0i = ld(xi, i0), a1r = ld(xr, i0 + jStride), a1i = ld(xi, i0 + jStride);
        const a2r = ld(xr, i0 + 2 * jStride), a2i = ld(xi, i0 + 2 * jStride);
        const tr = a1r + a2r, ti = a1i + a2i;
        const ur = C3 * (a1r - a2r), ui = C3 * (a1i - a2i);
        const mr = a0r - <f32>0.5 * tr, mi = a0i - <f32>0.5 * ti;
        st(yr, o0, a0r + tr); st(yi, o0, a0i + ti);
        outS(yr, yi, o0 + us, mr + ui, mi - ur, w1r, w1i);
        outS(yr, yi, o0 + 2 * us, mr - ui, mi + ur, w2r, w2i);
      }
    } else {
      // r == 5
      const w1r = ld(twr, tw), w1i = ld(twi, tw), w2r = ld(twr, tw + 1), w2i = ld(twi, tw + 1);
      const w3r = ld(twr, tw + 2), w3i = ld(twi, tw + 2), w4r = ld(twr, tw + 3), w4i = ld(twi, tw + 3);
      const v1r = f32x4.splat(w1r), v1i = f32x4.splat(w1i), v2r = f32x4.splat(w2r), v2i = f32x4.splat(w2i);
      const v3r = f32x4.splat(w3r), v3i = f32x4.splat(w3i), v4r = f32x4.splat(w4r), v4i = f32x4.splat(w4i);
      const ca = f32x4.splat(C5A), cb = f32x4.splat(C5B), sa = f32x4.splat(S5A), sb = f32x4.splat(S5B);
      for (; q + 4 <= s; q += 4) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = lv(xr, i0), a0i = lv(xi, i0);
        const a1r = lv(xr, i0 + jStride), a1i = lv(xi, i0 + jStride);
        const a2r = lv(xr, i0 + 2 * jStride), a2i = lv(xi, i0 + 2 * jStride);
        const a3r = lv(xr, i0 + 3 * jStride), a3i = lv(xi, i0 + 3 * jStride);
        const a4r = lv(xr, i0 + 4 * jStride), a4i = lv(xi, i0 + 4 * jStride);
        const t1r = f32x4.add(a1r, a4r), t1i = f32x4.add(a1i, a4i), t2r = f32x4.add(a2r, a3r), t2i = f32x4.add(a2i, a3i);
        const t3r = f32x4.sub(a1r, a4r), t3i = f32x4.sub(a1i, a4i), t4r = f32x4.sub(a2r, a3r), t4i = f32x4.sub(a2i, a3i);
        const m1r = f32x4.add(a0r, f32x4.add(f32x4.mul(ca, t1r), f32x4.mul(cb, t2r)));
        const m1i = f32x4.add(a0i, f32x4.add(f32x4.mul(ca, t1i), f32x4.mul(cb, t2i)));
        const m2r = f32x4.add(a0r, f32x4.add(f32x4.mul(cb, t1r), f32x4.mul(ca, t2r)));
        const m2i = f32x4.add(a0i, f32x4.add(f32x4.mul(cb, t1i), f32x4.mul(ca, t2i)));
        const n1r = f32x4.add(f32x4.mul(sa, t3r), f32x4.mul(sb, t4r)), n1i = f32x4.add(f32x4.mul(sa, t3i), f32x4.mul(sb, t4i));
        const n2r = f32x4.sub(f32x4.mul(sb, t3r), f32x4.mul(sa, t4r)), n2i = f32x4.sub(f32x4.mul(sb, t3i), f32x4.mul(sa, t4i));
        sv(yr, o0, f32x4.add(a0r, f32x4.add(t1r, t2r))); sv(yi, o0, f32x4.add(a0i, f32x4.add(t1i, t2i)));
        // b1 = m1 − i·n1, b4 = m1 + i·n1, b2 = m2 − i·n2, b3 = m2 + i·n2
        outV(yr, yi, o0 + us, f32x4.add(m1r, n1i), f32x4.sub(m1i, n1r), v1r, v1i);
        outV(yr, yi, o0 + 2 * us, f32x4.add(m2r, n2i), f32x4.sub(m2i, n2r), v2r, v2i);
        outV(yr, yi, o0 + 3 * us, f32x4.sub(m2r, n2i), f32x4.add(m2i, n2r), v3r, v3i);
        outV(yr, yi, o0 + 4 * us, f32x4.sub(m1r, n1i), f32x4.add(m1i, n1r), v4r, v4i);
      }
      for (; q < s; q++) {
        const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
        const a0r = ld(xr, i0), a0i = ld(xi, i0);
        const a1r = ld(xr, i0 + jStride), a1i = ld(xi, i0 + jStride);
        const a2r = ld(xr, i0 + 2 * jStride), a2i = ld(xi, i0 + 2 * jStride);
        const a3r = ld(xr, i0 + 3 * jStride), a3i = ld(xi, i0 + 3 * jStride);
        const a4r = ld(xr, i0 + 4 * jStride), a4i = ld(xi, i0 + 4 * jStride);
        const t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
        const t3r = a1r - a4r, t3i = a1i - a4i, t4r = a2r - a3r, t4i = a2i - a3i;
        const m1r = a0r + C5A * t1r + C5B * t2r, m1i = a0i + C5A * t1i + C5B * t2i;
        const m2r = a0r + C5B * t1r + C5A * t2r, m2i = a0i + C5B * t1i + C5A * t2i;
        const n1r = S5A * t3r + S5B * t4r, n1i = S5A * t3i + S5B * t4i;
        const n2r = S5B * t3r - S5A * t4r, n2i = S5B * t3i - S5A * t4i;
        st(yr, o0, a0r + t1r + t2r); st(yi, o0, a0i + t1i + t2i);
        outS(yr, yi, o0 + us, m1r + n1i, m1i - n1r, w1r, w1i);
        outS(yr, yi, o0 + 2 * us, m2r + n2i, m2i - n2r, w2r, w2i);
        outS(yr, yi, o0 + 3 * us, m2r - n2i, m2i + n2r, w3r, w3i);
        outS(yr, yi, o0 + 4 * us, m1r - n1i, m1i + n1r, w4r, w4i);
      }
    }
  }
}

/**
 * Generic odd radix r = 2h + 1 with symmetric pairs: t_j = a_j + a_{r−j}, u_j = a_j − a_{r−j},
 * b_k = a_0 + Σ_j cos(2πjk/r)·t_j − i·Σ_j sin(2πjk/r)·u_j and b_{r−k} its +i partner.
 * `scratch` holds 4h v128 (t re, t im, u re, u im).
 */
function stageOdd(
  xr: usize, xi: usize, yr: usize, yi: usize, r: i32, s: i32, m: i32, twr: usize, twi: usize,
  cosT: usize, sinT: usize, scratch: usize,
): void {
  const h = (r - 1) >> 1;
  const us = <usize>s, um = <usize>m, uh = <usize>h;
  const jStride = us * um;
  for (let p = 0; p < m; p++) {
    const up = <usize>p;
    const tw = up * <usize>(r - 1);
    const inBase = up * us;
    const outBase = us * <usize>r * up;
    let q = 0;
    for (; q + 4 <= s; q += 4) {
      const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
      const a0r = lv(xr, i0), a0i = lv(xi, i0);
      let b0r = a0r, b0i = a0i;
      for (let j: usize = 1; j <= uh; j++) {
        const pr = lv(xr, i0 + j * jStride), pi = lv(xi, i0 + j * jStride);
        const nr = lv(xr, i0 + (<usize>r - j) * jStride), ni = lv(xi, i0 + (<usize>r - j) * jStride);
        const tr = f32x4.add(pr, nr), ti = f32x4.add(pi, ni);
        sv(scratch, (j - 1) << 2, tr); sv(scratch, (uh + j - 1) << 2, ti);
        sv(scratch, (2 * uh + j - 1) << 2, f32x4.sub(pr, nr)); sv(scratch, (3 * uh + j - 1) << 2, f32x4.sub(pi, ni));
        b0r = f32x4.add(b0r, tr); b0i = f32x4.add(b0i, ti);
      }
      sv(yr, o0, b0r); sv(yi, o0, b0i);
      for (let k: usize = 1; k <= uh; k++) {
        let mr = a0r, mi = a0i, nr = f32x4.splat(0), ni = f32x4.splat(0);
        for (let j: usize = 1; j <= uh; j++) {
          const t = (j * k) % <usize>r;
          const c = f32x4.splat(ld(cosT, t)), sn = f32x4.splat(ld(sinT, t));
          mr = f32x4.add(mr, f32x4.mul(c, lv(scratch, (j - 1) << 2)));
          mi = f32x4.add(mi, f32x4.mul(c, lv(scratch, (uh + j - 1) << 2)));
          nr = f32x4.add(nr, f32x4.mul(sn, lv(scratch, (2 * uh + j - 1) << 2)));
          ni = f32x4.add(ni, f32x4.mul(sn, lv(scratch, (3 * uh + j - 1) << 2)));
        }
        const k2 = <usize>r - k;
        outV(yr, yi, o0 + k * us, f32x4.add(mr, ni), f32x4.sub(mi, nr),
          f32x4.splat(ld(twr, tw + k - 1)), f32x4.splat(ld(twi, tw + k - 1)));
        outV(yr, yi, o0 + k2 * us, f32x4.sub(mr, ni), f32x4.add(mi, nr),
          f32x4.splat(ld(twr, tw + k2 - 1)), f32x4.splat(ld(twi, tw + k2 - 1)));
      }
    }
    for (; q < s; q++) {
      const i0 = inBase + <usize>q, o0 = outBase + <usize>q;
      const a0r = ld(xr, i0), a0i = ld(xi, i0);
      let b0r = a0r, b0i = a0i;
      for (let j: usize = 1; j <= uh; j++) {
        const pr = ld(xr, i0 + j * jStride), pi = ld(xi, i0 + j * jStride);
        const nr = ld(xr, i0 + (<usize>r - j) * jStride), ni = ld(xi, i0 + (<usize>r - j) * jStride);
        st(scratch, j - 1, pr + nr); st(scratch, uh + j - 1, pi + ni);
        st(scratch, 2 * uh + j - 1, pr - nr); st(scratch, 3 * uh + j - 1, pi - ni);
        b0r += pr + nr; b0i += pi + ni;
      }
      st(yr, o0, b0r); st(yi, o0, b0i);
      for (let k: usize = 1; k <= uh; k++) {
        let mr = a0r, mi = a0i, nr: f32 = 0, ni: f32 = 0;
        for (let j: usize = 1; j <= uh; j++) {
          const t = (j * k) % <usize>r;
          const c = ld(cosT, t), sn = ld(sinT, t);
          mr += c * ld(scratch, j - 1); mi += c * ld(scratch, uh + j - 1);
          nr += sn * ld(scratch, 2 * uh + j - 1); ni += sn * ld(scratch, 3 * uh + j - 1);
        }
        const k2 = <usize>r - k;
        outS(yr, yi, o0 + k * us, mr + ni, mi - nr, ld(twr, tw + k - 1), ld(twi, tw + k - 1));
        outS(yr, yi, o0 + k2 * us, mr - ni, mi + nr, ld(twr, tw + k2 - 1), ld(twi, tw + k2 - 1));
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
    const r = d.r;
    const off = <usize>d.tw << 2;
    if (r <= 5) {
      stage(xr, xi, yr, yi, r, d.s, d.m, twRe + off, twIm + off);
    } else {
      const dft = <usize>d.dft << 2;
      stageOdd(xr, xi, yr, yi, r, d.s, d.m, twRe + off, twIm + off, twRe + dft, twIm + dft, scratch);
    }
    const tr = xr, ti = xi;
    xr = yr; xi = yi; yr = tr; yi = ti;
  }
  return nStages & 1;
}
