/**
 * `AudioNeuralDataset`: auditory datasets, in spectrogram mode (`(1, F, T)` stimuli) or waveform
 * mode (`(1, T_audio)` stimuli locked to the response grid, docs/contract.md, "What validate() checks").
 * @module
 */
import { DatasetValidationError } from '../errors.js';
import { isSentinel } from '../memory/sentinel.js';
import { NeuralDataset } from './neural-dataset.js';

/**
 * Base of auditory datasets. Subclasses set `F` (> 0 even in waveform mode, where it names the
 * band count a front-end should produce), `audioFs` (null in spectrogram mode) and optionally
 * `hearingRangeHz`, then call `this.validate()`.
 * @example
 * ```ts
 * class Toy extends AudioNeuralDataset {
 *   constructor() {
 *     super('toy', 5);
 *     this.F = 34; this.audioFs = 48000; this.returnWaveform = true; // hop = 240 samples
 *     this.stims = [tensor('float32', [1, 10 * 240])];
 *     this.responses = [[tensor('float32', [20, 10])]];
 *     this.stimMeta = [{ name: 'a' }]; this.nrnMeta = [{}]; this.nNeurons = 1;
 *     this.validate();
 *   }
 * }
 * new Toy().hop; // 240
 * ```
 */
export abstract class AudioNeuralDataset extends NeuralDataset {
  /** Spectral bands; −1 until a subclass sets it. */
  F!: number;
  /** Waveform sample rate in Hz, or null in spectrogram mode. */
  audioFs!: number | null;
  /** Informational hearing range `[low, high]` in Hz of the species, or null. */
  hearingRangeHz!: [number, number] | null;
  /** True when stimuli are waveforms. */
  returnWaveform!: boolean;

  constructor(path: string, dtMs: number) {
    super(path, dtMs);
    AudioNeuralDataset.initAudio(this);
  }

  /** @internal Sets the audio defaults (also used when concatenating). */
  static initAudio(target: AudioNeuralDataset): void {
    target.F = -1;
    target.audioFs = null;
    target.hearingRangeHz = null;
    target.returnWaveform = false;
  }

  /** Samples per response bin, `round(audioFs · dtMs / 1000)`, or null in spectrogram mode. */
  get hop(): number | null {
    return this.audioFs === null ? null : Math.round((this.audioFs * this.dtMs) / 1000);
  }

  /** The band count `F`. */
  getF(): number {
    return this.F;
  }

  protected override checkContract(): void {
    super.checkContract();
    const fail = (msg: string): never => {
      throw new DatasetValidationError(`${this.constructor.name}: ${msg}`);
    };
    if (!Number.isInteger(this.F) || this.F <= 0) fail(`F must be an integer > 0 (got ${this.F}); subclasses must set the band count`);
    if (this.hearingRangeHz !== null && this.hearingRangeHz !== undefined) {
      const h = this.hearingRangeHz;
      if (!Array.isArray(h) || h.length !== 2 || !(0 < h[0] && h[0] < h[1])) {
        fail(`hearingRangeHz must be null or [low, high] with 0 < low < high, got ${JSON.stringify(h)}`);
      }
    }
    if (this.audioFs === null || this.audioFs === undefined) return;
    if (!Number.isInteger(this.audioFs) || this.audioFs <= 0) fail(`audioFs must be an integer > 0 or null, got ${this.audioFs}`);
    const ratio = (this.audioFs * this.dtMs) / 1000;
    const hop = Math.round(ratio);
    if (hop < 1 || Math.abs(ratio - hop) >= 1e-6) {
      fail(`audioFs · dtMs / 1000 = ${this.audioFs} · ${this.dtMs} / 1000 = ${ratio} is not an integer number of samples per response bin (waveform grid lock)`);
    }
    this.stims.forEach((st, s) => {
      if (st.shape.length !== 2 || st.shape[0] !== 1) {
        fail(`stims[${s}] has shape [${st.shape.join(', ')}]; waveform mode needs (1, T_audio)`);
      }
      const T = st.shape[1];
      if (T % hop !== 0) fail(`stims[${s}] has ${T} samples, not a multiple of hop = ${hop}`);
      const first = this.responses[s].find((r) => !isSentinel(r));
      if (first === undefined) return; // nothing to align to
      const Tresp = first.shape[first.shape.length - 1];
      if (T / hop !== Tresp) {
        fail(`stims[${s}] spans ${T / hop} hops of ${hop} samples but its responses have ${Tresp} neural frames`);
      }
    });
  }
}
