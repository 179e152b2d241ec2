/**
 * Every registered dataset, by CLI name. A zoo module exports its entry; this list is the one
 * place that names them (one line each). The CLI's help, `info | download | run <name>` and the
 * README's dataset table follow it.
 * @module
 */
import { ValueError } from '../errors.js';
import type { DatasetEntry } from './registry.js';
import { ns1Entry } from './ns1-entry.js';
import { aa1Entry } from './crcns-aa1.js';
import { aa2Entry } from './crcns-aa2.js';
import { aa4Entry } from './crcns-aa4.js';
import { aa5Entry } from './aa5-entry.js';
import { le2025Entry } from './le2025.js';
import { downer2025Entry } from './downer2025.js';
import { aliceEegEntry } from './alice-eeg.js';
import { synthEntry } from './synthetic-entry.js';
import { nat4Entry } from './nat4.js';
import { espejoEntry } from './espejo.js';
import { wingert2026Entry } from './wingert2026.js';
import { ac1Entry } from './crcns-ac1-entry.js';

const ENTRIES: readonly DatasetEntry[] = Object.freeze([
  synthEntry,
  ns1Entry,
  nat4Entry,
  espejoEntry,
  wingert2026Entry,
  aa1Entry,
  aa2Entry,
  aa4Entry,
  aa5Entry,
  le2025Entry,
  downer2025Entry,
  aliceEegEntry,
  ac1Entry,
]);

/**
 * The registered datasets, in catalog order.
 * @example
 * ```ts
 * for (const d of listDatasets()) console.log(d.name, d.species, d.size);
 * ```
 */
export function listDatasets(): readonly DatasetEntry[] {
  return ENTRIES;
}

/**
 * The entry registered as `name` (case-insensitive).
 * @throws ValueError naming the known datasets when none is.
 * @example
 * ```ts
 * const ns1 = await getDataset('ns1').load({ path: '/data/NS1' });
 * ```
 */
export function getDataset(name: string): DatasetEntry {
  const e = ENTRIES.find((d) => d.name === name.toLowerCase());
  if (!e) throw new ValueError(`unknown dataset "${name}" (known: ${ENTRIES.map((d) => d.name).join(', ')})`);
  return e;
}
