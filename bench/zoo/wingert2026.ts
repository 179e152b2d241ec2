// Wingert 2026 at the real per-session counts (46 cells, 106 stimuli of 32 × 2000, val R 10) for 4 of the 68 sessions: build time of `Wingert2026Dataset.load` from memory, as a ratio against a same-run baseline
// (inflating every archive of the fixture once: the decompression any build of it must do).
import { gunzipSync } from 'fflate';
import { Wingert2026Dataset } from '../../src/zoo/wingert2026.js';
import { MemorySource } from '../../src/sources/memory.js';
import { wingertBenchFiles } from '../../test/helpers/zoo/nems-bench.js';

/** Builds Wingert2026 once and prints the build time and its ratio to the baseline. */
export async function benchWingert2026(): Promise<void> {
  const files = await wingertBenchFiles(4);
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
    const ds = await Wingert2026Dataset.load({ source });
    build.push(performance.now() - t);
    shape = `${ds.getS()} stimuli × ${ds.getN()} neurons`;
  }
  const b = Math.min(...build);
  const g = Math.min(...baseline);
  console.log(`Wingert 2026 at the real per-session counts (46 cells, 106 stimuli of 32 × 2000, val R 10) for 4 of the 68 sessions`);
  console.log(`  fixture ${(bytes / 1e6).toFixed(1)} MB in ${Object.keys(files).length} files → ${shape}`);
  console.log(`  build best ${b.toFixed(0)} ms; baseline (inflate all archives) ${g.toFixed(0)} ms; ratio build/baseline ${(b / g).toFixed(2)}`);
}
