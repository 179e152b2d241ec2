// 02 · NS1 from the raw release: neuron quality, a reliable population, the Rahman test split,
// one batch and a normalised correlation. Run after `npm run build`:
//   node examples/02-ns1-quality.mjs [path/to/NS1]
// The folder: the argument; else $DEEPSTRF_DATA_DIR/NS1 when DEEPSTRF_DATA_DIR is set; else
// ../shared/datasets/NS1 beside this repository when it exists; else the user cache folder that
// `npx deepstrf download ns1` fills. Nothing is downloaded here: without the release the example
// prints the loader's error (it names the missing file) and exits 1.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NS1Dataset, defaultCacheDir, neuralCollate, normalizedCorrcoef, psth } from '../dist/index.js';

const beside = fileURLToPath(new URL('../../shared/datasets/NS1', import.meta.url));
const path = process.argv[2] ?? (!process.env.DEEPSTRF_DATA_DIR && existsSync(beside) ? beside : defaultCacheDir('NS1'));

const t0 = performance.now();
const ns1 = await NS1Dataset.load({ path, singleUnitsOnly: true }).catch((e) => {
  console.error(`${e.name}: ${e.message}\nNo NS1 release in ${path}: run \`npx deepstrf download ns1\`, or pass the folder.`);
  process.exit(1);
});
console.log(`${ns1} built in ${(performance.now() - t0).toFixed(0)} ms`);

ns1.computeNeuronQuality(); // writes snr and ccmax into nrnMeta
const kept = ns1.selectPopByNrnPredicate((n) => n.ccmax > 0.5);
ns1.selectStims(NS1Dataset.rahmanSplit().test);
console.log(`${kept.length} units with CCmax > 0.5; test stimuli ${ns1.iterableStims().join(', ')}`);

const batch = neuralCollate([...ns1]);
console.log('responses', batch.responses.shape.join(' × '));
// A stand-in "model": the PSTH itself (replace with your prediction, shape (B, N, 1, T)).
const target = psth(batch.responses);
const cc = normalizedCorrcoef(target, batch.responses, { method: 'schoppe', reduction: 'none' });
const finite = Array.from(cc.data).filter(Number.isFinite).sort((a, b) => a - b);
console.log(`CCnorm of the PSTH itself: median ${finite[Math.floor(finite.length / 2)].toFixed(3)} over ${finite.length} units`);
