/**
 * `NeuralDataset`: the data contract (docs/contract.md). Stimuli and trial-resolved
 * responses of S stimuli × N neurons, missing (stimulus, neuron) pairs as `(1, 1)` NaN
 * sentinels, a neuron selection and a stimulus selection composed by the bidirectional rule.
 * @module
 */
import { DatasetValidationError, DisposedError } from '../errors.js';
import { isTensor, type Tensor } from '../tensor.js';
import { defaultHeap } from '../memory/heap.js';
import { CELL_DESC, writeCellDesc } from '../memory/layouts.generated.js';
import { HeapTensor, NaNState, inHeap, packTensors } from '../memory/heap-tensor.js';
import { missingCell } from '../memory/sentinel.js';
import { adoptBlocks, freeUnowned, type StoreBlocks } from '../memory/store.js';
import { Dataset } from './dataset.js';
import { iterableStimsOf, selectedNeuronsOf } from './selection.js';
import { resolveSlice } from './slice.js';
import { computeNeuronQuality, type NeuronQuality, type NeuronQualityOptions } from '../metrics/quality.js';
import type { BuiltData, DatasetItem, DatasetItems, Meta, SliceIndex } from './types.js';
import { datasetCells, makeItem, type CellSource } from './item.js';
import {
  normalizeResponses, smoothResponses, standardizeStims,
  type NormalizeResponsesOptions, type ResponseNormalization,
  type StandardizeStimsOptions, type StimNormalization,
} from './transforms.js';

interface Derived {
  masks: Tensor<'bool'>;
  version: number;
  selected: number[];
  iterable: number[];
  cells: CellSource;
}

/**
 * Abstract base of every dataset. A subclass assigns `stims`, `responses`, `stimMeta`,
 * `nrnMeta` and `nNeurons` in its constructor and ends with `this.validate()`, which checks the
 * contract and packs every tensor into one store in wasm memory (the public arrays then hold
 * views of it).
 *
 * Selections never copy data: `length`, `get` and iteration follow the current neuron and
 * stimulus selection (docs/contract.md). `nrnMasks` is cached; call `invalidateNrnMasks()` after
 * swapping cells between real data and sentinels (or writing NaN into a cell in place).
 *
 * @example
 * ```ts
 * class Toy extends NeuralDataset {
 *   constructor() {
 *     super('toy', 5);
 *     this.stims = [tensor('float32', [1, 4, 10])];
 *     this.responses = [[tensor('float32', [3, 10]), full('float32', [1, 1], NaN)]];
 *     this.stimMeta = [{ name: 'a' }];
 *     this.nrnMeta = [{ cellId: 'n0' }, { cellId: 'n1' }];
 *     this.nNeurons = 2;
 *     this.validate();
 *   }
 * }
 * const ds = new Toy();
 * ds.selectNeuron(0);
 * const item = ds.get(0); // { stims, responses: [(3, 10)], validMask: [1], stimMeta }
 * ```
 */
export abstract class NeuralDataset extends Dataset<DatasetItem> {
  /** Data location (for concatenations: the source paths joined with `+`). */
  path!: string;
  /** Neural time-bin width in milliseconds. */
  dtMs!: number;
  /** One tensor per stimulus: `(1, F, T)` spectrogram or `(1, T_audio)` waveform. Never NaN. */
  stims!: Tensor[];
  /** `responses[s][n]`: `(R, T)` per repeat × time bin, or the `(1, 1)` NaN sentinel. */
  responses!: Tensor[][];
  /** Per-stimulus metadata (length S). */
  stimMeta!: Meta[];
  /** Per-neuron metadata (length N). */
  nrnMeta!: Meta[];
  /** Number of neurons N (the full population, not the selection). */
  nNeurons!: number;
  /** Set by `standardizeStims`. */
  stimNormalization?: StimNormalization;
  /** Set by `normalizeResponses`. */
  responseNormalization?: ResponseNormalization;

