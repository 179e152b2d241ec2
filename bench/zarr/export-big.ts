// Child process of bench/zarr.bench.ts: builds the generated dataset (bench/zarr/big-dataset.ts)
// straight into this process's wasm store and exports it as a Zarr store, so that the measuring
// process never holds the whole dataset.
//   node --import tsx bench/zarr/export-big.ts <store dir> '<BigSpec as JSON>'
// Prints one JSON line: { buildMs, exportMs, bytes, chunks, peakRss }.
import { exportZarr } from '../../src/index.js';
import { BigDataset, type BigSpec } from './big-dataset.js';

const [dir, specJson] = process.argv.slice(2);
const spec = JSON.parse(specJson) as BigSpec;
const t0 = performance.now();
const ds = new BigDataset(spec);
const t1 = performance.now();
let shown = -1;
const r = await exportZarr(ds, dir, {
  provenance: { dataset: 'generated', options: { ...spec } },
  onProgress: (p) => {
    const pct = Math.floor((100 * p.chunk) / p.chunks);
    if (pct >= shown + 10) {
      shown = pct;
      process.stderr.write(`  export ${pct} % (${p.chunk}/${p.chunks} chunks${p.skipped ? `, ${p.skipped} already there` : ''})\n`);
    }
  },
});
const t2 = performance.now();
console.log(JSON.stringify({ buildMs: t1 - t0, exportMs: t2 - t1, bytes: r.bytes, chunks: r.chunksWritten + r.chunksSkipped, peakRss: process.resourceUsage().maxRSS * 1024 }));
ds.dispose();
