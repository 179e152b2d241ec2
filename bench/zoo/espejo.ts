// Espejo VMN at the real counts (103 sites, ~200 cells, 75 names): build time of `EspejoDataset.load` from memory, as a ratio against a same-run baseline
// (inflating every archive of the fixture once: the decompression any build of it must do).
import { gunzipSync } from 'fflate';
import { EspejoDataset } from '../../src/zoo/espejo.js';
import { MemorySource } from '../../src/sources/memory.js';
import { espejoBenchFiles } from '../../test/helpers/zoo/nems-bench.js';

/** Builds Espejo three times and prints the best build time and its ratio to the baseline. */
export async function benchEspejo(): Promise<void> {
  const files = await espejoBenchFiles();
  const source = new MemorySource(files);
  const bytes = Object.values(files).reduce((a, b) => a + b.length, 0);
  const archives = Object.entries(files).filter(([k]) => k.endsWith('.tgz'));
  const baseline: number[] = [];
  const build: number[] = [];
  let shape = '';
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    for (const [, v] of archives) gunzipSync(v);
    baseline.push(performance.now() - t);
    t = performance.now();
    const ds = await EspejoDataset.load({ source, stimuli: 'vmn' });
    build.push(performance.now() - t);
    shape = `${ds.getS()} stimuli × ${ds.getN()} neurons`;
  }
  const b = Math.min(...build);
  const g = Math.min(...baseline);
  console.log(`Espejo VMN at the real counts (103 sites, ~200 cells, 75 names)`);
  console.log(`  fixture ${(bytes / 1e6).toFixed(1)} MB in ${Object.keys(files).length} files → ${shape}`);
  console.log(`  build best ${b.toFixed(0)} ms; baseline (inflate all archives) ${g.toFixed(0)} ms; ratio build/baseline ${(b / g).toFixed(2)}`);
}