  /** Neuron selection: `null` = every neuron; `[]` = none (docs/contract.md, deliberate differences). */
  protected neuronSelection!: number[] | null;
  /** Stimulus selection: `null` = every stimulus; `[]` = none. */
  protected stimSelection!: number[] | null;
  private masksCache!: Tensor<'bool'> | null;
  private selectionVersion!: number;
  private derived!: Derived | null;
  /** The store blocks this dataset holds (packed or adopted by validate, or shared with its sources). */
  private stores!: Set<StoreBlocks>;
  private disposedFlag!: boolean;
  private dataVersionCounter!: number;

  constructor(path: string, dtMs: number) {
    super();
    if (new.target === NeuralDataset) throw new TypeError('NeuralDataset is abstract: subclass it');
    NeuralDataset.initBase(this, path, dtMs);
  }

  /**
   * Sets the base state on `target` (used by the constructor and by concatenation, which builds
   * instances of a subclass without running its constructor).
   * @internal
   */
  static initBase(target: NeuralDataset, path: string, dtMs: number): void {
    target.path = path;
    target.dtMs = dtMs;
    target.stims = [];
    target.responses = [];
    target.stimMeta = [];
    target.nrnMeta = [];
    target.nNeurons = 0;
    target.neuronSelection = null;
    target.stimSelection = null;
    target.masksCache = null;
    target.selectionVersion = 0;
    target.derived = null;
    target.stores = new Set();
    target.disposedFlag = false;
    target.dataVersionCounter = 0;
  }

  // ------------------------------------------------------------------ validation and packing

  /**
   * Takes what a zoo build returned: stimuli, responses, and the metadata (`nNeurons` from
   * `nrnMeta`). The subclass then sets its own fields and calls `validate()`.
   * @example
   * ```ts
   * class X extends NeuralDataset { constructor(b: BuiltData) { super('x', 5); this.assignBuilt(b); this.validate(); } }
   * ```
   */
  protected assignBuilt(b: BuiltData): void {
    this.stims = b.stims;
    this.responses = b.responses;
    this.stimMeta = b.stimMeta;
    this.nrnMeta = b.nrnMeta;
    this.nNeurons = b.nrnMeta.length;
  }

  /**
   * Checks the contract (docs/contract.md plus this library's structural checks) and packs every
   * stimulus and response into the wasm store. Throws `DatasetValidationError` naming the field.
   * Idempotent: tensors already in the store stay where they are.
   *
   * Ownership (docs/memory.md): the dataset takes the heap tensors assigned to it (a build's
   * outputs) into its store, and shares the blocks of other datasets' stores it uses (a
   * concatenation). If validation fails, what it took is given back to the heap before the error
   * propagates, so a failed build leaks nothing.
   */
  validate(): void {
    this.assertLive();
    try {
      this.checkContract();
      this.packStore();
    } catch (e) {
      freeUnowned(defaultHeap(), this.heapTensors(), `${this.constructor.name}'s validation failed`);
      throw e;
    }
    this.dataVersionCounter++;
  }

  /** Every heap tensor among `stims` and `responses` (tolerating malformed fields). */
  private heapTensors(): HeapTensor[] {
    const heap = defaultHeap();
    const out: HeapTensor[] = [];
    const add = (t: unknown) => {
      if (t instanceof HeapTensor && t.heap === heap) out.push(t);
    };
    if (Array.isArray(this.stims)) this.stims.forEach(add);
    if (Array.isArray(this.responses)) for (const row of this.responses) if (Array.isArray(row)) row.forEach(add);
    return out;
  }

