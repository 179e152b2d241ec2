import { unzlibSync, zlibSync, inflateSync } from 'fflate';
const raw = new Uint8Array(1500).map((_, i) => (i * 7) % 13);
const z = zlibSync(raw);
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  for (let i = 0; i < 2000; i++) unzlibSync(z);
  console.log('unzlibSync', ((performance.now() - t0) / 2000 * 1000).toFixed(1), 'us');
  t0 = performance.now();
  for (let i = 0; i < 2000; i++) unzlibSync(z, { out: new Uint8Array(1500) });
  console.log('with out', ((performance.now() - t0) / 2000 * 1000).toFixed(1), 'us');
}
