// Download layer figures, as ratios against baselines measured in this process:
// 1. the TypeScript SHA-256 (used in browsers) vs node:crypto (used in Node), 32 MiB;
// 2. fetchFile over loopback HTTP (stream to a .part file, size + SHA-256 check, rename) vs a
//    bare fetch() whose body stream is read and discarded (the network cost alone).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '../src/download/sha256.js';
import { fetchFile } from '../src/download/fetch-file.js';
import { NodeFolderSource } from '../src/sources/node-folder.js';

const N = 32 << 20;
const data = new Uint8Array(N);
for (let i = 0; i < N; i++) data[i] = (i * 2654435761) >>> 24;
const best = async (f: () => unknown, reps = 3) => {
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await f();
    t = Math.min(t, performance.now() - t0);
  }
  return t;
};
const mbps = (ms: number) => (N / 1e6 / (ms / 1000)).toFixed(0);

const ref = createHash('sha256').update(data).digest('hex');
const tNode = await best(() => createHash('sha256').update(data).digest('hex'));
const tTs = await best(() => {
  const h = new Sha256();
  for (let o = 0; o < N; o += 1 << 20) h.update(data.subarray(o, o + (1 << 20)));
  if (h.hex() !== ref) throw new Error('SHA-256 mismatch');
});
console.log(`sha256 32 MiB: node:crypto ${tNode.toFixed(0)} ms (${mbps(tNode)} MB/s); TypeScript ${tTs.toFixed(0)} ms (${mbps(tTs)} MB/s); TS/node time ratio ${(tTs / tNode).toFixed(2)}`);

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-length': String(N), 'content-type': 'application/octet-stream' });
  res.end(data);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x.bin`;
const dir = await mkdtemp(join(tmpdir(), 'deepstrf-bench-'));
const store = new NodeFolderSource(dir);
const tBare = await best(async () => {
  const reader = (await fetch(url)).body!.getReader();
  let got = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) got += r.value.length;
  if (got !== N) throw new Error('short');
});
let k = 0;
const tFetch = await best(async () => {
  await fetchFile(store, url, { path: `x${k++}.bin`, size: N, sha256: ref });
});
console.log(`loopback 32 MiB: bare fetch (read, discard) ${tBare.toFixed(0)} ms (${mbps(tBare)} MB/s); fetchFile (disk + verify) ${tFetch.toFixed(0)} ms (${mbps(tFetch)} MB/s); ratio ${(tFetch / tBare).toFixed(2)}`);
server.close();
await rm(dir, { recursive: true, force: true });