  /** The contract checks, in the reference's order, then structure. Subclasses extend it. */
  protected checkContract(): void {
    const fail = (msg: string): never => {
      throw new DatasetValidationError(`${this.constructor.name}: ${msg}`);
    };
    if (typeof this.path !== 'string') fail(`path must be a string, got ${typeof this.path}`);
    if (typeof this.dtMs !== 'number' || !(this.dtMs > 0)) fail(`dtMs must be a number > 0, got ${String(this.dtMs)}`);
    if (!Number.isInteger(this.nNeurons) || this.nNeurons <= 0) fail(`nNeurons must be an integer > 0, got ${String(this.nNeurons)}`);
    const S = Array.isArray(this.stimMeta) ? this.stimMeta.length : 0;
    if (S <= 0) fail('stimMeta is empty: a dataset needs at least one stimulus (S = stimMeta.length > 0)');
    if (!Array.isArray(this.stims) || this.stims.length !== S) fail(`stims has ${this.stims?.length} entries but stimMeta has ${S} (S)`);
    if (!Array.isArray(this.responses) || this.responses.length !== S) fail(`responses has ${this.responses?.length} rows but stimMeta has ${S} (S)`);
    if (!Array.isArray(this.nrnMeta) || this.nrnMeta.length !== this.nNeurons) {
      fail(`nrnMeta has ${this.nrnMeta?.length} entries but nNeurons is ${this.nNeurons}`);
    }
    // Structure the kernels rely on (the reference leaves these unchecked).
    for (let s = 0; s < S; s++) {
      if (!isTensor(this.stims[s])) fail(`stims[${s}] is not a tensor ({ dtype, shape, data } with data.length = prod(shape))`);
      const row = this.responses[s];
      if (!Array.isArray(row) || row.length !== this.nNeurons) {
        fail(`responses[${s}] has ${Array.isArray(row) ? row.length : typeof row} entries, expected nNeurons = ${this.nNeurons}`);
      }
      for (let n = 0; n < this.nNeurons; n++) {
        const r = row[n];
        if (!isTensor(r)) fail(`responses[${s}][${n}] is not a tensor; write the (1, 1) NaN sentinel for a missing pair`);
        if (r.shape.length !== 2) fail(`responses[${s}][${n}] must be 2-D (R, T), got shape [${r.shape.join(', ')}]`);
        if (r.dtype !== 'float32' && r.dtype !== 'float64') fail(`responses[${s}][${n}] must be float (NaN marks missing data), got ${r.dtype}`);
      }
    }
  }

  /**
   * Moves every tensor not yet in the store into it (one allocation per kind), flags NaN, and
   * takes the blocks under the dataset's tensors into its store. On a throw, the blocks it
   * allocated are freed and the dataset is unchanged.
   */
  protected packStore(): void {
    const heap = defaultHeap();
    const taken: number[] = [];
    const freed = (what: string) =>
      new DisposedError(`${this.constructor.name}: ${what} belongs to a disposed dataset; its memory was given back to the wasm heap`);
    try {
      this.stims.forEach((t, s) => {
        if (t instanceof HeapTensor && t.freed) throw freed(`stims[${s}]`);
      });
      const stims = packTensors(this.stims, heap, taken);
      stims.forEach((t, s) => {
        if (t.nanState === NaNState.HasNaN || (t.nanState === NaNState.Unknown && heap.kernels.anyNaN(t.ptr, t.size))) {
          const i = Array.from(t.data).findIndex(Number.isNaN);
          throw new DatasetValidationError(
            `${this.constructor.name}: stims[${s}] contains NaN (first at flat index ${i}); stimuli are zero-padded model inputs and must never hold NaN`,
          );
        }
      });
      const sentinel = missingCell(heap);
      const loose: Tensor[] = [];
      const where: Array<[number, number]> = [];
      const sentinels: Array<[number, number]> = [];
      this.responses.forEach((row, s) =>
        row.forEach((r, n) => {
          if (r instanceof HeapTensor && r.freed) throw freed(`responses[${s}][${n}]`);
          if (inHeap(r, heap)) return;
          if (r.shape[0] === 1 && r.shape[1] === 1 && Number.isNaN(r.data[0])) {
            sentinels.push([s, n]); // one shared sentinel for every missing pair
            return;
          }
          loose.push(r);
          where.push([s, n]);
        }),
      );
      const cells = packTensors(loose, heap, taken);
      const held = [...stims, ...cells];
      for (const row of this.responses) for (const r of row) if (inHeap(r, heap)) held.push(r);
      const stores = adoptBlocks(heap, held);
      // Nothing can fail past this line: commit.
      this.stims = stims;
      for (const [s, n] of sentinels) this.responses[s][n] = sentinel;
      cells.forEach((t, i) => {
        const [s, n] = where[i];
        this.responses[s][n] = t;
      });
      for (const st of stores) {
        if (this.stores.has(st)) continue;
        st.retain();
        this.stores.add(st);
      }
    } catch (e) {
      for (const b of taken) heap.free(b);
      throw e;
    }
  }

  // ------------------------------------------------------------------ lifetime

