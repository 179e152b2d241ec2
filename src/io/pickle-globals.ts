/**
 * The whitelist of Python globals the pickle reader (src/io/pickle.ts) reconstructs — and the
 * only code a pickle can reach. Each entry is written here in TypeScript; nothing from the
 * pickle is ever executed.
 * @module
 */
import { isPyTuple, PickleDataError, PyCallable, PySlice, type PyKey, type PyValue } from './pickle-types.js';
import { arrayFromBuffer, arrayScalar, NDArray, NpDType, reconstructArray } from './pickle-numpy.js';
import { newIndex, PANDAS_INDEX_CLASSES, PdBlockManager, PdDataFrame, unpickleBlock } from './pickle-pandas.js';

/** `_codecs.encode(text, 'latin1')`: how protocol 2 writes `bytes`. */
function latin1(args: readonly PyValue[]): Uint8Array {
  const [text, enc] = args;
  if (typeof text !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw new PickleDataError("only _codecs.encode(str, 'latin1') is supported");
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) throw new PickleDataError(`character ${c} is not latin-1`);
    out[i] = c;
  }
  return out;
}

/** `bytes()` / `bytearray(...)`: empty, a copy of bytes, or latin-1 text (protocol 2). */
function bytearray(args: readonly PyValue[]): Uint8Array {
  if (args.length === 0) return new Uint8Array(0);
  if (args[0] instanceof Uint8Array) return args[0].slice();
  return latin1(args);
}

function setOf(args: readonly PyValue[]): Set<PyKey> {
  const items = args[0] ?? [];
  if (!Array.isArray(items)) throw new PickleDataError('set() argument is not a list');
  const s = new Set<PyKey>();
  for (const v of items) {
    if (v !== null && typeof v === 'object') throw new PickleDataError('set element is not a scalar');
    s.add(v);
  }
  return s;
}

const numpyCore = (name: string) => [`numpy.core.multiarray.${name}`, `numpy._core.multiarray.${name}`];
const table = new Map<string, PyCallable>();
const add = (names: string[], onCall?: (a: readonly PyValue[]) => PyValue, onNew?: (a: readonly PyValue[]) => PyValue) => {
  for (const n of names) table.set(n, new PyCallable(names[0], onCall, onNew));
};

add(['builtins.slice', '__builtin__.slice'], (a) => new PySlice(a));
add(['builtins.bytearray', '__builtin__.bytearray', 'builtins.bytes', '__builtin__.bytes'], bytearray);
add(['builtins.set', '__builtin__.set', 'builtins.frozenset', '__builtin__.frozenset'], setOf);
add(['_codecs.encode'], latin1);
add(numpyCore('_reconstruct'), reconstructArray);
add(numpyCore('scalar'), arrayScalar);
add(['numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer'], arrayFromBuffer);
add(['numpy.ndarray'], undefined, () => new NDArray());
add(['numpy.dtype'], (a) => new NpDType(a));
add(['pandas.core.indexes.base._new_Index'], newIndex);
for (const cls of PANDAS_INDEX_CLASSES) add([cls]);
add(['pandas._libs.internals._unpickle_block'], unpickleBlock);
add(['pandas.core.internals.managers.BlockManager', 'pandas.core.internals.BlockManager'], (a) => PdBlockManager.fromArgs(a), () => new PdBlockManager());
add(['pandas.core.frame.DataFrame'], undefined, (a) => {
  if (a.length) throw new PickleDataError('DataFrame NEWOBJ with arguments');
  return new PdDataFrame();
});

/**
 * The reconstructor of `module.name`, or undefined when it is not whitelisted.
 * @example
 * ```ts
 * findGlobal('numpy', 'dtype')?.qualname; // 'numpy.dtype'
 * findGlobal('os', 'system'); // undefined
 * ```
 */
export function findGlobal(module: string, name: string): PyCallable | undefined {
  return table.get(`${module}.${name}`);
}
