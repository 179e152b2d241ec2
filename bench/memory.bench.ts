// Memory over a long session (docs/memory.md): the wasm memory (its size and the allocator's
// held bytes) and the process RSS across 30 dataset builds, each disposed, then 50 loader
// restarts (2 workers, break after one batch) on one dataset. NS1 when the release is found,
// else a SyntheticDataset. Ratios are against the same figures after the first round (the
// warm-up: caches, the worker bundle), measured in this process; 1.00× is flat. Before
// dispose() and the free-list allocator, each NS1 build added ~185 MiB and each restart ~190 MiB.
import { DataLoader, NS1Dataset, SyntheticDataset, defaultHeap, type NeuralDataset } from '../src/index.js';
import { findNs1 } from '../test/helpers/ns1-data.js';

const { dir } = findNs1('memory benchmark (falls back to a SyntheticDataset)');
const build = (): NeuralDataset => (dir ? new NS1Dataset({ path: dir }) : new SyntheticDataset({ seed: 2, nNeurons: 64, nStims: 48, bins: [400, 800] }));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const MiB = 2 ** 20;
const sample = () => {
  gc();
  const s = defaultHeap().stats();
  return { capacity: s.capacity, held: s.held, rss: process.memoryUsage().rss };
};
type Sample = ReturnType<typeof sample>;
const row = (label: string, s: Sample) =>
  console.log(`${label.padEnd(14)} wasm ${(s.capacity / MiB).toFixed(1).padStart(7)} MiB  held ${(s.held / MiB).toFixed(1).padStart(7)} MiB  RSS ${(s.rss / MiB).toFixed(0).padStart(5)} MiB`);
const ratios = (what: string, first: Sample, end: Sample) =>
  console.log(`${what}: wasm ${(end.capacity / first.capacity).toFixed(2)}×, held ${(end.held / first.held).toFixed(2)}×, RSS ${(end.rss / first.rss).toFixed(2)}× (last vs first round)`);

console.log(`dataset: ${dir ? `NS1 (${dir})` : 'SyntheticDataset (NS1 not found)'}`);
row('start', sample());

// 30 builds, each disposed.
let first: Sample | null = null;
let last = sample();
let storeBytes = 0;
for (let i = 1; i <= 30; i++) {
  const before = defaultHeap().stats().held;
  const ds = build();
  storeBytes = defaultHeap().stats().held - before;
  ds.dispose();
  last = sample();
  first ??= last;
  if (i === 1 || i % 5 === 0) row(`build ${i}`, last);
}
console.log(`store per build: ${(storeBytes / MiB).toFixed(1)} MiB (30 builds without dispose() would hold ${((30 * storeBytes) / MiB).toFixed(0)} MiB)`);
ratios('30 builds', first as Sample, last);

// 50 restarts on one dataset.
const ds = build();
first = null;
for (let i = 1; i <= 50; i++) {
  const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, numWorkers: 2 });
  for await (const _ of loader) break;
  last = sample();
  first ??= last;
  if (i === 1 || i % 10 === 0) row(`restart ${i}`, last);
}
ratios('50 restarts', first as Sample, last);
ds.dispose();
