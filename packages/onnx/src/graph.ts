/**
 * A small builder for one ONNX graph: typed inputs and outputs, weights as initializers, nodes with typed
 * attributes, and the model envelope (IR version, opset, metadata_props). It hands names out, so exporters never
 * collide, and serialises through protobufjs; no protobuf byte is written by hand.
 */
import { LatentkitError, type tf } from '@latentkit/core';
import { type OnnxProto, onnx } from './proto.js';

/**
 * IR 8 / opset 17: the newest pair Debian's python3-onnx 1.12 (the independent checker) accepts; onnxruntime-node
 * 1.30 runs up to IR 13 / opset 26. Nothing we emit needs an operator newer than opset 17.
 */
export const IR_VERSION = 8;
export const OPSET_VERSION = 17;

export type ElementType = 'float32' | 'int64' | 'int32';

/** A dimension: a fixed size, or a symbolic name such as `batch`. */
export type Dim = number | string;

const ELEMENT_TYPES: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
};

/** An attribute value tagged with its ONNX type (a JS number alone cannot say whether `1` is an int or a float). */
export type Attribute =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'strings'; readonly value: readonly string[] };

export const attr = {
  int: (value: number): Attribute => ({ type: 'int', value }),
  float: (value: number): Attribute => ({ type: 'float', value }),
  ints: (value: readonly number[]): Attribute => ({ type: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ type: 'floats', value }),
  string: (value: string): Attribute => ({ type: 'string', value }),
  strings: (value: readonly string[]): Attribute => ({ type: 'strings', value }),
};

export interface ModelEnvelope {
  readonly producerVersion: string;
  readonly docString?: string;
  /** Stored in `metadata_props`, readable from onnxruntime's `session.handler.metadata` and `onnx.load(...).metadata_props`. */
  readonly metadata: Readonly<Record<string, string>>;
}

const utf8 = new TextEncoder();

function toProtoAttribute(name: string, a: Attribute): OnnxProto.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: utf8.encode(a.value) };
    case 'strings':
      return { name, type: T.STRINGS, strings: a.value.map((s) => utf8.encode(s)) };
  }
}

function valueInfo(name: string, type: ElementType, shape: readonly Dim[]): OnnxProto.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type],
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function littleEndianBytes(values: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  // Copy: the source may be a view on a larger (tfjs-owned) buffer. x86 and arm64 are little-endian, as ONNX raw_data is.
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

export class GraphBuilder {
  private readonly nodes: OnnxProto.INodeProto[] = [];
  private readonly initializers: OnnxProto.ITensorProto[] = [];
  private readonly inputs: OnnxProto.IValueInfoProto[] = [];
  private readonly outputs: OnnxProto.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  constructor(readonly name: string) {}

  /** A name no other value or node in this graph has: `hint`, else `hint_1`, `hint_2`, … */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input under exactly `name`. */
  input(name: string, type: ElementType, shape: readonly Dim[]): string {
    if (this.used.has(name)) throw new LatentkitError('INVALID_ARGUMENT', `graph "${this.name}": the name "${name}" is already taken`);
    this.used.add(name);
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Declares `value` as a graph output called `name` (through an Identity, so any value can be exposed under any name). */
  output(value: string, name: string, type: ElementType, shape: readonly Dim[]): void {
    if (this.used.has(name)) throw new LatentkitError('INVALID_ARGUMENT', `graph "${this.name}": the name "${name}" is already taken`);
    this.used.add(name);
    this.nodes.push({ opType: 'Identity', input: [value], output: [name], name: this.fresh(`Identity_${name}`) });
    this.outputs.push(valueInfo(name, type, shape));
  }

  /** A constant tensor stored as an initializer. */
  constant(hint: string, values: Float32Array | Int32Array | BigInt64Array, dims: readonly number[]): string {
    const type: ElementType = values instanceof Float32Array ? 'float32' : values instanceof Int32Array ? 'int32' : 'int64';
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== values.length) {
      throw new LatentkitError('INVALID_ARGUMENT', `constant "${hint}": ${values.length} values do not fill shape [${dims.join(', ')}]`);
    }
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: ELEMENT_TYPES[type], dims: [...dims], rawData: littleEndianBytes(values) });
    return name;
  }

  /** An int64 vector constant, the type ONNX wants for shapes, axes and indices. */
  int64s(hint: string, values: readonly number[]): string {
    return this.constant(
      hint,
      BigInt64Array.from(values, (v) => BigInt(v)),
      [values.length],
    );
  }

  /** A float32 constant from a tfjs tensor (read synchronously; the tensor is not disposed). */
  weight(hint: string, tensor: tf.Tensor): string {
    if (tensor.dtype !== 'float32') {
      throw new LatentkitError('INVALID_ARGUMENT', `weight "${hint}" has dtype ${tensor.dtype}; expected float32`);
    }
    return this.constant(hint, tensor.dataSync() as Float32Array, tensor.shape);
  }

  /** Adds a node and returns its output names. */
  node(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}, outputCount = 1): string[] {
    const name = this.fresh(opType);
    const output = Array.from({ length: outputCount }, (_, i) => this.fresh(outputCount === 1 ? `${name}_out` : `${name}_out${i}`));
    this.nodes.push({
      opType,
      name,
      input: [...inputs],
      output,
      attribute: Object.entries(attributes).map(([key, value]) => toProtoAttribute(key, value)),
    });
    return output;
  }

  /** Adds a single-output node and returns its output name. */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}): string {
    return this.node(opType, inputs, attributes, 1)[0] as string;
  }

  /** The whole model, serialised. */
  toBytes(envelope: ModelEnvelope): Uint8Array {
    const model: OnnxProto.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      producerName: 'latentkit',
      producerVersion: envelope.producerVersion,
      docString: envelope.docString ?? '',
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadataProps: Object.entries(envelope.metadata).map(([key, value]) => ({ key, value })),
    };
    const problem = onnx.ModelProto.verify(model);
    if (problem) throw new LatentkitError('INVALID_ARGUMENT', `graph "${this.name}" is not a valid ModelProto: ${problem}`);
    return onnx.ModelProto.encode(model).finish();
  }
}
