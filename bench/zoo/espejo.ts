// Espejo VMN at the real counts (bench/zoo/nems-build.ts).
import { EspejoDataset } from '../../src/zoo/espejo.js';
import { espejoBenchFiles } from '../../test/helpers/zoo/nems-bench.js';
import { timeNemsBuild } from './nems-build.js';

/** Builds Espejo three times and prints the best build time and its ratio to the baseline. */
export async function benchEspejo(): Promise<void> {
  await timeNemsBuild('Espejo VMN at the real counts (103 sites, ~200 cells, 75 names)', await espejoBenchFiles(), (source) => EspejoDataset.load({ source, stimuli: 'vmn' }), 3);
}
