// Helper of bench/loader.bench.ts: gaps in the batch stream of a 2-worker loader, all in one run.
//   - epoch boundary: the wait per batch across an epoch boundary, as a ratio of a steady batch
//     (the mean wait inside epochs); bar ≤ 1.2 (cross-epoch prefetch,
//     docs/loader.md "Epochs and determinism").
//   - first batch: a fresh loader (workers not started) from `for await` to its first batch; the
//     delay worker start-up adds is that time minus the same for a fresh 0-worker loader; bar: at
//     most one steady batch + 50 ms. The worker entry and the transform were already bundled by
//     this process (as the built package never needs).
// The consumer takes each batch and does nothing else (the obvious loop).
import { performance } from 'node:perf_hooks';
import { DataLoader, type NeuralDataset, type TransformOption } from '../src/index.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Delivery times (ms since the first `for await`) of every batch of `epochs` back-to-back epochs. */
async function stamps(loader: DataLoader, epochs: number): Promise<number[][]> {
  const t0 = performance.now();
  const out: number[][] = [];
  for (let e = 0; e < epochs; e++) {
    const s: number[] = [];
    for await (const _ of loader) s.push(performance.now() - t0);
    out.push(s);
  }
  return out;
}

/** Milliseconds from `for await` on a fresh loader to its first batch (the loader closed after). */
async function firstBatch(make: () => DataLoader): Promise<number> {
  const loader = make();
  const t0 = performance.now();
  let ms = Number.NaN;
  for await (const _ of loader) {
    ms = performance.now() - t0;
    break;
  }
  await loader.close();
  return ms;
}

/** Prints the epoch-boundary gap and the first-batch delay of fresh 2-worker loaders over `ds`. */
export async function epochGaps(ds: NeuralDataset, transform: TransformOption | undefined, epochs = 12): Promise<void> {
  const make = (numWorkers: number) => () => new DataLoader(ds, { batchSize: 8, shuffle: true, seed: 1, numWorkers, transform });
  const loader = make(2)();
  const t = await stamps(loader, epochs);
  const { prefetchedAhead, droppedAhead } = loader.stats;
  await loader.close();
  // Steady: the mean wait between batches inside an epoch (epochs after the first, which starts the workers).
  let span = 0;
  let waits = 0;
  for (const s of t.slice(1)) {
    span += s[s.length - 1] - s[0];
    waits += s.length - 1;
  }
  const steady = span / waits;
  // Two workers deliver in pairs (a long wait, then a short one), and where a boundary falls in
  // that rhythm is chance: so the gap is measured over the two waits that span it (last batch of
  // an epoch → second batch of the next, halved), which any extra delay at the boundary is in.
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  const spans = t.slice(1).map((s, e) => (s[1] - t[e][t[e].length - 1]) / 2);
  const singles = t.slice(1).map((s, e) => s[0] - t[e][t[e].length - 1]);
  const gap = mean(spans);
  console.log(
    `epoch boundary (2 workers, ${t[0].length} batches per epoch, ${epochs} epochs): steady batch ${steady.toFixed(1)} ms, ` +
      `at the boundary ${gap.toFixed(1)} ms per batch → ratio ${(gap / steady).toFixed(2)}   bar ≤ 1.2 ` +
      `(last batch → first of the next: mean ${mean(singles).toFixed(1)} ms, max ${Math.max(...singles).toFixed(1)} ms; ` +
      `batches prefetched across a boundary: ${prefetchedAhead} used, ${droppedAhead} dropped)`,
  );
  const firsts: number[] = [];
  const zeros: number[] = [];
  for (let r = 0; r < 3; r++) {
    firsts.push(await firstBatch(make(2)));
    zeros.push(await firstBatch(make(0)));
  }
  const first = median(firsts);
  const zero = median(zeros);
  console.log(
    `first batch of a fresh loader (median of 3): 2 workers ${first.toFixed(1)} ms, 0 workers ${zero.toFixed(1)} ms → ` +
      `worker start-up delays it by ${(first - zero).toFixed(1)} ms   bar ≤ steady batch + 50 ms = ${(steady + 50).toFixed(1)} ms ` +
      `(2 workers' first batch = steady batch + ${(first - steady).toFixed(1)} ms)`,
  );
}
