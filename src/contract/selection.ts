/**
 * The two selection rules of the contract (docs/contract.md) as pure functions over the
 * (S, N) nrnMasks, so they can be tested and reused (concatenations, subsets) on their own.
 * @module
 */

/**
 * The effective neuron list: the neuron selection (or every neuron) narrowed by the stimulus
 * selection — a neuron with no real data on any selected stimulus is hidden (bidirectional rule).
 * `neurons === null` means no restriction; `[]` selects nothing (deliberate difference 1).
 * @example
 * ```ts
 * selectedNeuronsOf(null, [4, 5], masks, 6, 10);
 * ```
 */
export function selectedNeuronsOf(
  neurons: readonly number[] | null,
  stims: readonly number[] | null,
  masks: Uint8Array,
  nStims: number,
  nNeurons: number,
): number[] {
  const base = neurons === null ? Array.from({ length: nNeurons }, (_, i) => i) : [...neurons];
  if (stims === null) return base;
  if (stims.length === 0 || nStims === 0) return [];
  return base.filter((n) => stims.some((s) => masks[s * nNeurons + n] === 1));
}

/**
 * The iterable stimulus list: ascending stimuli on which at least one selected neuron has real
 * data, restricted to the stimulus selection when there is one (its order and duplicates do
 * not matter).
 * @example
 * ```ts
 * iterableStimsOf([0, 2], null, masks, 6, 10);
 * ```
 */
export function iterableStimsOf(
  selected: readonly number[],
  stims: readonly number[] | null,
  masks: Uint8Array,
  nStims: number,
  nNeurons: number,
): number[] {
  if (nStims === 0 || selected.length === 0) return [];
  const allowed = stims === null ? null : new Set(stims);
  const out: number[] = [];
  for (let s = 0; s < nStims; s++) {
    if (allowed !== null && !allowed.has(s)) continue;
    const row = s * nNeurons;
    for (const n of selected) {
      if (masks[row + n] === 1) {
        out.push(s);
        break;
      }
    }
  }
  return out;
}
