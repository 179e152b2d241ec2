/**
 * The batch panel: one epoch of the dataset's current selection through the worker DataLoader
 * (src/loader/data-loader.ts), each batch's shapes and the wait for it.
 * @module
 */
import type { NeuralDataset } from '../src/contract/neural-dataset.js';
import { DataLoader } from '../src/loader/data-loader.js';
import { isLazy } from './lazy.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const shape = (s: readonly number[]) => `(${s.join(', ')})`;

/**
 * Streams one epoch and fills the table; resolves when the loader is closed.
 * @example
 * ```ts
 * await streamBatches(ds, 4, 1);
 * ```
 */
export async function streamBatches(ds: NeuralDataset, batchSize: number, workers: number): Promise<void> {
  // The loader's workers read a packed store; a lazy dataset is loaded in the page's thread (docs/zarr.md).
  const lazy = isLazy(ds);
  const numWorkers = lazy ? 0 : workers;
  const body = $<HTMLTableElement>('batches').tBodies[0];
  const summary = $('b-summary');
  body.replaceChildren();
  delete summary.dataset.batches;
  summary.textContent = lazy ? 'fetching the first batch…' : 'starting the workers…';
  // The loop keeps no batch, so its memory is recycled (no fresh 10–50 MB per NS1 batch for the GC).
  const loader = new DataLoader(ds, { batchSize, numWorkers, workerIdleTimeout: 0, recycleBatches: true });
  const t0 = performance.now();
  let last = t0;
  let i = 0;
  const pending: HTMLTableRowElement[] = [];
  const flush = () => body.append(...pending.splice(0));
  try {
    for await (const b of loader) {
      const now = performance.now();
      const tr = document.createElement('tr');
      const bytes = b.stims.data.byteLength + b.responses.data.byteLength + b.validMask.data.byteLength;
      for (const text of [String(i), shape(b.stims.shape), shape(b.responses.shape), shape(b.validMask.shape), `${(bytes / 1e6).toFixed(2)} MB`, (now - last).toFixed(1)]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      pending.push(tr);
      if (pending.length === 1) requestAnimationFrame(flush); // one DOM change per frame
      last = now;
      i++;
    }
    flush();
    const total = performance.now() - t0;
    summary.textContent = lazy
      ? `${i} batches of ≤ ${batchSize} in ${total.toFixed(0)} ms in the page's thread (numWorkers 0: the DataLoader has no workers for a lazy Zarr store; it fetches the next batches' cells ahead)`
      : `${i} batches of ≤ ${batchSize} in ${total.toFixed(0)} ms with ${numWorkers} worker${numWorkers > 1 ? 's' : ''} ` +
        `(store sent by ${loader.stats.transport ?? 'n/a'}; first batch includes worker start-up)`;
    summary.dataset.batches = String(i);
  } finally {
    await loader.close();
  }
}
