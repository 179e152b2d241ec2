import { readFileSync } from 'node:fs';
import { WasmHeap } from '../src/memory/heap.js';
import { fftPlan, heapWindow } from '../src/spectral/fft-plan.js';
import { hann } from '../src/spectral/windows.js';
const files = process.argv.slice(2);
const heap = WasmHeap.create({ shared: false });
const inst = files.map((f) => new WebAssembly.Instance(new WebAssembly.Module(readFileSync(f)), { env: { memory: heap.memory, abort: () => { throw new Error('abort'); } } }).exports as any);
const HOP = 128, frames = 1876;
for (const N of [512, 480]) {
  const plan = fftPlan(N, heap);
  const win = heapWindow('p' + N, hann(N, true), heap);
  const xp = heap.alloc(4 * (frames * HOP + N));
  const xv = heap.f32(xp, frames * HOP + N); for (let i = 0; i < xv.length; i++) xv[i] = Math.sin(i * 0.01) + 0.1 * Math.sin(i * 1.7);
  const block = 4 * Math.floor((1 << 15) / (N / 2 + 1));
  const o = heap.alloc(4 * (N / 2 + 1) * block);
  const run = (k: any) => { for (let t = 0; t < frames; t += block) k.stftFrames(plan, xp + 4 * t * HOP, Math.min(block, frames - t), HOP, win, 1, 2, o, Math.min(block, frames - t), 1); };
  const best = inst.map(() => 1e9);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  for (let r = 0; r < 25; r++) inst.forEach((k, i) => { const t0 = cpu(); let n = 0; do { run(k); n++; } while (cpu() - t0 < 40); best[i] = Math.min(best[i], (cpu() - t0) / n); });
  // check equal outputs
  const outs = inst.map((k) => { run(k); return heap.f32(o, 100).slice(); });
  const diff = Math.max(...outs[0].map((v, i) => Math.abs(v - outs[outs.length - 1][i]) / (1e-3 + Math.abs(v))));
  console.log(N, files.map((f, i) => `${f.split('/').pop()} ${best[i].toFixed(3)} ms`).join('  '), 'maxreldiff', diff.toExponential(1));
}
