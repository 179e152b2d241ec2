// 00 · Quick start: build the embedded dataset, select a population, collate a batch.
// Run after `npm run build`:  node examples/00-quickstart.mjs
import { SyntheticDataset, neuralCollate } from '../dist/index.js';

const ds = new SyntheticDataset({ seed: 1 });
console.log(String(ds));

// Neurons of area A1, validation stimuli only (neurons without val data are hidden).
ds.selectPopByNrnAttr('area', 'A1');
ds.selectStimsByAttr('subset', 'val');
console.log(`${ds.selectedNeurons().length} neurons, ${ds.length} stimuli`);

const batch = neuralCollate([0, 1, 2, 3].map((i) => ds.get(i)));
const [B, N, R, T] = batch.responses.shape;
let valid = 0;
for (const v of batch.validMask.data) valid += v;
console.log(`responses (B ${B}, N ${N}, R ${R}, T ${T}); ${((100 * valid) / batch.validMask.data.length).toFixed(1)} % recorded`);
console.log('stimuli', batch.stimMeta.map((m) => m.name).join(', '));
