// Helper of bench/loader.bench.ts: what receiving a batch costs the main thread with no loader at
// all — the part of the loader's figure that is not its code. Two bare worker_threads answer
// requests (4 in flight, as 2 workers × prefetchFactor 2), each answer the size of a batch:
//   - transfer: three new ArrayBuffers of the batch's sizes, every byte written, transferred (what a
//     kept batch is); the main thread drops them. V8 counts each as external memory and the
//     main thread's garbage collector runs for it ("external memory pressure") and frees them.
//   - shared: the worker writes the same bytes into a SharedArrayBuffer it keeps and sends only the
//     shapes (what a batch-slot batch is); what remains is the message, and the main thread's caches
//     refilled after the workers streamed the batch's bytes through them.
// Main-thread CPU from /proc (ns), garbage-collection time from PerformanceObserver.
import { Worker } from 'node:worker_threads';
import { PerformanceObserver } from 'node:perf_hooks';
import { mainThreadCpuNs } from './main-thread-cpu.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const sizes = workerData.sizes;
const sab = new SharedArrayBuffer(sizes.reduce((a, b) => a + b, 0));
parentPort.on('message', (seq) => {
  if (workerData.mode === 'transfer') {
    const bufs = sizes.map((n) => { const b = new ArrayBuffer(n); new Uint8Array(b).fill(seq & 255); return b; });
    parentPort.postMessage({ seq, shapes: sizes, bufs }, bufs);
  } else {
    new Uint8Array(sab).fill(seq & 255);
    parentPort.postMessage({ seq, shapes: sizes, bufs: null });
  }
});`;

/** Main-thread CPU and GC milliseconds per answer, `answers` answers of `sizes` bytes each in `mode`. */
export async function receiveFloor(mode: 'transfer' | 'shared', sizes: number[], answers: number): Promise<{ cpuMs: number; gcMs: number }> {
  const workers = [0, 1].map(() => new Worker(WORKER, { eval: true, workerData: { mode, sizes } }));
  const pending = new Map<number, () => void>();
  for (const w of workers) w.on('message', (m: { seq: number }) => pending.get(m.seq)?.());
  let seq = 0;
  const ask = () =>
    new Promise<void>((resolve) => {
      const s = seq++;
      pending.set(s, () => {
        pending.delete(s);
        resolve();
      });
      workers[s % 2].postMessage(s);
    });
  const run = async (n: number) => {
    const inFlight = [ask(), ask(), ask(), ask()];
    for (let i = 0; i < n; i++) {
      await inFlight.shift();
      inFlight.push(ask());
    }
    await Promise.all(inFlight);
  };
  await run(8); // warm-up
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const c0 = mainThreadCpuNs();
  await run(answers);
  const cpuMs = (mainThreadCpuNs() - c0) / 1e6 / answers;
  obs.disconnect();
  await Promise.all(workers.map((w) => w.terminate()));
  return { cpuMs, gcMs: gcMs / answers };
}
