/**
 * `SyntheticDataset`: the embedded default dataset. Deterministic from its seed, with every
 * irregularity real recordings have (ragged durations and repeat counts, structurally missing
 * pairs, NaN inside real cells, uneven metadata) and responses drawn from a known model, so
 * metrics have true answers to check against.
 *
 * Generative model, per neuron n: a spectro-temporal receptive field
 * `w[f, l] = A · exp(−(f − bf)² / 2σ²) · (g(l − l0, 1) − 0.5 · g(l − l0 − 2, 2))` with
 * `g(x, s) = exp(−x² / 2s²)`; drive `z(t) = Σ_f Σ_l w[f, l] · x[f, t − l]` (causal); expected
 * count per bin `λ(t) = rate · dt · softplus(gain · z(t) + bias)`; spikes ~ Poisson(λ(t)),
 * independently per repeat (or exactly λ for `noiseless: true`).
 * @module
 */
import { tensor, type Tensor } from '../tensor.js';
import { Rng } from '../util/random.js';
import { AudioNeuralDataset } from '../contract/audio-neural-dataset.js';
import { HeapTensor } from '../memory/heap-tensor.js';
import { defaultHeap } from '../memory/heap.js';

/** Options of {@link SyntheticDataset}; every field has a default. */
export interface SyntheticDatasetOptions {
  /** PRNG seed (default 0). Same seed, same dataset, on every platform. */
  seed?: number;
  /** Neurons N (default 32). */
  nNeurons?: number;
  /** Stimuli S (default 24). */
  nStims?: number;
  /** Spectrogram bands F (default 16). */
  nBands?: number;
  /** Response bin width in ms (default 5). */
  dtMs?: number;
  /** Stimulus duration range in bins, inclusive (default [80, 200]). */
  bins?: [number, number];
  /** Fraction of stimuli tagged `subset: 'val'` (many repeats); the rest are `'est'` (default 0.25). */
  valFraction?: number;
  /** Repeat-count range of val stimuli, inclusive (default [10, 20]). */
  valRepeats?: [number, number];
  /** Repeat-count range of est stimuli, inclusive (default [1, 2]). */
  estRepeats?: [number, number];
  /** Probability that a neuron heard a given est stimulus (default 0.8). */
  coverage?: number;
  /** Fraction of neurons, counted from the end, that never heard a val stimulus (default 0.1). */
  estOnlyFraction?: number;
  /** Fraction of real multi-repeat cells given a 5-bin NaN gap in one repeat (default 0.05). */
  nanFraction?: number;
  /** Responses equal the expected counts λ on every repeat (no Poisson noise). Default false. */
  noiseless?: boolean;
  /** STRF length in bins (default 8). */
  lags?: number;
  /**
   * Waveform mode (default false): each stimulus becomes a `(1, T · hop)` waveform synthesised
   * from its spectrogram (see {@link synthesizeWaveform}); responses are identical to
   * spectrogram mode, `F` keeps the band count, and `audioFs · dtMs / 1000` must be an integer.
   */
  returnWaveform?: boolean;
  /** Waveform sample rate in Hz (default 16000; used with `returnWaveform`). */
  audioFs?: number;
}

/** The model behind a {@link SyntheticDataset}'s responses. */
export interface SyntheticGroundTruth {
  /** `(N, F, lags)` STRFs. */
  strf: Tensor<'float32'>;
  /** Per stimulus, `(N, T_s)` expected spike count per bin λ (for every neuron, heard or not). */
  rates: Tensor<'float32'>[];
  /** Per neuron: true Sahani–Linden SNR var_t(λ) / mean_t(λ) over the val stimuli it heard (length-weighted). */
  snr: Float64Array;
}

const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));

/**
 * The embedded default dataset (spectrogram mode, no download).
 * @example
 * ```ts
 * const ds = new SyntheticDataset({ seed: 1 });
 * ds.selectStimsByAttr('subset', 'val');
 * const batch = neuralCollate([ds.get(0), ds.get(1)]);
 * ds.groundTruth.rates[0]; // what the responses are Poisson draws of
 * ```
 */
export class SyntheticDataset extends AudioNeuralDataset {
  /** The model the responses were drawn from. */
  readonly groundTruth: SyntheticGroundTruth;
  /** The options used, defaults filled in. */
  readonly options: Required<SyntheticDatasetOptions>;

