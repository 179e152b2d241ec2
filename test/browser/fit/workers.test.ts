// `fitStrfsAsync` in Chromium: the ridge path's folds scored in browser workers
// (workers/fit-worker.ts) give the model `fitStrfs` gives in the page, bit for bit.
import { describe, expect, it } from 'vitest';
import { SyntheticDataset, fitStrfs, fitStrfsAsync } from '../../../src/index.js';

describe('fitStrfsAsync with workers (browser)', () => {
  it('workers 2 give the model of the calling thread', async () => {
    const ds = new SyntheticDataset();
    const o = { lags: 6, folds: 4 };
    const a = fitStrfs(ds, o);
    const b = await fitStrfsAsync(ds, { ...o, workers: 2 });
    expect(a.model.weights.some(Number.isNaN)).toBe(false);
    expect(b.model.weights).toEqual(a.model.weights);
    expect(b.model.bias).toEqual(a.model.bias);
    expect(b.model.lambda).toEqual(a.model.lambda);
    expect(b.cvCC).toEqual(a.cvCC);
  }, 120_000);
});
