/**
 * The fused activations of tfjs (`_FusedMatMul`, `FusedConv2D`) as ONNX nodes appended to a kernel's graph.
 */
import { float } from '../onnx-graph.js';
export const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'];
/**
 * Appends the activation to `nodes`, whose last node computes the pre-activation, so that the graph ends in `output`
 * (`prelu` reads its slopes from the graph input `alpha`).
 */
export function withActivation(nodes, activation, output, leakyreluAlpha) {
    const last = nodes.at(-1);
    if (activation === 'linear')
        return [...nodes.slice(0, -1), { ...last, outputs: [output] }];
    return [...nodes, ...activationNodes(activation, last.outputs[0], output, leakyreluAlpha)];
}
function activationNodes(activation, input, output, leakyreluAlpha) {
    switch (activation) {
        case 'relu':
            return [{ op: 'Relu', inputs: [input], outputs: [output] }];
        case 'relu6':
            return [
                { op: 'Constant', inputs: [], outputs: ['zero'], attrs: { value_float: float(0) } },
                { op: 'Constant', inputs: [], outputs: ['six'], attrs: { value_float: float(6) } },
                { op: 'Clip', inputs: [input, 'zero', 'six'], outputs: [output] },
            ];
        case 'elu':
            return [{ op: 'Elu', inputs: [input], outputs: [output], attrs: { alpha: float(1) } }];
        case 'leakyrelu':
            return [{ op: 'LeakyRelu', inputs: [input], outputs: [output], attrs: { alpha: float(leakyreluAlpha) } }];
        case 'sigmoid':
            return [{ op: 'Sigmoid', inputs: [input], outputs: [output] }];
        case 'prelu':
            return [{ op: 'PRelu', inputs: [input, 'alpha'], outputs: [output] }];
    }
}
//# sourceMappingURL=activation.js.map