  constructor(options: SyntheticDatasetOptions = {}) {
    const o: Required<SyntheticDatasetOptions> = {
      seed: 0, nNeurons: 32, nStims: 24, nBands: 16, dtMs: 5, bins: [80, 200], valFraction: 0.25,
      valRepeats: [10, 20], estRepeats: [1, 2], coverage: 0.8, estOnlyFraction: 0.1, nanFraction: 0.05,
      noiseless: false, lags: 8, returnWaveform: false, audioFs: 16000, ...options,
    };
    super(`synthetic:seed=${o.seed}`, o.dtMs);
    this.options = o;
    const rng = new Rng(o.seed);
    const { nNeurons: N, nStims: S, nBands: F, lags: L } = o;
    this.F = F;
    const nVal = Math.round(S * o.valFraction);
    const estOnlyFrom = N - Math.round(N * o.estOnlyFraction);
    const inRange = ([lo, hi]: [number, number]) => lo + rng.int(hi - lo + 1);

    // Stimuli: AR(1) noise over time, blurred across neighbouring bands.
    const stimData: Float32Array[] = [];
    for (let s = 0; s < S; s++) {
      const T = inRange(o.bins);
      const raw = new Float32Array(F * T);
      for (let f = 0; f < F; f++) {
        let v = rng.normal();
        for (let t = 0; t < T; t++) {
          v = 0.8 * v + 0.6 * rng.normal();
          raw[f * T + t] = v;
        }
      }
      const x = new Float32Array(F * T);
      for (let f = 0; f < F; f++) {
        for (let t = 0; t < T; t++) {
          const lo = raw[Math.max(f - 1, 0) * T + t], hi = raw[Math.min(f + 1, F - 1) * T + t];
          x[f * T + t] = 0.25 * lo + 0.5 * raw[f * T + t] + 0.25 * hi;
        }
      }
      stimData.push(x);
      this.stims.push(tensor('float32', [1, F, T], x));
      const subset = s >= S - nVal ? 'val' : 'est';
      this.stimMeta.push({ name: `stim${String(s).padStart(3, '0')}`, subset, durationS: (T * o.dtMs) / 1000 });
    }

    // Neurons: STRF, output nonlinearity, metadata.
    const strf = new Float32Array(N * F * L);
    const gain = new Float64Array(N), bias = new Float64Array(N), rate = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      const bf = rng.next() * (F - 1), sf = 1 + 2 * rng.next(), l0 = 1 + rng.int(3);
      const g = (x: number, w: number) => Math.exp(-(x * x) / (2 * w * w));
      let norm = 0;
      for (let f = 0; f < F; f++) {
        for (let l = 0; l < L; l++) {
          let w = g(f - bf, sf) * (g(l - l0, 1) - 0.5 * g(l - l0 - 2, 2));
          if (Math.abs(w) < 1e-6) w = 0; // far tails would be float32 denormals, 100× slower to multiply
          strf[(n * F + f) * L + l] = w;
          norm += w * w;
        }
      }
      for (let i = 0; i < F * L; i++) strf[n * F * L + i] /= Math.sqrt(norm) || 1;
      gain[n] = 0.5 + 1.5 * rng.next();
      bias[n] = -1 + rng.next();
      rate[n] = 20 + 80 * rng.next(); // spikes/s scale
      const single = rng.next() < 0.6;
      const meta: Record<string, unknown> = { cellId: `syn${String(n).padStart(3, '0')}`, area: n % 3 === 2 ? 'PEG' : 'A1', type: single ? 'single' : 'multi' };
      if (single) meta.depthUm = 100 + rng.int(900); // multi-units lack a depth
      this.nrnMeta.push(meta);
    }

