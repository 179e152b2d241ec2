// ONNX export of a linear STRF model: the written bytes decode back (protobufjs) to the graph
// docs/fit.md describes, bad models are typed errors, and onnxruntime-web (wasm backend) predicts
// what our own forward pass `predictStrf` predicts, to 1e-5 — in Node and in Chromium.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { maxDiffToPredictStrf } from '../helpers/strf-check.js';
import { OnnxModelProto } from '../../src/fit/onnx-schema.js';
import { ShapeError, SyntheticDataset, ValueError, fitStrfs, neuralCollate, strfToOnnx, type StrfModel } from '../../src/index.js';

const inBrowser = typeof window !== 'undefined';
ort.env.wasm.numThreads = 1;
// The dev server serves node_modules in the page; Node reads the files next to the package entry.
if (inBrowser) ort.env.wasm.wasmPaths = '/node_modules/onnxruntime-web/dist/';

const small: StrfModel = {
  F: 2, lags: 3, dtMs: 5, neurons: [0, 4], cellIds: ['a', 'b'],
  weights: Float64Array.from({ length: 12 }, (_, i) => i / 8 - 0.5), bias: new Float64Array([1.5, -0.25]), lambda: new Float64Array([10, 100]),
};

describe('strfToOnnx', () => {
  it('writes a ModelProto that decodes to the causal Conv + Squeeze graph', () => {
    const m = OnnxModelProto.toObject(OnnxModelProto.decode(strfToOnnx(small)), { longs: Number }) as Record<string, any>;
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ version: 13 }]);
    const g = m.graph;
    expect(g.node.map((n: { opType: string }) => n.opType)).toEqual(['Conv', 'Squeeze']);
    const attr = Object.fromEntries(g.node[0].attribute.map((a: { name: string; ints: number[] }) => [a.name, a.ints]));
    expect(attr.kernel_shape).toEqual([2, 3]);
    expect(attr.pads).toEqual([0, 2, 0, 0]); // lags − 1 = 2 bins of zeros before the start of T
    const W = g.initializer.find((t: { name: string }) => t.name === 'W');
    expect(W.dims).toEqual([2, 1, 2, 3]);
    // weights[j, f, :] = (i/8 − 0.5) for i = 3·(2j + f) + l, stored flipped in l
    expect(W.floatData.slice(0, 3)).toEqual([-0.25, -0.375, -0.5]);
    expect(W.floatData.slice(9, 12)).toEqual([0.875, 0.75, 0.625]);
    expect(g.initializer.find((t: { name: string }) => t.name === 'b').floatData).toEqual([1.5, -0.25]);
    const dims = (v: any) => v.type.tensorType.shape.dim.map((d: any) => d.dimParam ?? d.dimValue);
    expect(dims(g.input[0])).toEqual(['B', 1, 2, 'T']);
    expect(dims(g.output[0])).toEqual(['B', 2, 'T']);
    expect(Object.fromEntries(m.metadataProps.map((p: { key: string; value: string }) => [p.key, p.value]))).toEqual({ dtMs: '5', neurons: '[0,4]', cellIds: '["a","b"]' });
  });

  it('bad models are typed errors naming the field', () => {
    expect(() => strfToOnnx({ ...small, neurons: [], cellIds: [], weights: new Float64Array(0), bias: new Float64Array(0) })).toThrow(ValueError);
    expect(() => strfToOnnx({ ...small, neurons: [], cellIds: [] })).toThrow(/strfToOnnx: the model has no neurons/);
    expect(() => strfToOnnx({ ...small, lags: 0 })).toThrow(/model.lags must be a positive integer, got 0/);
    expect(() => strfToOnnx({ ...small, weights: new Float64Array(11) })).toThrow(ShapeError);
    expect(() => strfToOnnx({ ...small, weights: new Float64Array(11) })).toThrow(/model.weights has 11 values, expected \(neurons, F, lags\) = \(2, 2, 3\) = 12/);
    expect(() => strfToOnnx({ ...small, bias: new Float64Array(3) })).toThrow(/model.bias has 3 values, expected one per neuron \(2\)/);
  });

  it('an impulse at t = 0 in band f reads out bias[j] + weights[j, f, t] (lag convention, zero before the start)', async () => {
    const session = await ort.InferenceSession.create(strfToOnnx(small), { executionProviders: ['wasm'] });
    const T = 5, x = new Float32Array(2 * T);
    x[1 * T + 0] = 1; // band f = 1, t = 0
    const { pred } = await session.run({ stims: new ort.Tensor('float32', x, [1, 1, 2, T]) });
    // weights[j, 1, l] = (3·(2j + 1) + l)/8 − 0.5: j = 0 → −0.125, 0, 0.125; j = 1 → 0.625, 0.75, 0.875
    const want = [1.5 - 0.125, 1.5, 1.5 + 0.125, 1.5, 1.5, -0.25 + 0.625, -0.25 + 0.75, -0.25 + 0.875, -0.25, -0.25];
    Array.from(pred.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    await session.release();
  });

  it('onnxruntime-web predicts what predictStrf predicts (1e-5) on a collated batch', async () => {
    const ds = new SyntheticDataset({ seed: 5, nNeurons: 4, nStims: 12, nanFraction: 0 });
    const { model } = fitStrfs(ds, { lags: 8 });
    const session = await ort.InferenceSession.create(strfToOnnx(model), { executionProviders: ['wasm'] });
    const batch = neuralCollate([0, 1, 2].map((i) => ds.get(i)));
    const [B, one, F, T] = batch.stims.shape;
    expect([one, F]).toEqual([1, model.F]);
    const input = new ort.Tensor('float32', batch.stims.data, [B, 1, F, T]);
    expect(input.data).toBe(batch.stims.data); // wrapped, not copied (ORT copies into its wasm heap in run)
    const { pred } = await session.run({ stims: input });
    const N = model.neurons.length;
    expect(pred.dims).toEqual([B, N, T]);
    const got = pred.data as Float32Array;
    const maxDiff = maxDiffToPredictStrf(got, batch.stims.data, model, B, F, T);
    console.log(`ORT (${inBrowser ? 'chromium' : 'node'}) vs predictStrf: max |diff| = ${maxDiff.toExponential(2)} over ${B}×${N}×${T}`);
    expect(maxDiff).toBeLessThan(1e-5);
    await session.release();
  });
});