  /**
   * Gives the dataset's packed store back to the wasm heap. Idempotent. Afterwards every use of
   * the dataset (and `data` of its tensors) throws `DisposedError`. Blocks shared with other
   * datasets (a concatenation and its sources) or read by a running loader's workers are freed
   * when the last of them lets go. See docs/memory.md.
   * @example
   * ```ts
   * const ds = new NS1Dataset({ path });
   * try { train(ds); } finally { ds.dispose(); }
   * // or: { using ds = new NS1Dataset({ path }); train(ds); }
   * ```
   */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    const why = `${this.constructor.name} was disposed`;
    for (const st of this.stores) st.release(why);
    this.stores.clear();
    this.masksCache = null;
    this.derived = null;
  }

  /** `using ds = …` disposes the dataset at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** True once {@link NeuralDataset.dispose} ran. */
  get disposed(): boolean {
    return this.disposedFlag;
  }

  /**
   * Holds the dataset's store until the returned function is called (a loader's workers read it
   * while they live, even if the dataset is disposed meanwhile).
   * @internal
   */
  holdStore(): () => void {
    this.assertLive();
    const held = [...this.stores];
    for (const st of held) st.retain();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const st of held) st.release(`${this.constructor.name} was disposed`);
    };
  }

  /**
   * Counts in-place changes of the data: it moves on every `standardizeStims`,
   * `normalizeResponses`, `smoothResponses`, `invalidateNrnMasks` and successful `validate`.
   * A loader compares it with its value when the epoch started (docs/loader.md).
   */
  get dataVersion(): number {
    return this.dataVersionCounter;
  }

  /** Throws `DisposedError` once the dataset was disposed. */
  protected assertLive(): void {
    if (this.disposedFlag) {
      throw new DisposedError(`${this.constructor.name} was disposed: its store was given back to the wasm heap; build the dataset again to use it`);
    }
  }

  // ------------------------------------------------------------------ masks

  /**
   * `(S, N)` bool: true where `responses[s][n]` is real data, i.e. holds no NaN (docs/contract.md,
   * deliberate differences). Cached: later reads return the same tensor until
   * `invalidateNrnMasks()`.
   */
  get nrnMasks(): Tensor<'bool'> {
    this.assertLive();
    if (this.masksCache === null) this.masksCache = this.computeNrnMasks();
    return this.masksCache;
  }

  /** Drops the cached `nrnMasks` (after structural mutations of `responses`). */
  invalidateNrnMasks(): void {
    this.masksCache = null;
    this.derived = null;
    this.dataVersionCounter++;
  }

  private computeNrnMasks(): Tensor<'bool'> {
    const S = Array.isArray(this.responses) ? this.responses.length : 0;
    const N = this.nNeurons;
    const out = new Uint8Array(S * N);
    const heap = defaultHeap();
    const cells: HeapTensor[] = [];
    const at: number[] = [];
    for (let s = 0; s < S; s++) {
      const row = this.responses[s] ?? [];
      for (let n = 0; n < N; n++) {
        const r = row[n];
        if (r === undefined || !isTensor(r)) continue; // no entry: not real data
        if (inHeap(r, heap)) {
          cells.push(r);
          at.push(s * N + n);
        } else {
          let ok = 1;
          const d = r.data;
          for (let i = 0; i < d.length; i++) if (Number.isNaN(d[i])) { ok = 0; break; }
          out[s * N + n] = ok;
        }
      }
    }
    if (cells.length > 0) {
      // One kernel call over a CellDesc table of every packed cell (assembly/layouts.ts).
      const table = cells.length * CELL_DESC.size;
      const base = heap.scratch(table + cells.length);
      const view = new DataView(heap.buffer, base, table);
      cells.forEach((c, k) => writeCellDesc(view, k * CELL_DESC.size, { src: c.ptr, rows: c.size, cols: 1, flags: 0 }));
      heap.kernels.cellsValid(base, cells.length, base + table);
      const valid = heap.u8(base + table, cells.length);
      cells.forEach((c, k) => {
        out[at[k]] = valid[k];
        c.nanState = valid[k] ? NaNState.Clean : NaNState.HasNaN;
      });
    }
    return { dtype: 'bool', shape: [S, N], data: out };
  }

  // ------------------------------------------------------------------ selection state

  private state(): Derived {
    const masks = this.nrnMasks;
    const d = this.derived;
    if (d !== null && d.masks === masks && d.version === this.selectionVersion) return d;
    const S = masks.shape[0];
    const selected = selectedNeuronsOf(this.neuronSelection, this.stimSelection, masks.data, S, this.nNeurons);
    const iterable = iterableStimsOf(selected, this.stimSelection, masks.data, S, this.nNeurons);
    this.derived = { masks, version: this.selectionVersion, selected, iterable, cells: datasetCells(this) };
    return this.derived;
  }

  private setSelection(neurons: number[] | null | undefined, stims: number[] | null | undefined): void {
    this.assertLive();
    if (neurons !== undefined) this.neuronSelection = neurons;
    if (stims !== undefined) this.stimSelection = stims;
    this.selectionVersion++;
  }

  /** The effective neuron list after the bidirectional rule (a copy). */
  selectedNeurons(): number[] {
    return [...this.state().selected];
  }

  /** The stimuli `get` iterates over, ascending (a copy). `length` is its length. */
  iterableStims(): number[] {
    return [...this.state().iterable];
  }

  /** Number of iterable stimuli under the current selection. */
  get length(): number {
    return this.state().iterable.length;
  }

  /** N, the full population size (not the selection). */
  getN(): number {
    return this.nNeurons;
  }

  /** S, the number of stimuli (`stimMeta.length`). */
  getS(): number {
    return this.stimMeta.length;
  }

  /** Metadata of the effective neuron selection (every neuron when unrestricted). */
  getNrnMeta(): Meta[] {
    return this.state().selected.map((n) => this.nrnMeta[n]);
  }

  // ------------------------------------------------------------------ indexing

  /**
   * The item at iterable index `i` (negative wraps), or, for an index list or a slice, the same
   * keys each holding one entry per index. Out of range → `RangeError`; other index kinds →
   * `TypeError`.
   */
  get(index: readonly number[] | SliceIndex): DatasetItems;
  // The scalar overload comes last: generic code that infers an item type from `get` (Subset,
  // randomSplit, DataLoader) then sees DatasetItem.
  get(index: number): DatasetItem;
  get(index: number | readonly number[] | SliceIndex): DatasetItem | DatasetItems {
    const st = this.state();
    const L = st.iterable.length;
    if (typeof index === 'number') {
      if (!Number.isInteger(index)) throw new TypeError(`Invalid index type: ${index} is not an integer`);
      const i = index < 0 ? index + L : index;
      if (i < 0 || i >= L) {
        throw new RangeError(
          `index ${index} is out of range for length ${L}; the length is relative to the current selection ` +
            `(${st.selected.length} selected neurons, ${L} iterable stimuli)`,
        );
      }
      return this.item(st.iterable[i], st);
    }
    let positions: number[];
    if (Array.isArray(index)) {
      positions = (index as readonly unknown[]).map((j) => {
        if (typeof j !== 'number' || !Number.isInteger(j)) throw new TypeError(`Invalid index type in list: ${String(j)}`);
        const i = j < 0 ? j + L : j;
        if (i < 0 || i >= L) throw new RangeError(`list index ${j} out of range for length ${L}`);
        return i;
      });
    } else if (isSlice(index)) {
      positions = resolveSlice(index, L);
    } else {
      throw new TypeError(`Invalid index type ${describe(index)}: use an integer, an integer array or { start, stop, step }`);
    }
    const items = positions.map((i) => this.item(st.iterable[i], st));
    const out: DatasetItems = { stims: [], responses: [], validMask: [], stimMeta: [] };
    for (const it of items) {
      for (const [k, v] of Object.entries(it)) (out[k] ??= []).push(v as never);
    }
    return out;
  }

  private item(s: number, st: Derived): DatasetItem {
    return makeItem(st.cells, s, st.selected, this.itemExtras(s));
  }

  /**
   * Extra per-item keys a dataset adds (e.g. behavioural covariates); the collate passes them
   * through as length-B arrays. Default: none.
   */
  protected itemExtras(_stim: number): Record<string, unknown> {
    return {};
  }

  // ------------------------------------------------------------------ selection API (docs/contract.md)

  /** Selects one neuron: the selection becomes `[i]`. */
  selectNeuron(i: number): void {
    this.checkNeuron(i);
    this.setSelection([i], undefined);
  }

  /** Selects neurons by index (order and duplicates kept); `[]` selects none. */
  selectPopulation(indices: number | readonly number[]): void {
    const list = typeof indices === 'number' ? [indices] : [...indices];
    list.forEach((i) => this.checkNeuron(i));
    this.setSelection(list, undefined);
  }

  /** Selects neurons whose metadata has `attr` equal to `value` (neurons lacking it are skipped). */
  selectPopByNrnAttr(attr: string, value: unknown): number[] {
    const out = matching(this.nrnMeta, (m) => hasKey(m, attr) && metaEquals(m[attr], value));
    this.setSelection(out, undefined);
    return [...out];
  }

  /** Selects neurons whose metadata satisfies `pred`; a `TypeError` inside `pred` skips that neuron. */
  selectPopByNrnPredicate(pred: (meta: Meta) => unknown): number[] {
    const out = matching(this.nrnMeta, pred);
    this.setSelection(out, undefined);
    return [...out];
  }

  /**
   * Selects the neurons with real data on at least one stimulus whose `attr` equals `value`;
   * leaves every stimulus iterable. No matching stimulus → an empty selection.
   */
  selectPopByStimAttr(attr: string, value: unknown): number[] {
    return this.selectPopByStims(matching(this.stimMeta, (m) => hasKey(m, attr) && metaEquals(m[attr], value)));
  }

  /** As `selectPopByStimAttr`, with a predicate over stimulus metadata. */
  selectPopByStimPredicate(pred: (meta: Meta) => unknown): number[] {
    return this.selectPopByStims(matching(this.stimMeta, pred));
  }

  private selectPopByStims(stims: number[]): number[] {
    const masks = this.nrnMasks.data;
    const N = this.nNeurons;
    const out: number[] = [];
    if (stims.length > 0) {
      for (let n = 0; n < N; n++) if (stims.some((s) => masks[s * N + n] === 1)) out.push(n);
    }
    this.setSelection(out, undefined);
    return [...out];
  }

  /** Restricts iteration to one stimulus (absolute index in [0, S)). */
  selectStim(i: number): void {
    this.checkStim(i);
    this.setSelection(undefined, [i]);
  }

  /** Restricts iteration to these stimuli (absolute indices; iteration order stays ascending). */
  selectStims(indices: readonly number[]): void {
    const list = [...indices];
    list.forEach((i) => this.checkStim(i));
    this.setSelection(undefined, list);
  }

  /** Restricts iteration to stimuli whose `attr` equals `value` (may select none). */
  selectStimsByAttr(attr: string, value: unknown): number[] {
    const out = matching(this.stimMeta, (m) => hasKey(m, attr) && metaEquals(m[attr], value));
    this.setSelection(undefined, out);
    return [...out];
  }

  /** Restricts iteration to stimuli satisfying `pred`; a `TypeError` inside `pred` skips that stimulus. */
  selectStimsByPredicate(pred: (meta: Meta) => unknown): number[] {
    const out = matching(this.stimMeta, pred);
    this.setSelection(undefined, out);
    return [...out];
  }

  /** Removes the stimulus restriction. */
  resetStimSelection(): void {
    this.setSelection(undefined, null);
  }

  /** Removes the neuron restriction (every neuron selected). */
  resetPopSelection(): void {
    this.setSelection(null, undefined);
  }

  private checkNeuron(i: unknown): void {
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError(`neuron index must be an integer, got ${describe(i)}`);
    if (i < 0 || i >= this.nNeurons) throw new RangeError(`neuron index ${i} must be in [0, N) = [0, ${this.nNeurons})`);
  }

  private checkStim(i: unknown): void {
    const S = this.getS();
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError(`stim index must be an integer, got ${describe(i)}`);
    if (i < 0 || i >= S) throw new RangeError(`stim index ${i} must be in [0, S) = [0, ${S})`);
  }

  // ------------------------------------------------------------------ transforms (docs/contract.md)

  /** Standardises every stimulus in place with statistics of `stimIndices` (all by default). */
  standardizeStims(options: StandardizeStimsOptions = {}): StimNormalization {
    this.assertLive();
    this.dataVersionCounter++;
    this.stimNormalization = standardizeStims(this.stims, options);
    return this.stimNormalization;
  }

  /** Normalises every real response of each neuron in place (`'max'` or `'zscore'`). */
  normalizeResponses(options: NormalizeResponsesOptions = {}): ResponseNormalization {
    this.assertLive();
    this.dataVersionCounter++;
    this.responseNormalization = normalizeResponses(this.responses, this.nNeurons, options);
    return this.responseNormalization;
  }

  /** Hanning-smooths every NaN-free response in place (default window 21 ms). */
  smoothResponses(options: { windowMs?: number } = {}): void {
    this.assertLive();
    this.dataVersionCounter++;
    smoothResponses(this.responses, options.windowMs ?? 21, this.dtMs);
  }

  /**
   * Computes every neuron's SNR (Sahani–Linden, length-weighted over stimuli) and split-half
   * CCmax from the responses (docs/metrics.md, docs/metrics.md) and writes them into `nrnMeta[n].snr` and
   * `nrnMeta[n].ccmax`, for predicate filters such as `n => n.snr > 0.5`. Uses every stimulus,
   * whatever the selection.
   * @example
   * ```ts
   * ds.computeNeuronQuality();
   * ds.selectPopByNrnPredicate((n) => (n.ccmax as number) > 0.6);
   * ```
   */
  computeNeuronQuality(options: NeuronQualityOptions = {}): NeuronQuality {
    this.assertLive();
    const q = computeNeuronQuality(this.responses, this.nNeurons, options);
    this.nrnMeta.forEach((m, n) => {
      m.snr = q.snr.data[n];
      m.ccmax = q.ccmax.data[n];
    });
    return q;
  }

  /**
   * Concatenates this dataset with others (the reference's `a + b`); see `concatNeuralDatasets`.
   * A non-dataset argument throws `TypeError`.
   */
  concat(...others: NeuralDataset[]): NeuralDataset {
    for (const o of others) {
      if (!(o instanceof NeuralDataset)) throw new TypeError(`cannot concatenate ${this.constructor.name} with ${describe(o)}`);
      o.assertLive();
    }
    this.assertLive();
    return concatHook([this, ...others]);
  }

  /** `ClassName(nNeurons=N, selected=k, nStims=S, dtMs=dt)`. */
  override toString(): string {
    if (this.disposedFlag) return `${this.constructor.name}(disposed)`;
    return `${this.constructor.name}(nNeurons=${this.nNeurons}, selected=${this.selectedNeurons().length}, nStims=${this.getS()}, dtMs=${this.dtMs})`;
  }

  /** A (1, 1) NaN tensor in the store, shared by every missing pair. Loaders write it. */
  static get sentinel(): HeapTensor {
    return missingCell(defaultHeap());
  }
}

// concat.ts registers itself here, so that `ds.concat()` needs no import cycle.
let concatHook: (datasets: NeuralDataset[]) => NeuralDataset = () => {
  throw new Error('concatenation is not loaded');
};
/** @internal */
export function registerConcat(fn: (datasets: NeuralDataset[]) => NeuralDataset): void {
  concatHook = fn;
}

function isSlice(x: unknown): x is SliceIndex {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const keys = Object.keys(x);
  return keys.every((k) => k === 'start' || k === 'stop' || k === 'step');
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return `${typeof x} ${String(x)}`;
}

function hasKey(m: Meta, key: string): boolean {
  return typeof m === 'object' && m !== null && Object.prototype.hasOwnProperty.call(m, key);
}

/** Python `==` for metadata values: primitives by value (NaN never equal), arrays element-wise. */
function metaEquals(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => metaEquals(x, b[i]));
  return a === b;
}

/** Indices whose entry satisfies `pred`; a TypeError thrown for an entry skips it (docs/contract.md). */
function matching(metas: readonly Meta[], pred: (m: Meta) => unknown): number[] {
  const out: number[] = [];
  metas.forEach((m, i) => {
    try {
      if (pred(m)) out.push(i);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
    }
  });
  return out;
}
