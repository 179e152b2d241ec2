/**
 * The few ONNX messages {@link strfToOnnx} writes, as a protobufjs JSON descriptor with the field
 * numbers of ONNX's onnx.proto3 (no .proto file at run time, no code generation). See docs/fit.md.
 * @module
 */
import protobuf from 'protobufjs';

/**
 * ONNX `TensorProto.DataType` values used here.
 * @example
 * ```ts
 * const t = { dims: [3], dataType: OnnxDataType.FLOAT, floatData: [1, 2, 3] };
 * ```
 */
export const OnnxDataType = { FLOAT: 1, INT64: 7 } as const;

/**
 * ONNX `AttributeProto.AttributeType` values used here.
 * @example
 * ```ts
 * const a = { name: 'pads', type: OnnxAttributeType.INTS, ints: [0, 2, 0, 0] };
 * ```
 */
export const OnnxAttributeType = { INT: 2, INTS: 7 } as const;

/**
 * ONNX IR version written (IR 8 goes with opsets up to 18).
 * @example
 * ```ts
 * const model = { irVersion: ONNX_IR_VERSION, opsetImport: [{ domain: '', version: ONNX_OPSET }] };
 * ```
 */
export const ONNX_IR_VERSION = 8;

/**
 * Default-domain opset written (Squeeze takes its axes as an input from opset 13 on).
 * @example
 * ```ts
 * const opsetImport = [{ domain: '', version: ONNX_OPSET }];
 * ```
 */
export const ONNX_OPSET = 13;

const DESCRIPTOR: protobuf.INamespace = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            strings: { rule: 'repeated', type: 'bytes', id: 9 },
            docString: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            docString: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            valueInfo: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            int64Data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            docString: { type: 'string', id: 12 },
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: 'repeated', type: 'Dimension', id: 1 },
          },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: {
                dimValue: { type: 'int64', id: 1 },
                dimParam: { type: 'string', id: 2 },
                denotation: { type: 'string', id: 3 },
              },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: {
            tensorType: { type: 'Tensor', id: 1 },
            denotation: { type: 'string', id: 6 },
          },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
      },
    },
  },
};

/**
 * The ONNX `ModelProto` message type (encode with `.encode(.fromObject(o)).finish()`, read back with `.decode`).
 * @example
 * ```ts
 * const m = OnnxModelProto.toObject(OnnxModelProto.decode(bytes), { longs: Number });
 * ```
 */
export const OnnxModelProto: protobuf.Type = protobuf.Root.fromJSON(DESCRIPTOR).lookupType('onnx.ModelProto');