    // Expected counts and responses.
    const rates: Tensor<'float32'>[] = [];
    const spSum = new Float64Array(N), npSum = new Float64Array(N), wSum = new Float64Array(N);
    const sentinel = AudioNeuralDataset.sentinel;
    const drive = new Float64Array(Math.max(o.bins[1], 1));
    // Responses go straight into the heap; if it runs out part way, the cells made so far are freed.
    defaultHeap().scope(() => {
      for (let s = 0; s < S; s++) {
        const x = stimData[s];
        const T = x.length / F;
        const lam = new Float32Array(N * T);
        for (let n = 0; n < N; n++) {
          // z(t) = Σ_f Σ_l w[f, l] · x[f, t − l], accumulated lag by lag over contiguous rows.
          drive.fill(0, 0, T);
          for (let f = 0; f < F; f++) {
            const row = f * T;
            for (let l = 0; l < L && l < T; l++) {
              const w = strf[(n * F + f) * L + l];
              for (let t = l; t < T; t++) drive[t] += w * x[row + t - l];
            }
          }
          const scale = (rate[n] * o.dtMs) / 1000;
          for (let t = 0; t < T; t++) lam[n * T + t] = scale * softplus(gain[n] * drive[t] + bias[n]);
        }
        rates.push(tensor('float32', [N, T], lam));
        const val = this.stimMeta[s].subset === 'val';
        const row: Tensor[] = [];
        for (let n = 0; n < N; n++) {
          const heard = val ? n < estOnlyFrom : rng.next() < o.coverage;
          if (!heard) {
            row.push(sentinel);
            continue;
          }
          const R = inRange(val ? o.valRepeats : o.estRepeats);
          // Written straight into the store: no second copy of the responses.
          const cell = HeapTensor.allocate([R, T]);
          const d = cell.data;
          for (let r = 0; r < R; r++) {
            for (let t = 0; t < T; t++) {
              const l = lam[n * T + t];
              d[r * T + t] = o.noiseless ? l : rng.poisson(l);
            }
          }
          if (R >= 2 && rng.next() < o.nanFraction) {
            const r = rng.int(R), t0 = rng.int(Math.max(1, T - 5));
            for (let t = t0; t < Math.min(T, t0 + 5); t++) d[r * T + t] = Number.NaN;
          }
          row.push(cell);
          if (val) {
            let m = 0;
            for (let t = 0; t < T; t++) m += lam[n * T + t];
            m /= T;
            let v = 0;
            for (let t = 0; t < T; t++) v += (lam[n * T + t] - m) ** 2;
            spSum[n] += v / (T - 1) * T;
            npSum[n] += m * T;
            wSum[n] += T;
          }
        }
        this.responses.push(row);
      }
    });
    const snr = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      snr[n] = wSum[n] > 0 ? spSum[n] / npSum[n] : Number.NaN;
      this.nrnMeta[n].snr = Number.isNaN(snr[n]) ? null : snr[n];
    }
    this.groundTruth = { strf: tensor('float32', [N, F, L], strf), rates, snr };
    this.nNeurons = N;
    if (o.returnWaveform) {
      // Synthesised after the responses, without touching the PRNG: responses stay identical.
      this.audioFs = o.audioFs;
      this.returnWaveform = true;
      const hop = (o.audioFs * o.dtMs) / 1000;
      if (Number.isInteger(hop) && hop > 0) this.stims = this.stims.map((st) => synthesizeWaveform(st, o.audioFs, hop));
      // otherwise validate() reports the broken grid lock
    }
    this.validate();
  }
}

/**
 * Renders a `(1, F, T)` spectrogram as a `(1, T · hop)` waveform: a sum over bands of
 * sinusoids at log-spaced centre frequencies (100 Hz to 0.4 · audioFs), band f's amplitude
 * during hop t being `softplus(x[f, t]) / F` (held over the hop), with continuous phase
 * (initial phase f radians). Deterministic; used by {@link SyntheticDataset}'s waveform mode.
 * @example
 * ```ts
 * const wave = synthesizeWaveform(spec, 16000, 80); // (1, 16, 100) → (1, 8000)
 * ```
 */
export function synthesizeWaveform(spec: Tensor, audioFs: number, hop: number): Tensor<'float32'> {
  const [, F, T] = spec.shape;
  const x = spec.data;
  const out = new Float32Array(T * hop);
  const acc = new Float64Array(T * hop);
  const fLo = 100, fHi = 0.4 * audioFs;
  for (let f = 0; f < F; f++) {
    const cf = F > 1 ? fLo * (fHi / fLo) ** (f / (F - 1)) : fLo;
    const w = (2 * Math.PI * cf) / audioFs;
    const cw = Math.cos(w), sw = Math.sin(w);
    for (let t = 0; t < T; t++) {
      const a = softplus(x[f * T + t]) / F;
      // exact phase at the start of each hop, then a rotation recurrence within it
      const k0 = t * hop;
      let c = Math.cos(w * k0 + f), sn = Math.sin(w * k0 + f);
      for (let k = k0; k < k0 + hop; k++) {
        acc[k] += a * sn;
        const c2 = c * cw - sn * sw;
        sn = sn * cw + c * sw;
        c = c2;
      }
    }
  }
  for (let k = 0; k < out.length; k++) out[k] = acc[k];
  return tensor('float32', [1, T * hop], out);
}
