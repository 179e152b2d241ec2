/**
 * pandas 1.x objects of the pickle reader: indexes (`_new_Index(cls, dict)` for `Index`,
 * `Int64Index`, `UInt64Index`, `Float64Index`, `RangeIndex`), blocks (`_unpickle_block(values,
 * placement, ndim)` of pandas ≥ 1.3, or the `0.14.1` block list of older block-manager states)
 * and `DataFrame` (NEWOBJ + BUILD with `_mgr` / `_data`). Only NumPy-backed blocks are read;
 * extension arrays are refused.
 * @module
 */
import { isPyTuple, PickleDataError, PyObject, PySlice, type PyKey, type PyValue } from './pickle-types.js';
import { NDArray } from './pickle-numpy.js';

/** The index classes `_new_Index` accepts (module.name). @example `PANDAS_INDEX_CLASSES.includes('pandas.core.indexes.numeric.Int64Index') // true` */
export const PANDAS_INDEX_CLASSES: readonly string[] = [
  'pandas.core.indexes.base.Index', 'pandas.core.indexes.numeric.Int64Index', 'pandas.core.indexes.numeric.UInt64Index',
  'pandas.core.indexes.numeric.Float64Index', 'pandas.core.indexes.numeric.NumericIndex', 'pandas.core.indexes.range.RangeIndex',
];

/** Longest RangeIndex expanded (its labels are materialised). */
const MAX_RANGE = 1 << 22;

function labelsOf(v: PyValue, what: string): PyValue[] {
  if (v instanceof NDArray) {
    if (v.shape.length !== 1) throw new PickleDataError(`${what} data are not 1-D`);
    return Array.from({ length: v.size }, (_, i) => v.item(i));
  }
  if (Array.isArray(v)) return [...v];
  throw new PickleDataError(`${what} data are not an array`);
}

/**
 * A pandas index: its labels in order.
 * @example
 * ```ts
 * df.index.labels; // [3n, 7n]
 * ```
 */
export class PdIndex extends PyObject {
  readonly pyClass: string;
  readonly labels: PyValue[];
  readonly name: PyValue;

  constructor(cls: string, d: PyValue) {
    super();
    this.pyClass = cls;
    if (!(d instanceof Map)) throw new PickleDataError(`${cls} state is not a dict`);
    this.name = d.get('name') ?? null;
    if (cls.endsWith('RangeIndex')) {
      const int = (k: string, dflt: bigint) => {
        const v = d.get(k) ?? dflt;
        if (typeof v !== 'bigint') throw new PickleDataError(`RangeIndex ${k} is not an int`);
        return Number(v);
      };
      const start = int('start', 0n), stop = int('stop', 0n), step = int('step', 1n);
      if (step === 0) throw new PickleDataError('RangeIndex step is 0');
      const n = Math.max(0, Math.ceil((stop - start) / step));
      if (n > MAX_RANGE) throw new PickleDataError(`RangeIndex of ${n} labels is beyond this reader's limit (${MAX_RANGE})`);
      this.labels = Array.from({ length: n }, (_, i) => BigInt(start + i * step));
    } else {
      this.labels = labelsOf(d.get('data') ?? null, cls);
    }
  }
}

/** `pandas.core.indexes.base._new_Index(cls, d)`. @example `newIndex([int64IndexClass, new Map([['data', array]])]).labels` */
export function newIndex(args: readonly PyValue[]): PdIndex {
  const cls = args[0];
  const name = cls !== null && typeof cls === 'object' && 'qualname' in cls ? String(cls.qualname) : '';
  if (args.length !== 2 || !PANDAS_INDEX_CLASSES.includes(name)) throw new PickleDataError(`_new_Index of ${name || 'something that is not an index class'}`);
  return new PdIndex(name, args[1]);
}

/**
 * One block: a 2-D NumPy array (items × rows) and the column positions of its items.
 * @example
 * ```ts
 * block.placement; // [0, 1]
 * ```
 */
export class PdBlock extends PyObject {
  readonly pyClass = 'pandas.core.internals.blocks.Block';
  readonly placement: number[];
  constructor(readonly values: NDArray, placement: PyValue) {
    super();
    if (values.shape.length !== 2) throw new PickleDataError(`block values of shape (${values.shape.join(', ')}) are not 2-D`);
    const n = values.shape[0];
    if (placement instanceof PySlice) {
      const start = placement.start ?? 0;
      if (start < 0) throw new PickleDataError('block placement slice starts below 0');
      this.placement = Array.from({ length: n }, (_, k) => start + k * placement.step);
    } else if (placement instanceof NDArray || Array.isArray(placement)) {
      this.placement = labelsOf(placement, 'block placement').map((v) => {
        if (typeof v !== 'bigint' || v < 0n) throw new PickleDataError('block placement holds something that is not a non-negative int');
        return Number(v);
      });
    } else {
      throw new PickleDataError('block placement is not a slice or an int array');
    }
    if (this.placement.length !== n) throw new PickleDataError(`block placement names ${this.placement.length} column(s), the values hold ${n}`);
  }
}

/** `pandas._libs.internals._unpickle_block(values, placement, ndim)`. @example `unpickleBlock([values, new PySlice([0n, 2n, 1n]), 2n]).placement // [0, 1]` */
export function unpickleBlock(args: readonly PyValue[]): PdBlock {
  if (args.length !== 3) throw new PickleDataError(`_unpickle_block takes 3 arguments, got ${args.length}`);
  if (!(args[0] instanceof NDArray)) throw new PickleDataError('block values are not a NumPy array (extension arrays are not supported)');
  return new PdBlock(args[0], args[1]);
}

