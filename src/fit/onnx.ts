/**
 * Export of a fitted linear STRF model as ONNX (docs/fit.md, "Hand-off to a model runtime").
 * @module
 */
import { ShapeError, ValueError } from '../errors.js';
import type { StrfModel } from './model.js';
import { ONNX_IR_VERSION, ONNX_OPSET, OnnxAttributeType, OnnxDataType, OnnxModelProto } from './onnx-schema.js';

/** Names of the graph's input and output. */
const INPUT = 'stims', OUTPUT = 'pred';

const floatTensor = (name: string, dims: number[], data: ArrayLike<number>) => ({ name, dims, dataType: OnnxDataType.FLOAT, floatData: Array.from(data) });
const ints = (name: string, v: number[]) => ({ name, type: OnnxAttributeType.INTS, ints: v });
const valueInfo = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: OnnxDataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

function check(m: StrfModel): void {
  const N = m.neurons.length;
  if (N === 0) throw new ValueError('strfToOnnx: the model has no neurons');
  for (const k of ['F', 'lags'] as const) {
    if (!Number.isInteger(m[k]) || m[k] < 1) throw new ValueError(`strfToOnnx: model.${k} must be a positive integer, got ${m[k]}`);
  }
  if (m.weights.length !== N * m.F * m.lags) {
    throw new ShapeError(`strfToOnnx: model.weights has ${m.weights.length} values, expected (neurons, F, lags) = (${N}, ${m.F}, ${m.lags}) = ${N * m.F * m.lags}`);
  }
  if (m.bias.length !== N) throw new ShapeError(`strfToOnnx: model.bias has ${m.bias.length} values, expected one per neuron (${N})`);
}

/**
 * Writes a fitted linear STRF model as an ONNX model (IR 8, opset 13) mapping `stims` (B, 1, F, T)
 * float32 to `pred` (B, N, T) float32 — the same causal forward pass as `predictStrf` in
 * src/fit/design.ts: `pred[b, j, t] = bias[j] + Σ_f Σ_l weights[j, f, l] · stims[b, 0, f, t − l]`,
 * with the stimulus zero before its start. The graph is one Conv (kernel (F, lags) flipped in
 * time, T padded on the left by lags − 1, bias as Conv's B) and a Squeeze of the unit height axis.
 * Weights are stored as float32; `dtMs`, `neurons` and `cellIds` go into the model's metadata.
 * @throws ValueError for a model without neurons or a non-positive F / lags;
 *   ShapeError when weights or bias do not match (neurons, F, lags).
 * @example
 * ```ts
 * writeFileSync('model.onnx', strfToOnnx(fit.model));
 * const session = await ort.InferenceSession.create(strfToOnnx(fit.model));
 * ```
 */
export function strfToOnnx(model: StrfModel): Uint8Array {
  check(model);
  const { F, lags } = model, N = model.neurons.length;
  // Conv correlates: y[t] = Σ_k K[k] · xpad[t + k] with xpad[t'] = x[t' − (lags − 1)], so
  // K[k] = w[lags − 1 − k] gives Σ_l w[l] · x[t − l].
  const kernel = new Float32Array(N * F * lags);
  for (let r = 0; r < N * F; r++) {
    for (let k = 0; k < lags; k++) kernel[r * lags + k] = model.weights[r * lags + lags - 1 - k];
  }
  const graph = {
    name: 'deepstrf_linear_strf',
    node: [
      {
        name: 'strf', opType: 'Conv', input: [INPUT, 'W', 'b'], output: ['conv'],
        attribute: [ints('kernel_shape', [F, lags]), ints('pads', [0, lags - 1, 0, 0]), ints('strides', [1, 1]), ints('dilations', [1, 1])],
      },
      { name: 'squeeze_height', opType: 'Squeeze', input: ['conv', 'axes'], output: [OUTPUT] },
    ],
    initializer: [
      floatTensor('W', [N, 1, F, lags], kernel),
      floatTensor('b', [N], model.bias),
      { name: 'axes', dims: [1], dataType: OnnxDataType.INT64, int64Data: [2] },
    ],
    input: [valueInfo(INPUT, ['B', 1, F, 'T'])],
    output: [valueInfo(OUTPUT, ['B', N, 'T'])],
  };
  const message = OnnxModelProto.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: 'deepstrf',
    docString: 'Linear STRFs: pred[b, j, t] = bias[j] + sum_f sum_l weights[j, f, l] * stims[b, 0, f, t - l] (docs/fit.md)',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph,
    metadataProps: [
      { key: 'dtMs', value: String(model.dtMs) },
      { key: 'neurons', value: JSON.stringify(model.neurons) },
      { key: 'cellIds', value: JSON.stringify(model.cellIds) },
    ],
  });
  return OnnxModelProto.encode(message).finish();
}
