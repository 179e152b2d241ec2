/**
 * Concatenation of datasets (docs/contract.md): stimuli end to end, neurons side by side, responses
 * block-diagonal (the other sources' neurons get the sentinel), provenance in the metadata.
 * No data is copied: the result's cells are the sources' store tensors.
 * @module
 */
import { DatasetValidationError } from '../errors.js';
import { AudioNeuralDataset } from './audio-neural-dataset.js';
import { NeuralDataset, registerConcat } from './neural-dataset.js';

/**
 * Concatenates datasets into one. One dataset is returned unchanged. Every output metadata
 * dict is a shallow copy of its source with `dataset` set to that source's name (`names`, or
 * the class names); sources are never mutated. `dtMs` must match, and for audio datasets `F`
 * and `audioFs` too (`DatasetValidationError`); a non-dataset entry throws `TypeError`.
 * @example
 * ```ts
 * const both = concatNeuralDatasets([a, b], ['src_a', 'src_b']);
 * both.selectPopByNrnAttr('dataset', 'src_b');
 * ```
 */
export function concatNeuralDatasets(datasets: readonly NeuralDataset[], names?: readonly string[]): NeuralDataset {
  if (!Array.isArray(datasets) || datasets.length < 1) {
    throw new DatasetValidationError('concatNeuralDatasets needs at least one dataset');
  }
  datasets.forEach((d, i) => {
    if (!(d instanceof NeuralDataset)) throw new TypeError(`All entries must be NeuralDataset instances (entry ${i} is not)`);
  });
  if (datasets.length === 1) return datasets[0];
  const first = datasets[0];
  for (const other of datasets.slice(1)) {
    if (other.dtMs !== first.dtMs) {
      throw new DatasetValidationError(`dt mismatch: ${first.dtMs} ms vs ${other.dtMs} ms. Datasets must share the response bin width.`);
    }
    if (first instanceof AudioNeuralDataset) {
      if (!(other instanceof AudioNeuralDataset)) {
        throw new DatasetValidationError(`Cannot concatenate AudioNeuralDataset with ${other.constructor.name}`);
      }
      if (other.F !== first.F) throw new DatasetValidationError(`F mismatch: ${first.F} vs ${other.F}. Datasets must share the band count.`);
      if (other.audioFs !== first.audioFs) {
        throw new DatasetValidationError(`audio_fs mismatch: ${first.audioFs} vs ${other.audioFs} (audioFs)`);
      }
    }
  }
  const tags = names === undefined ? datasets.map((d) => d.constructor.name) : [...names];
  if (tags.length !== datasets.length) {
    throw new DatasetValidationError(`names must have one entry per dataset (got ${tags.length} for ${datasets.length} datasets)`);
  }

  // The output class: the most derived class every input is an instance of.
  let proto: object | null = Object.getPrototypeOf(first);
  while (proto !== null && !datasets.every((d) => d instanceof (proto as { constructor: new (...a: never[]) => unknown }).constructor)) {
    proto = Object.getPrototypeOf(proto);
  }
  const out = Object.create(proto) as NeuralDataset;
  NeuralDataset.initBase(out, datasets.map((d) => d.path).join('+'), first.dtMs);
  if (out instanceof AudioNeuralDataset && first instanceof AudioNeuralDataset) {
    AudioNeuralDataset.initAudio(out);
    out.F = first.F;
    out.audioFs = first.audioFs;
    out.hearingRangeHz = first.hearingRangeHz;
    out.returnWaveform = first.returnWaveform;
  }

  const N = datasets.reduce((a, d) => a + d.nNeurons, 0);
  const sentinel = NeuralDataset.sentinel;
  let before = 0;
  datasets.forEach((d, k) => {
    for (let s = 0; s < d.stims.length; s++) {
      out.stims.push(d.stims[s]);
      out.stimMeta.push({ ...d.stimMeta[s], dataset: tags[k] });
      const row = new Array(N).fill(sentinel);
      for (let n = 0; n < d.nNeurons; n++) row[before + n] = d.responses[s][n];
      out.responses.push(row);
    }
    for (const m of d.nrnMeta) out.nrnMeta.push({ ...m, dataset: tags[k] });
    before += d.nNeurons;
  });
  out.nNeurons = N;
  out.validate();
  return out;
}

registerConcat((ds) => concatNeuralDatasets(ds));
