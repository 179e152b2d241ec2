// `deepstrf fit` writes model.onnx next to model.json; onnxruntime-web (wasm backend, in Node)
// loads the file and predicts what `predictStrf` predicts from model.json, to 1e-5.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, describe, expect, it } from 'vitest';
import { maxDiffToPredictStrf } from '../../helpers/strf-check.js';
import { main } from '../../../src/cli/main.js';
import { SyntheticDataset, modelFromJson, neuralCollate } from '../../../src/index.js';

ort.env.wasm.numThreads = 1;
const dir = mkdtempSync(join(tmpdir(), 'deepstrf-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deepstrf fit → model.onnx', () => {
  it('writes model.onnx; ORT on it equals predictStrf on model.json (1e-5)', async () => {
    let out = '';
    const code = await main(['fit', 'synthetic', '--lags', '6', '--out', dir], { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } as never });
    expect(code).toBe(0);
    expect(out).toContain(join(dir, 'model.onnx'));
    const model = modelFromJson(readFileSync(join(dir, 'model.json'), 'utf8'));
    const session = await ort.InferenceSession.create(readFileSync(join(dir, 'model.onnx')), { executionProviders: ['wasm'] });
    expect(session.inputNames).toEqual(['stims']);
    expect(session.outputNames).toEqual(['pred']);
    const ds = new SyntheticDataset(); // the CLI's default synthetic dataset: its stimuli
    const batch = neuralCollate([0, 1].map((i) => ds.get(i)));
    const [B, , F, T] = batch.stims.shape;
    const { pred } = await session.run({ stims: new ort.Tensor('float32', batch.stims.data, batch.stims.shape) });
    const N = model.neurons.length, got = pred.data as Float32Array;
    expect(pred.dims).toEqual([B, N, T]);
    const maxDiff = maxDiffToPredictStrf(got, batch.stims.data, model, B, F, T);
    console.log(`model.onnx in ORT (node) vs predictStrf: max |diff| = ${maxDiff.toExponential(2)} over ${B}×${N}×${T}`);
    expect(maxDiff).toBeLessThan(1e-5);
    await session.release();
  });
});
