/**
 * CRCNS-AA5 responses of one site from its prepared cache: the playback flags (misaligned,
 * overlapping the next playback, dropped), spike binning in the fixed −0.5 … 4.5 s window, the
 * auditory effect size, and per unit the (R, T) trial groups of each kept stimulus.
 * See docs/zoo/aa5.md.
 * @module
 */
import { defaultHeap } from '../memory/heap.js';
import { HeapTensor, NaNState } from '../memory/heap-tensor.js';
import type { Meta } from '../contract/types.js';
import { AA5_WINDOW_S } from './aa5-sites.js';

/** Python's `x or d` for a JSON value: null, absent, 0 and false give `d`; NaN stays. */
const or = (x: unknown, d: number): number => (x === null || x === undefined || x === 0 || x === false ? d : Number(x));
/** Python's `max(a, b)`: `b` only when `b > a` (so a NaN `a` wins). */
const pyMax = (a: number, b: number): number => (b > a ? b : a);

/** Playback rules (options of the dataset). @example `{ dropMisaligned: true, misalignTolMs: 25, dropNextPlaybackOverlap: true }` */
export interface AA5PlaybackRules {
  dropMisaligned: boolean;
  misalignTolMs: number;
  dropNextPlaybackOverlap: boolean;
}

/**
 * The three flags of a playback, as the reference computes them with Python truthiness:
 * `conf = (micPeak or 0) > 0.2 and micPeak / max(micSecond or 1e-3, 1e-3) > 1.5`,
 * `misaligned = conf and |micOffsetMs or 0| > tol`, `nextPlaybackOverlap = nextOnsetS < 4.5`.
 * @example
 * ```ts
 * aa5PlaybackFlags({ mic_peak: 0.5, mic_second: 0.1, mic_offset_ms: 100 }, rules).misaligned; // true
 * ```
 */
export function aa5PlaybackFlags(pb: Record<string, unknown>, r: AA5PlaybackRules): { misaligned: boolean; nextPlaybackOverlap: boolean; dropped: boolean } {
  const peak = or(pb.mic_peak, 0);
  const conf = peak > 0.2 && Number(pb.mic_peak) / pyMax(or(pb.mic_second, 1e-3), 1e-3) > 1.5;
  const misaligned = conf && Math.abs(or(pb.mic_offset_ms, 0)) > r.misalignTolMs;
  const next = pb.next_onset_s;
  const nextPlaybackOverlap = next !== null && next !== undefined && Number(next) < AA5_WINDOW_S[1];
  return { misaligned, nextPlaybackOverlap, dropped: (r.dropMisaligned && misaligned) || (r.dropNextPlaybackOverlap && nextPlaybackOverlap) };
}

/** The five arrays of `spikes.npz`, as numbers. @example `{ unit: [0], trial: [3], start: [0], stop: [2], spikeTimes: [0.1, 0.2] }` */
export interface AA5Spikes {
  unit: ArrayLike<number>;
  trial: ArrayLike<number>;
  start: ArrayLike<number>;
  stop: ArrayLike<number>;
  spikeTimes: ArrayLike<number>;
}

/** One unit's responses: `groups[stimIndex]` = its (R, T) counts and sorted trial ids. @example `u.groups.get(0)?.trials // [2, 3, 7]` */
export interface AA5UnitResponses {
  unit: number;
  groups: Map<number, { counts: HeapTensor; trials: number[] }>;
  nTrials: number;
  auditoryZ: number;
}

/**
 * Groups each unit's trial records of a site by stimulus and bins the kept ones straight into
 * the store (`(R, T)` cells in the wasm heap, rows sorted by trial id): spike t → bin
 * `floor((t + 0.5)·1000 / dtMs)`, kept when 0 ≤ bin < T. `stimOfTrial` maps a trial id to its
 * stimulus index for kept, non-dropped playbacks. Units without records, or without a group of
 * at least `minTrials` records, are left out.
 * @example
 * ```ts
 * const units = aa5SiteResponses(spikes, nUnits, new Map([[3, 0]]), { T: 1000, dtMs: 5, minTrials: 1 });
 * ```
 */
export function aa5SiteResponses(
  sp: AA5Spikes,
  nUnits: number,
  stimOfTrial: ReadonlyMap<number, number>,
  o: { T: number; dtMs: number; minTrials: number },
): AA5UnitResponses[] {
  const nRec = sp.unit.length;
  const { T, dtMs } = o;
  const t0 = -AA5_WINDOW_S[0];
  const dz = new Float64Array(nRec);
  const byUnit: number[][] = Array.from({ length: nUnits }, () => []);
  for (let r = 0; r < nRec; r++) {
    let post = 0, pre = 0;
    for (let j = sp.start[r]; j < sp.stop[r]; j++) {
      const t = sp.spikeTimes[j];
      if (t >= 0 && t < 0.5) post++;
      else if (t >= -0.5 && t < 0) pre++;
    }
    dz[r] = (post - pre) / 0.5;
    byUnit[sp.unit[r]]?.push(r);
  }
  const heap = defaultHeap();
  const out: AA5UnitResponses[] = [];
  byUnit.forEach((recs, unit) => {
    if (recs.length === 0) return;
    const bucket = new Map<number, number[]>();
    for (const r of recs) {
      const s = stimOfTrial.get(sp.trial[r]);
      if (s === undefined) continue;
      let b = bucket.get(s);
      if (!b) bucket.set(s, (b = []));
      b.push(r);
    }
    const groups = new Map<number, { counts: HeapTensor; trials: number[] }>();
    let nTrials = 0;
    for (const [s, rs] of bucket) {
      if (rs.length < o.minTrials) continue;
      rs.sort((a, b) => sp.trial[a] - sp.trial[b]);
      const counts = HeapTensor.allocate([rs.length, T], heap);
      counts.nanState = NaNState.Clean;
      const d = counts.data; // no allocation until this group is filled
      rs.forEach((r, i) => {
        for (let j = sp.start[r]; j < sp.stop[r]; j++) {
          const b = Math.floor(((sp.spikeTimes[j] + t0) * 1000) / dtMs);
          if (b >= 0 && b < T) d[i * T + b] += 1;
        }
      });
      groups.set(s, { counts, trials: rs.map((r) => sp.trial[r]) });
      nTrials += rs.length;
    }
    if (groups.size === 0) return;
    out.push({ unit, groups, nTrials, auditoryZ: effectSize(recs.map((r) => dz[r])) });
  });
  return out;
}

/** mean / population std of the records' dz; NaN for ≤ 1 record or zero spread. */
function effectSize(x: number[]): number {
  if (x.length <= 1) return NaN;
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
  return std > 0 ? mean / std : NaN;
}

/** snake_case → camelCase, for the cache's JSON keys. @example `camelKey('mic_offset_ms') // 'micOffsetMs'` */
export function camelKey(k: string): string {
  return k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A playback dict with camelCase keys and its three flags. @example `aa5PlaybackMeta({ trial: 0, call_type: 'Te' }, flags)` */
export function aa5PlaybackMeta(pb: Record<string, unknown>, flags: ReturnType<typeof aa5PlaybackFlags>): Meta {
  const out: Meta = {};
  for (const [k, v] of Object.entries(pb)) out[camelKey(k)] = v;
  return { ...out, ...flags };
}
