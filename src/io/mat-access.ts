/**
 * Small typed accessors for loaders walking `readMat` results: each checks the value's kind and
 * throws a `ValueError` naming the path (e.g. `data.set(3).repeats(2).t`) and what was found.
 * @module
 */
import { ValueError } from '../errors.js';
import type { MatChar, MatNumeric, MatStruct, MatValue } from './mat-types.js';

const describe = (v: MatValue | undefined): string => {
  if (v === undefined) return 'nothing';
  if (v.kind === 'numeric') return `a ${v.shape.join('x')} ${v.class} array`;
  if (v.kind === 'skipped') return `a skipped ${v.matlabClass}`;
  if (v.kind === 'sparse') return `a ${v.shape.join('x')} sparse matrix`;
  return `a ${v.shape.join('x')} ${v.kind}`;
};

/**
 * The struct at `where`.
 * @example
 * ```ts
 * const sets = matStruct(matField(matStruct(vars.data, 'data'), 0, 'set', 'data'), 'data.set');
 * ```
 */
export function matStruct(v: MatValue | undefined, where: string): MatStruct {
  if (v?.kind !== 'struct') throw new ValueError(`${where}: expected a struct, found ${describe(v)}`);
  return v;
}

/**
 * Field `field` of element `index` (0-based, column-major) of a struct array.
 * @example
 * ```ts
 * const t = matField(repeats, r, 't', `data.set(${s + 1}).repeats`);
 * ```
 */
export function matField(s: MatStruct, index: number, field: string, where: string): MatValue {
  if (!(index >= 0 && index < s.elements.length)) {
    throw new RangeError(`${where}(${index + 1}): index out of range for a ${s.shape.join('x')} struct array`);
  }
  if (!s.fieldNames.includes(field)) throw new ValueError(`${where}: no field '${field}' (fields: ${s.fieldNames.join(', ')})`);
  return s.elements[index][field];
}

/**
 * The text of a char array.
 * @example
 * ```ts
 * matText(matField(neuron, i, 'singleT', 'neuron'), `neuron(${i + 1}).singleT`); // 'Yes'
 * ```
 */
export function matText(v: MatValue | undefined, where: string): string {
  if (v?.kind !== 'char') throw new ValueError(`${where}: expected a char array, found ${describe(v)}`);
  return (v as MatChar).text;
}

/**
 * The single number of a 1-element numeric or logical array (int64 values converted to number).
 * @example
 * ```ts
 * matNumber(matField(neuron, i, 'depth', 'neuron'), `neuron(${i + 1}).depth`); // 600
 * ```
 */
export function matNumber(v: MatValue | undefined, where: string): number {
  if ((v?.kind !== 'numeric' && v?.kind !== 'logical') || v.data.length !== 1) {
    throw new ValueError(`${where}: expected a single number, found ${describe(v)}`);
  }
  return Number(v.data[0]);
}

/**
 * The values of a numeric or logical array as a `Float64Array` (the array's own data when it
 * is already double, else a converted copy). An empty array of any class gives length 0.
 * @example
 * ```ts
 * const spikes = matNumbers(matField(reps, r, 't', where), where); // ms
 * ```
 */
export function matNumbers(v: MatValue | undefined, where: string): Float64Array {
  if (v?.kind !== 'numeric' && v?.kind !== 'logical') throw new ValueError(`${where}: expected a numeric array, found ${describe(v)}`);
  const d = (v as MatNumeric).data;
  if (d instanceof Float64Array) return d;
  const out = new Float64Array(d.length);
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  else out.set(d);
  return out;
}
