// Collate benchmark (bars in docs/performance.md). For the NS1-like batch (B 8, N 73, R 1–20,
// T 400–600, F 34; ≈ 33 MB) and a large one (B 16, N 100, R 20, T 2500–5000, F 64), all in one
// run, medians, rounds interleaved so that load from other processes hits every path alike:
//   fresh memcpy           the batch's bytes (its three arrays) copied into new zero-filled
//                          ArrayBuffers: the baseline of every ratio
//   neuralCollate          the public call: new (uninitialised) buffers, each byte written once
//                          — bar ≥ 0.9 × fresh memcpy
//   uninitialised memcpy   the same copies into uninitialised new buffers (the floor of any
//                          collate into new memory)
//   warm memcpy            the same copies into buffers already touched (the speed of warm memory)
//   neuralCollate, warm    into the buffers of the previous batch (`reuse`): the collate's own
//                          speed, without allocation, page faults or garbage collection
//   neuralCollate, shared slot   into `SharedArrayBuffer` arrays (`into`), as a loader worker
//                          writes its batch slot
//   DataLoader 0 workers   the obvious loop, `for await (const b of loader) {}`, keeping nothing,
//                          per batch vs a fresh memcpy of the same batches' bytes — bar ≥ 1.5 ×;
//                          and the same loop releasing each batch (`for await (using b of loader)`,
//                          written here as b.release()): later batches are written into its memory
import { platform } from '#platform';
import { DataLoader } from '../src/loader/data-loader.js';
import { neuralCollate, type Batch } from '../src/collate/neural-collate.js';
import { NS1_LIKE, ns1LikeDataset, type Ns1LikeShape } from './ns1-like.js';

const now = () => performance.now();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f: () => unknown) => {
  const t = now();
  f();
  return now() - t;
};

/** The three array lengths of a batch, and sources of those sizes for the memcpy baselines. */
const lengths = (b: Batch) => [b.stims.data.length, b.responses.data.length, b.validMask.data.length];
const freshCopy = (ls: number[], src: Float32Array[]) => {
  new Float32Array(ls[0]).set(src[0].subarray(0, ls[0]));
  new Float32Array(ls[1]).set(src[1].subarray(0, ls[1]));
  new Uint8Array(ls[2]).set(new Uint8Array(src[1].buffer, 0, ls[2]));
};
const uninitCopy = (ls: number[], src: Float32Array[]) => {
  new Float32Array(platform.allocUninitialized(4 * ls[0])).set(src[0].subarray(0, ls[0]));
  new Float32Array(platform.allocUninitialized(4 * ls[1])).set(src[1].subarray(0, ls[1]));
  new Uint8Array(platform.allocUninitialized(ls[2])).set(new Uint8Array(src[1].buffer, 0, ls[2]));
};

