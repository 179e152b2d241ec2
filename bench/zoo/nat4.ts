// NAT4 A1 at the real cell count (849 cells, 30 sites, 18 val sounds × 20 repeats) with 29 of the 575 estimation sounds (the population CSV at full size is 1.9 GB): build time of `NAT4Dataset.load` from memory, as a ratio against a same-run baseline
// (inflating every archive of the fixture once: the decompression any build of it must do).
import { gunzipSync } from 'fflate';
import { NAT4Dataset } from '../../src/zoo/nat4.js';
import { MemorySource } from '../../src/sources/memory.js';
import { nat4BenchFiles } from '../../test/helpers/zoo/nems-bench.js';

/** Builds NAT4 once and prints the build time and its ratio to the baseline. */
export async function benchNAT4(): Promise<void> {
  const files = await nat4BenchFiles(29);
  const source = new MemorySource(files);
  const bytes = Object.values(files).reduce((a, b) => a + b.length, 0);
  const archives = Object.entries(files).filter(([k]) => k.endsWith('.tgz'));
  const baseline: number[] = [];
  const build: number[] = [];
  let shape = '';
  for (let i = 0; i < 1; i++) { // one build: datasets are not freed, a second would measure heap growth
    let t = performance.now();
    for (const [, v] of archives) gunzipSync(v);
    baseline.push(performance.now() - t);
    t = performance.now();
    const ds = await NAT4Dataset.load({ source });
    build.push(performance.now() - t);
    shape = `${ds.getS()} stimuli × ${ds.getN()} neurons`;
  }
  const b = Math.min(...build);
  const g = Math.min(...baseline);
  console.log(`NAT4 A1 at the real cell count (849 cells, 30 sites, 18 val sounds × 20 repeats) with 29 of the 575 estimation sounds (the population CSV at full size is 1.9 GB)`);
  console.log(`  fixture ${(bytes / 1e6).toFixed(1)} MB in ${Object.keys(files).length} files → ${shape}`);
  console.log(`  build best ${b.toFixed(0)} ms; baseline (inflate all archives) ${g.toFixed(0)} ms; ratio build/baseline ${(b / g).toFixed(2)}`);
}
