// Small datasets built the way a user's subclass would: plain tensors assigned in the
// constructor, then validate(). Mirrors the reference test fixtures (deepSTRF's test suite).
import { AudioNeuralDataset, NeuralDataset, full, tensor, type Meta, type Tensor } from '../../src/index.js';

export const nan11 = (): Tensor => full('float32', [1, 1], NaN);
export const ones = (shape: number[], v = 1): Tensor => full('float32', shape, v);

/** A bare subclass: base state only, no validate() (for the "bare base" cases). */
export class BareDataset extends NeuralDataset {
  constructor(path = 'bare', dtMs = 1.0) {
    super(path, dtMs);
  }
}
export class BareAudioDataset extends AudioNeuralDataset {
  constructor(path = 'bare', dtMs = 1.0) {
    super(path, dtMs);
  }
}

/** Fields assigned then validated, like a user's loader. */
export class ManualDataset extends NeuralDataset {
  constructor(f: { stims: Tensor[]; responses: Tensor[][]; stimMeta: Meta[]; nrnMeta: Meta[]; dtMs?: number; path?: string }) {
    super(f.path ?? 'manual', f.dtMs ?? 1);
    this.stims = f.stims;
    this.responses = f.responses;
    this.stimMeta = f.stimMeta;
    this.nrnMeta = f.nrnMeta;
    this.nNeurons = f.nrnMeta.length;
    this.validate();
  }
}

export class ManualAudioDataset extends AudioNeuralDataset {
  constructor(f: {
    stims: Tensor[]; responses: Tensor[][]; stimMeta: Meta[]; nrnMeta: Meta[]; dtMs?: number; F?: number;
    audioFs?: number | null; hearingRangeHz?: [number, number] | null; path?: string;
  }) {
    super(f.path ?? 'manual-audio', f.dtMs ?? 1);
    this.stims = f.stims;
    this.responses = f.responses;
    this.stimMeta = f.stimMeta;
    this.nrnMeta = f.nrnMeta;
    this.nNeurons = f.nrnMeta.length;
    this.F = f.F ?? 4;
    this.audioFs = f.audioFs ?? null;
    this.hearingRangeHz = f.hearingRangeHz ?? null;
    this.validate();
  }
}

/**
 * test_stim_selection fixture: N neurons; S_est stims tagged subset 'est' then S_val tagged 'val';
 * stims zeros (1,4,8); responses ones(2,8)·(s+1); the last `estOnly` neurons get sentinels on
 * val stims, the `valOnly` neurons before them sentinels on est stims.
 */
export function selectionFixture(o: { N?: number; sEst?: number; sVal?: number; estOnly?: number; valOnly?: number } = {}) {
  const { N = 3, sEst = 4, sVal = 2, estOnly = 0, valOnly = 0 } = o;
  const S = sEst + sVal;
  const stims: Tensor[] = [];
  const responses: Tensor[][] = [];
  const stimMeta: Meta[] = [];
  for (let s = 0; s < S; s++) {
    const isVal = s >= sEst;
    stims.push(full('float32', [1, 4, 8], 0));
    stimMeta.push({ name: isVal ? `val${s - sEst}` : `est${s}`, subset: isVal ? 'val' : 'est' });
    const row: Tensor[] = [];
    for (let n = 0; n < N; n++) {
      const isEstOnly = n >= N - estOnly;
      const isValOnly = !isEstOnly && n >= N - estOnly - valOnly;
      const missing = (isVal && isEstOnly) || (!isVal && isValOnly);
      row.push(missing ? nan11() : ones([2, 8], s + 1));
    }
    responses.push(row);
  }
  const nrnMeta = Array.from({ length: N }, (_, n) => ({ uid: n }));
  return new ManualAudioDataset({ stims, responses, stimMeta, nrnMeta, F: 4 });
}

/** test_concat fixture: N neurons, S stims {name, type}, stims zeros(1,F,T), responses ones(3,T)·(s+1). */
export function concatFixture(N: number, S: number, o: { F?: number; T?: number; dtMs?: number; cls?: 'A' | 'B' } = {}) {
  const { F = 16, T = 10, dtMs = 1, cls = 'A' } = o;
  const Cls = cls === 'A' ? ConcatA : ConcatB;
  return new Cls(N, S, F, T, dtMs);
}
class ConcatBase extends AudioNeuralDataset {
  constructor(N: number, S: number, F: number, T: number, dtMs: number) {
    super(`path_${new.target.name}`, dtMs);
    for (let s = 0; s < S; s++) {
      this.stims.push(full('float32', [1, F, T], 0));
      this.stimMeta.push({ name: `s${s}`, type: 'synthetic' });
      this.responses.push(Array.from({ length: N }, () => ones([3, T], s + 1)));
    }
    this.nrnMeta = Array.from({ length: N }, (_, n) => ({ uid: n, area: 'X' }));
    this.nNeurons = N;
    this.F = F;
    this.validate();
  }
}
export class ConcatA extends ConcatBase {}
export class ConcatB extends ConcatBase {}

/** Predicate fixture: nrn_meta {uid, snr[, depthUm][, area]}, stim_meta with durationS. */
export function predicateFixture(nrnMeta: Meta[], stimMeta?: Meta[]) {
  const sm = stimMeta ?? [
    { name: 'est0', subset: 'est', durationS: 1.0 },
    { name: 'est1', subset: 'est', durationS: 2.0 },
    { name: 'est2', subset: 'est', durationS: 3.0 },
    { name: 'val0', subset: 'val', durationS: 2.5 },
    { name: 'val1', subset: 'val', durationS: 3.5 },
  ];
  return new ManualDataset({
    stims: sm.map(() => full('float32', [1, 4, 8], 0)),
    responses: sm.map(() => nrnMeta.map(() => ones([2, 8]))),
    stimMeta: sm,
    nrnMeta,
  });
}

export { tensor };
