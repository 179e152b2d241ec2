/**
 * The filter panel: neurons by a metadata attribute and quality thresholds, stimuli by a metadata
 * attribute, applied through the dataset's selection API; shows N and S before and after, and
 * the calls it made.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import type { Meta } from '../src/contract/types.js';
import { primitiveKeys } from './quality.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ANY = '';

/** Distinct values of `key` (as text), when there are 2 to 200 of them. */
function distinct(metas: readonly Meta[], key: string): string[] {
  const set = new Set<string>();
  for (const m of metas) {
    if (m[key] !== undefined && m[key] !== null) set.add(String(m[key]));
    if (set.size > 200) return [];
  }
  return set.size >= 2 ? [...set].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })) : [];
}

function fillSelect(sel: HTMLSelectElement, values: string[], anyLabel: string): void {
  const opts = [new Option(anyLabel, ANY), ...values.map((v) => new Option(v, v))];
  sel.replaceChildren(...opts);
}

function wireAttr(attrSel: HTMLSelectElement, valueSel: HTMLSelectElement, metas: readonly Meta[]): void {
  const keys = primitiveKeys(metas, 40).filter((k) => distinct(metas, k).length > 0);
  fillSelect(attrSel, keys, '(any attribute)');
  const refresh = () => fillSelect(valueSel, attrSel.value ? distinct(metas, attrSel.value) : [], '(any)');
  attrSel.onchange = refresh;
  refresh();
}

/** The counts the panel reports. */
const counts = (ds: NeuralDataset) => ({ N: ds.selectedNeurons().length, S: ds.iterableStims().length });

/**
 * Sets the panel up for `ds`; `changed` runs after each apply or reset.
 * @example
 * ```ts
 * setupFilters(ds, () => redraw());
 * ```
 */
export function setupFilters(ds: NeuralDataset, changed: () => void): void {
  wireAttr($('f-attr'), $('f-value'), ds.nrnMeta);
  wireAttr($('f-stim-attr'), $('f-stim-value'), ds.stimMeta);
  const effect = $('f-effect');
  effect.textContent = `N = ${ds.selectedNeurons().length} of ${ds.getN()} neurons, S = ${ds.iterableStims().length} of ${ds.getS()} stimuli`;
  $<HTMLButtonElement>('f-apply').onclick = () => {
    const before = counts(ds);
    const calls = applyFilters(ds);
    const after = counts(ds);
    effect.textContent = `N ${before.N} → ${after.N}, S ${before.S} → ${after.S}  ·  ${calls.join('; ')}`;
    effect.dataset.after = `${after.N},${after.S}`;
    changed();
  };
  $<HTMLButtonElement>('f-reset').onclick = () => {
    const before = counts(ds);
    ds.resetPopSelection();
    ds.resetStimSelection();
    const after = counts(ds);
    effect.textContent = `N ${before.N} → ${after.N}, S ${before.S} → ${after.S}  ·  ds.resetPopSelection(); ds.resetStimSelection()`;
    effect.dataset.after = `${after.N},${after.S}`;
    changed();
  };
}

/** Applies the panel's filters to `ds` from a full selection; returns the calls made, as code. */
function applyFilters(ds: NeuralDataset): string[] {
  const attr = $<HTMLSelectElement>('f-attr').value;
  const value = $<HTMLSelectElement>('f-value').value;
  const snrText = $<HTMLInputElement>('f-snr').value;
  const ccText = $<HTMLInputElement>('f-ccmax').value;
  const stimAttr = $<HTMLSelectElement>('f-stim-attr').value;
  const stimValue = $<HTMLSelectElement>('f-stim-value').value;
  const calls = ['ds.resetPopSelection()', 'ds.resetStimSelection()'];
  ds.resetPopSelection();
  ds.resetStimSelection();
  if (stimAttr && stimValue) {
    ds.selectStimsByPredicate((m) => String(m[stimAttr]) === stimValue);
    calls.push(`ds.selectStimsByPredicate((m) => String(m.${stimAttr}) === ${JSON.stringify(stimValue)})`);
  }
  const tests: Array<(m: Meta) => boolean> = [];
  const text: string[] = [];
  if (attr && value) {
    tests.push((m) => String(m[attr]) === value);
    text.push(`String(m.${attr}) === ${JSON.stringify(value)}`);
  }
  if (snrText !== '') {
    const x = Number(snrText);
    tests.push((m) => (m.snr as number) >= x);
    text.push(`m.snr >= ${x}`);
  }
  if (ccText !== '') {
    const x = Number(ccText);
    tests.push((m) => (m.ccmax as number) >= x);
    text.push(`m.ccmax >= ${x}`);
  }
  if (tests.length) {
    ds.selectPopByNrnPredicate((m) => tests.every((t) => t(m)));
    calls.push(`ds.selectPopByNrnPredicate((m) => ${text.join(' && ')})`);
  }
  return calls;
}
