// 01 · DataLoader: batches prepared in worker threads, a seeded split, per-epoch shuffling, and a
// per-item transform module that turns waveforms into spectrograms inside the workers.
// Run after `npm run build`:  node examples/01-loader.mjs
import { DataLoader, DistributedSampler, SyntheticDataset, randomSplit } from '../dist/index.js';

// 1. Spectrogram-mode dataset, a 75 / 25 split of the est stimuli, 2 workers.
const ds = new SyntheticDataset({ seed: 1 });
ds.selectPopByNrnAttr('area', 'A1');
ds.selectStimsByAttr('subset', 'est');
const [train, val] = randomSplit(ds, [0.75, 0.25], 42);
const loader = new DataLoader(train, { batchSize: 4, shuffle: true, seed: 7, numWorkers: 2 });
console.log(`train ${train.length} items, val ${val.length}; ${loader.length} batches per epoch`);
for (let epoch = 0; epoch < 2; epoch++) {
  loader.setEpoch(epoch); // same seed and epoch → same batches, whatever numWorkers is
  const names = [];
  for await (const batch of loader) names.push(batch.stimMeta.map((m) => m.name).join(' '));
  console.log(`epoch ${epoch}: ${names.join(' | ')}  (store: ${loader.stats.transport})`);
}
await loader.close();

// 2. One rank of a 2-process job reads its own shard.
const shard = new DistributedSampler(ds, { rank: 0, worldSize: 2, seed: 0 });
console.log(`rank 0 of 2 reads ${shard.length} of ${ds.length} items: ${[...shard].join(', ')}`);

// 3. Waveforms → spectrograms in the workers: the transform is a module named by URL.
const waves = new SyntheticDataset({ seed: 1, returnWaveform: true, audioFs: 16000 });
const spectro = new DataLoader(waves, {
  batchSize: 4, numWorkers: 2, recycleBatches: true,
  transform: { url: new URL('./transforms/band-energy.mjs', import.meta.url), options: { nFft: 256 } },
});
for await (const batch of spectro) {
  console.log(`waveform (1, ${waves.stims[0].shape[1]}) → batch stims [${batch.stims.shape.join(', ')}], responses [${batch.responses.shape.join(', ')}]`);
  break; // leaving the loop terminates the workers: the process exits on its own
}