/**
 * A pandas `BlockManager`: axes (columns, index) and blocks.
 * @example
 * ```ts
 * mgr.axes[0].labels; // column names
 * ```
 */
export class PdBlockManager extends PyObject {
  readonly pyClass = 'pandas.core.internals.managers.BlockManager';
  axes: PdIndex[] = [];
  blocks: PdBlock[] = [];

  /** `BlockManager(blocks, axes)` (pandas ≥ 1.3 `__reduce__`). */
  static fromArgs(args: readonly PyValue[]): PdBlockManager {
    const m = new PdBlockManager();
    if (args.length < 2) throw new PickleDataError(`BlockManager takes (blocks, axes), got ${args.length} argument(s)`);
    m.set(args[1], args[0], (b) => b);
    return m;
  }

  private set(axes: PyValue, blocks: PyValue, toBlock: (b: PyValue) => PyValue): void {
    if (!Array.isArray(axes) || axes.length !== 2 || !axes.every((a) => a instanceof PdIndex)) throw new PickleDataError('BlockManager axes are not two indexes');
    if (!Array.isArray(blocks)) throw new PickleDataError('BlockManager blocks are not a sequence');
    this.axes = axes as PdIndex[];
    this.blocks = blocks.map((b) => {
      const blk = toBlock(b);
      if (!(blk instanceof PdBlock)) throw new PickleDataError('BlockManager holds something that is not a block');
      return blk;
    });
  }

  /** BUILD state of pandas < 1.3: `(axes, block values, block items, {'0.14.1': {axes, blocks: [{values, mgr_locs}]}})`. */
  override setState(state: PyValue): void {
    if (!isPyTuple(state) || state.length < 4 || !(state[3] instanceof Map)) throw new PickleDataError('BlockManager state is not the 4-tuple with a 0.14.1 dict');
    const extra = state[3].get('0.14.1');
    if (!(extra instanceof Map)) throw new PickleDataError("BlockManager state has no '0.14.1' entry");
    this.set(extra.get('axes') ?? null, extra.get('blocks') ?? null, (b) => {
      if (!(b instanceof Map) || !(b.get('values') instanceof NDArray)) throw new PickleDataError('BlockManager block is not a dict with NumPy values');
      return new PdBlock(b.get('values') as NDArray, b.get('mgr_locs') ?? null);
    });
  }
}

/** Python `==` between two labels (numbers of any type compare by value). */
function sameLabel(a: PyValue, b: PyKey): boolean {
  const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : v);
  return typeof a === 'string' || typeof b === 'string' ? a === b : num(a) === num(b);
}

/**
 * A pandas `DataFrame`: `columns` and `index` labels, and each column's values by name.
 * @example
 * ```ts
 * const df = value as PdDataFrame;
 * df.column('start_time'); // one Python value per row
 * df.rowOf(7n); // position of the row labelled 7, or -1
 * ```
 */
export class PdDataFrame extends PyObject {
  readonly pyClass = 'pandas.core.frame.DataFrame';
  private mgr: PdBlockManager | null = null;

  /** BUILD state: the dict of `NDFrame.__getstate__` (`_mgr`, or `_data` before pandas 1.1). */
  override setState(state: PyValue): void {
    if (!(state instanceof Map)) throw new PickleDataError('DataFrame state is not a dict');
    const mgr = state.get('_mgr') ?? state.get('_data');
    if (!(mgr instanceof PdBlockManager)) throw new PickleDataError('DataFrame state has no BlockManager (_mgr / _data)');
    const nCols = mgr.axes[0].labels.length;
    const nRows = mgr.axes[1].labels.length;
    const seen = new Set<number>();
    for (const b of mgr.blocks) {
      if (b.values.shape[1] !== nRows) throw new PickleDataError(`a block holds ${b.values.shape[1]} row(s), the index ${nRows}`);
      for (const p of b.placement) {
        if (p >= nCols || seen.has(p)) throw new PickleDataError(`block placement ${p} is out of the ${nCols} column(s) or repeated`);
        seen.add(p);
      }
    }
    if (seen.size !== nCols) throw new PickleDataError(`blocks cover ${seen.size} of ${nCols} column(s)`);
    this.mgr = mgr;
  }

  private get m(): PdBlockManager {
    if (!this.mgr) throw new PickleDataError('DataFrame was never given its state');
    return this.mgr;
  }

  /** Column labels. */
  get columns(): PyValue[] {
    return this.m.axes[0].labels;
  }

  /** Row labels. */
  get index(): PyValue[] {
    return this.m.axes[1].labels;
  }

  /** The values of the column labelled `name`, one per row. @throws PickleDataError when there is none */
  column(name: string): PyValue[] {
    const pos = this.columns.findIndex((c) => c === name);
    if (pos < 0) throw new PickleDataError(`DataFrame has no column '${name}' (columns: ${this.columns.map(String).join(', ')})`);
    const nRows = this.index.length;
    for (const b of this.m.blocks) {
      const k = b.placement.indexOf(pos);
      if (k >= 0) return Array.from({ length: nRows }, (_, r) => b.values.item(k * nRows + r));
    }
    throw new PickleDataError(`column '${name}' is in no block`);
  }

  /** Position of the first row labelled `label` (Python `==`), or -1. */
  rowOf(label: PyKey): number {
    return this.index.findIndex((l) => sameLabel(l, label));
  }

  /** How many rows are labelled `label` (`df.loc[label]` is a row for 1, a frame for more). */
  countOf(label: PyKey): number {
    return this.index.reduce((n: number, l) => n + (sameLabel(l, label) ? 1 : 0), 0);
  }
}