async function bench(sh: Ns1LikeShape, reps: number, loaderRounds: number): Promise<void> {
  const ds = ns1LikeDataset(sh);
  const items = Array.from({ length: sh.B }, (_, i) => ds.get(i));
  const ref = neuralCollate(items);
  const ls = lengths(ref);
  const bytes = 4 * ls[0] + 4 * ls[1] + ls[2];
  const src = [new Float32Array(ls[0]).fill(0.5), new Float32Array(ls[1]).fill(1)];
  const warm = [new Float32Array(ls[0]), new Float32Array(ls[1]), new Uint8Array(ls[2])];
  const warmCopy = () => {
    warm[0].set(src[0]);
    warm[1].set(src[1]);
    (warm[2] as Uint8Array).set(new Uint8Array(src[1].buffer, 0, ls[2]));
  };
  const slot = { stims: new Float32Array(new SharedArrayBuffer(4 * ls[0])), responses: new Float32Array(new SharedArrayBuffer(4 * ls[1])), validMask: new Uint8Array(new SharedArrayBuffer(ls[2])) };
  let reused = neuralCollate(items);
  const t = { fresh: [] as number[], collate: [] as number[], uninit: [] as number[], warm: [] as number[], reuse: [] as number[], slot: [] as number[] };
  for (let i = 0; i < 2; i++) neuralCollate(items); // warm-up (JIT)
  for (let i = 0; i < reps; i++) {
    t.fresh.push(time(() => freshCopy(ls, src)));
    t.collate.push(time(() => neuralCollate(items)));
    t.uninit.push(time(() => uninitCopy(ls, src)));
    t.warm.push(time(warmCopy));
    t.reuse.push(time(() => (reused = neuralCollate(items, { reuse: reused }))));
    t.slot.push(time(() => neuralCollate(items, { into: () => slot })));
  }
  const mb = bytes / 1e6;
  const m = { fresh: median(t.fresh), collate: median(t.collate), uninit: median(t.uninit), warm: median(t.warm), reuse: median(t.reuse), slot: median(t.slot) };
  const line = (what: string, ms: number, ratio: string) => console.log(`  ${what.padEnd(30)} ${ms.toFixed(2).padStart(7)} ms  ${(mb / ms).toFixed(2)} GB/s  ${ratio}`);
  console.log(`${sh.name}: B ${sh.B}, N ${sh.N}, R ${sh.R.join('–')}, T ${sh.T.join('–')} (this batch: R_max ${ref.responses.shape[2]}, T_max ${ref.responses.shape[3]}), F ${sh.F} → ${mb.toFixed(1)} MB per batch`);
  line('fresh memcpy (baseline)', m.fresh, '');
  line('neuralCollate, new memory', m.collate, `${(m.fresh / m.collate).toFixed(2)} × fresh memcpy   bar ≥ 0.9`);
  line('uninitialised memcpy', m.uninit, `${(m.fresh / m.uninit).toFixed(2)} ×`);
  line('warm memcpy', m.warm, `${(m.fresh / m.warm).toFixed(2)} ×`);
  line('neuralCollate, warm (reuse)', m.reuse, `${(m.fresh / m.reuse).toFixed(2)} ×   ${(m.warm / m.reuse).toFixed(2)} × warm memcpy`);
  line('neuralCollate, shared slot', m.slot, `${(m.fresh / m.slot).toFixed(2)} ×   ${(m.warm / m.slot).toFixed(2)} × warm memcpy`);
  if (loaderRounds === 0) return;

  // The obvious loop, 0 workers, keeping nothing, against a fresh memcpy of the same batches' bytes.
  const loader = new DataLoader(ds, { batchSize: sh.B, shuffle: true, seed: 3 });
  const shapes: number[][] = [];
  for await (const b of loader) shapes.push(lengths(b)); // warm-up, and the epoch's batch sizes
  const per = { loop: [] as number[], using: [] as number[], fresh: [] as number[], loopFaults: [] as number[], usingFaults: [] as number[] };
  const faults = () => process.resourceUsage().minorPageFault;
  const nb = shapes.length;
  // Each block starts from a collected heap (the bench runs with --expose-gc), so that no line pays
  // for the garbage the block before it left (the kept loop's and the memcpy's 33 MB per batch).
  const collected = () => (globalThis as { gc?: () => void }).gc?.();
  for (let r = 0; r < loaderRounds; r++) {
    loader.setEpoch(0); // the same batches as the replayed memcpy below
    collected();
    let f0 = faults();
    let t0 = now();
    for await (const _ of loader);
    per.loop.push((now() - t0) / nb);
    per.loopFaults.push((faults() - f0) / nb);
    loader.setEpoch(0);
    collected();
    f0 = faults();
    t0 = now();
    for await (const b of loader) b.release();
    per.using.push((now() - t0) / nb);
    per.usingFaults.push((faults() - f0) / nb);
    collected();
    per.fresh.push(time(() => shapes.forEach((s) => freshCopy(s, src))) / nb);
  }
  const loop = median(per.loop), using = median(per.using), fresh = median(per.fresh);
  console.log(`  DataLoader 0 workers, ${nb} batches per epoch, per batch; fresh memcpy of the same batches ${fresh.toFixed(2)} ms`);
  console.log(`    obvious loop keeping nothing     ${loop.toFixed(2)} ms → ${(fresh / loop).toFixed(2)} × fresh memcpy   bar ≥ 1.5`);
  console.log(`    releasing each batch (using)     ${using.toFixed(2)} ms → ${(fresh / using).toFixed(2)} × fresh memcpy`);
  const pages = Math.ceil(shapes.reduce((a, l) => a + 4 * l[0] + 4 * l[1] + l[2], 0) / nb / 4096);
  console.log(`    page faults per batch (minor, medians): keeping nothing ${median(per.loopFaults).toFixed(0)}, releasing ${median(per.usingFaults).toFixed(0)}, of ${pages} pages per batch`);
}

await bench(NS1_LIKE, 21, 15);
await bench({ name: 'large', B: 16, N: 100, R: [20, 20], T: [2500, 5000], F: 64, S: 16 }, 5, 0);
