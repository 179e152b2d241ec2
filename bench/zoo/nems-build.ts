// The ferret (NEMS) datasets' build benchmark, shared by bench/zoo/{nat4,espejo,wingert2026}.ts:
// build time from memory as a ratio against a same-run baseline (inflating every archive of the
// fixture once: the decompression any build of it must do). Each build is disposed before the next.
import { gunzipSync } from 'fflate';
import type { NeuralDataset } from '../../src/contract/neural-dataset.js';
import { MemorySource } from '../../src/sources/memory.js';

/** Builds `rounds` times from `files` and prints the best build time and its ratio to the baseline. */
export async function timeNemsBuild(title: string, files: Record<string, Uint8Array>, load: (source: MemorySource) => Promise<NeuralDataset>, rounds: number): Promise<void> {
  const source = new MemorySource(files);
  const bytes = Object.values(files).reduce((a, b) => a + b.length, 0);
  const archives = Object.entries(files).filter(([k]) => k.endsWith('.tgz'));
  const baseline: number[] = [];
  const build: number[] = [];
  let shape = '';
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    for (const [, v] of archives) gunzipSync(v);
    baseline.push(performance.now() - t);
    t = performance.now();
    const ds = await load(source);
    build.push(performance.now() - t);
    shape = `${ds.getS()} stimuli × ${ds.getN()} neurons`;
    ds.dispose();
  }
  const b = Math.min(...build);
  const g = Math.min(...baseline);
  console.log(title);
  console.log(`  fixture ${(bytes / 1e6).toFixed(1)} MB in ${Object.keys(files).length} files → ${shape}`);
  console.log(`  build best of ${rounds}: ${b.toFixed(0)} ms; baseline (inflate all archives) ${g.toFixed(0)} ms; ratio build/baseline ${(b / g).toFixed(2)}`);
}
