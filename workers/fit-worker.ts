/**
 * The fit worker (Comlink-exposed): scores one (neuron group, CV fold) of the ridge path with
 * the same {@link scoreFold} the calling thread uses, and returns the scores by transfer.
 * Started by src/fit/fold-workers.ts.
 * @module
 */
import * as Comlink from 'comlink';
import { platform } from '#platform';
import { scoreFold, type FitWorkerApi, type FoldTask } from '../src/fit/fold-score.js';

const api: FitWorkerApi = {
  score(task: FoldTask) {
    const s = scoreFold(task);
    return Comlink.transfer(s, [s.ccSum.buffer, s.ccCount.buffer] as ArrayBuffer[]);
  },
};

Comlink.expose(api, platform.workerEndpoint());
