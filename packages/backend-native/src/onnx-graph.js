/**
 * Tiny ONNX graphs, one kernel each: a few nodes between float32 graph inputs and outputs, with dynamic shapes so
 * that one onnxruntime session serves every shape a kernel sees.
 */
import onnxProto from 'onnx-proto';
const onnx = onnxProto.onnx;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const int = (i) => ({ i });
export const float = (f) => ({ f });
export const ints = (values) => ({ ints: values });
function attribute(name, value) {
    const T = onnx.AttributeProto.AttributeType;
    if ('i' in value)
        return { name, type: T.INT, i: value.i };
    if ('f' in value)
        return { name, type: T.FLOAT, f: value.f };
    return { name, type: T.INTS, ints: [...value.ints] };
}
function floatValue(name) {
    return { name, type: { tensorType: { elemType: FLOAT } } };
}
/** IR 8 / opset 17 (as `@latentkit/onnx` writes), plus onnxruntime's contrib domain for FusedMatMul. */
export function modelBytes(spec) {
    const model = onnx.ModelProto.create({
        irVersion: 8,
        producerName: '@latentkit/backend-native',
        opsetImport: [
            { domain: '', version: 17 },
            { domain: 'com.microsoft', version: 1 },
        ],
        graph: {
            name: 'kernel',
            node: spec.nodes.map((n, k) => ({
                name: `n${k}`,
                opType: n.op,
                domain: n.domain ?? '',
                input: [...n.inputs],
                output: [...n.outputs],
                attribute: Object.entries(n.attrs ?? {}).map(([name, value]) => attribute(name, value)),
            })),
            input: spec.inputs.map(floatValue),
            output: spec.outputs.map(floatValue),
        },
    });
    return onnx.ModelProto.encode(model).finish();
}
//# sourceMappingURL=onnx-graph.js.map