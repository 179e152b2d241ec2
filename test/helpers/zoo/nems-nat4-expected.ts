/** NAT4 values recomputed from the spec's rules (docs/zoo/nat4.md) on the fixture's formulas, independently of the loader. */
import { NAT4_CHANS, NAT4_T_TOTAL, defStart, nat4Resp, nat4SiteSpikes, nat4Stim } from './nems-nat4.js';

const halfEven = (x: number): number => {
  const f = Math.floor(x);
  const d = x - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
};

function globalMinMax(f: (t: number, c: number) => number, C: number): (t: number, c: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < NAT4_T_TOTAL; t++) for (let c = 0; c < C; c++) {
    const v = f(t, c);
    if (!Number.isNaN(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return (t, c) => (f(t, c) - lo) / (hi - lo);
}

export const normResp = globalMinMax(nat4Resp, 3);
export const normStim = globalMinMax((t, f) => Math.log1p(nat4Stim(t, f)), 18);

/** est sounds (name, first sample) then val. */
export const NAT4_EST = [['STIM_cat_b.wav', 300], ['STIM_cat_c.wav', 450], ['STIM_cat_d, x.wav', 600]] as const;
export const NAT4_VAL = [['STIM_00cat_a.wav', 0]] as const;

export function expectedStim(start: number): number[] {
  const out: number[] = [];
  for (let f = 0; f < 18; f++) for (let t = 0; t < 150; t++) out.push(Math.fround(normStim(start + t, f)));
  return out;
}

/** null = sentinel. */
export function expectedEst(start: number, n: number): number[] | null {
  const v = Array.from({ length: 150 }, (_, t) => Math.fround(normResp(start + t, n)));
  return v.every(Number.isNaN) ? null : v;
}

/** (20, 150) counts of a cell from its last site, by the spec's formulas. */
export function expectedVal(cell: string): number[] | null {
  const spikes = nat4SiteSpikes();
  const sites: Array<[string, number, (r: number) => [number, number]]> = [
    ['ABC001a', 40000, (r) => [2 * r, 2 * r + 1.5]],
    ['DEF002b', 40000, (r) => [defStart(r), defStart(r) + 1.5]],
  ];
  let out: number[] | null = null;
  for (const [site, total, ep] of sites) {
    const times = spikes[site][cell];
    if (!times) continue;
    out = [];
    for (let r = 0; r < 20; r++) {
      const [s, e] = ep(r);
      const a = halfEven(s * 1000);
      const b = halfEven(e * 1000);
      const row = new Array<number>(150).fill(0);
      for (const t of times) {
        const i = Math.floor(t * 1000);
        if (i >= 0 && i < total && i >= a && i < b) row[Math.floor((i - a) / 10)] += 1;
      }
      out.push(...row);
    }
  }
  return out;
}

export { NAT4_CHANS };
