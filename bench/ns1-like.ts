// The NS1-like dataset of the collate and loader benchmarks: S stimuli of F bands × T bins
// (T uniform in [T0, T1] per stimulus), N neurons, each cell R repeats (uniform in [R0, R1]) of
// spike-like counts; plain tensors packed by validate(), as a user's subclass would.
import { full, type Tensor } from '../src/tensor.js';
import { Rng } from '../src/util/random.js';
import { ManualDataset } from '../test/helpers/fixtures.js';

export interface Ns1LikeShape { name: string; B: number; N: number; R: [number, number]; T: [number, number]; F: number; S: number }

/** NS1's batch shape: B 8, N 73, R ≤ 20, T 400–600, F 34 (≈ 33 MB per batch). */
export const NS1_LIKE: Ns1LikeShape = { name: 'NS1-like', B: 8, N: 73, R: [1, 20], T: [400, 600], F: 34, S: 48 };

export function ns1LikeDataset(sh: Ns1LikeShape, seed = 1): ManualDataset {
  const rng = new Rng(seed);
  const pick = ([lo, hi]: [number, number]) => lo + rng.int(hi - lo + 1);
  const stims: Tensor[] = [];
  const responses: Tensor[][] = [];
  for (let s = 0; s < sh.S; s++) {
    const T = pick(sh.T);
    stims.push(full('float32', [1, sh.F, T], 0.5));
    responses.push(Array.from({ length: sh.N }, (_, n) => full('float32', [pick(sh.R), T], (s + n) % 4)));
  }
  return new ManualDataset({ stims, responses, stimMeta: stims.map((_, s) => ({ s })), nrnMeta: Array.from({ length: sh.N }, () => ({})) });
}
