/**
 * The value model of the pickle reader (src/io/pickle.ts): what each Python value becomes, the
 * whitelisted globals (`PyCallable`) and the base of reconstructed objects (`PyObject`).
 * @module
 */

/**
 * A value read from a pickle: `None` → null, `bool` → boolean, `int` → bigint, `float` → number,
 * `str` → string, `bytes` → Uint8Array, `list` → array, `tuple` → frozen array, `dict` → Map,
 * `set` → Set, NumPy arrays and pandas objects → `PyObject` subclasses, whitelisted globals →
 * `PyCallable`.
 * @example
 * ```ts
 * const v: PyValue = loadPickle(bytes, 'x.pkl').value;
 * ```
 */
export type PyValue =
  | null | boolean | number | bigint | string | Uint8Array
  | PyValue[] | readonly PyValue[] | Map<PyKey, PyValue> | Set<PyKey> | PyObject | PyCallable;

/**
 * A dict key or set element: the hashable scalars (tuples and objects as keys are refused).
 * @example
 * ```ts
 * const d = loadPickle(bytes, 'x.pkl').value as Map<PyKey, PyValue>; d.get('Bird');
 * ```
 */
export type PyKey = null | boolean | number | bigint | string;

/**
 * True for a Python tuple (read as a frozen array).
 * @example
 * ```ts
 * isPyTuple(loadPickle(bytes, 'x.pkl').value); // true for a pickled (1, 2)
 * ```
 */
export function isPyTuple(v: unknown): v is readonly PyValue[] {
  return Array.isArray(v) && Object.isFrozen(v);
}

/**
 * Thrown by reconstructors on inconsistent state; the VM reports it as a `FormatError` at the
 * opcode's offset.
 * @example
 * ```ts
 * throw new PickleDataError('shape (3,) needs 24 bytes, got 16');
 * ```
 */
export class PickleDataError extends Error {}

/**
 * An object the VM can `BUILD` (give its pickled state to).
 * @example
 * ```ts
 * class Thing extends PyObject { setState(s: PyValue) { this.state = s; } }
 * ```
 */
export abstract class PyObject {
  /** `module.Name` of the Python class. */
  abstract readonly pyClass: string;
  /** Receives the state of a BUILD opcode. */
  setState(_state: PyValue): void {
    throw new PickleDataError(`${this.pyClass} takes no BUILD state`);
  }
}


/**
 * A whitelisted global: what REDUCE calls (`call`) or NEWOBJ instantiates (`newobj`).
 * @example
 * ```ts
 * new PyCallable('builtins.slice', (a) => new PySlice(a));
 * ```
 */
export class PyCallable {
  constructor(
    readonly qualname: string,
    private readonly onCall?: (args: readonly PyValue[]) => PyValue,
    private readonly onNew?: (args: readonly PyValue[]) => PyValue,
  ) {}

  /** `qualname(*args)` (REDUCE). */
  call(args: readonly PyValue[]): PyValue {
    if (!this.onCall) throw new PickleDataError(`${this.qualname} cannot be called`);
    return this.onCall(args);
  }

  /** `qualname.__new__(qualname, *args)` (NEWOBJ). */
  newobj(args: readonly PyValue[]): PyValue {
    if (!this.onNew) throw new PickleDataError(`${this.qualname} cannot be instantiated by NEWOBJ`);
    return this.onNew(args);
  }
}

/**
 * A Python `slice(start, stop, step)` (pandas block placements).
 * @example
 * ```ts
 * new PySlice([0n, 2n, 1n]).indices(5); // [0, 1]
 * ```
 */
export class PySlice extends PyObject {
  readonly pyClass = 'builtins.slice';
  readonly start: number | null;
  readonly stop: number | null;
  readonly step: number;
  constructor(args: readonly PyValue[]) {
    super();
    if (args.length < 1 || args.length > 3) throw new PickleDataError(`slice takes 1 to 3 arguments, got ${args.length}`);
    const num = (v: PyValue | undefined, what: string): number | null => {
      if (v === null || v === undefined) return null;
      if (typeof v !== 'bigint') throw new PickleDataError(`slice ${what} is not an int or None`);
      return Number(v);
    };
    const a = args.length === 1 ? [null, args[0], null] : [args[0], args[1], args[2] ?? null];
    this.start = num(a[0], 'start');
    this.stop = num(a[1], 'stop');
    this.step = num(a[2], 'step') ?? 1;
    if (this.step === 0) throw new PickleDataError('slice step is 0');
  }

  /** The positions the slice selects in a sequence of length `n` (Python's `range(*s.indices(n))`). */
  indices(n: number): number[] {
    const clamp = (v: number | null, dflt: number, lo: number, hi: number) => (v === null ? dflt : v < 0 ? Math.max(v + n, lo) : Math.min(v, hi));
    const out: number[] = [];
    if (this.step > 0) {
      for (let i = clamp(this.start, 0, 0, n), e = clamp(this.stop, n, 0, n); i < e; i += this.step) out.push(i);
    } else {
      for (let i = clamp(this.start, n - 1, -1, n - 1), e = clamp(this.stop, -1, -1, n - 1); i > e; i += this.step) out.push(i);
    }
    return out;
  }
}
