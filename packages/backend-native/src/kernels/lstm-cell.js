/**
 * core's LSTM cell kernels (`LSTM_CELL`, `LSTM_CELL_GRAD`, used by `lstmSequence`) on the compiled loops: one call per
 * step each way instead of a dozen element-wise ops forward and twenty backward, which on PTB's [32, 400] gates
 * cost more in dispatch than in arithmetic. Registered only when the addon loads; core falls back to tf ops otherwise.
 */
import { LSTM_CELL, LSTM_CELL_GRAD } from '@latentkit/core';
import { nativeAddon } from '../addon.js';
import { heapOffset } from '../wasm-memory.js';
const gateCode = (gate) => (gate === 'sigmoid' ? 0 : 1);
function addon() {
    const a = nativeAddon();
    if (!a)
        throw new Error(`${LSTM_CELL} needs the compiled addon`);
    return a;
}
function float32(params) {
    for (const [name, t] of Object.entries(params.inputs)) {
        if (t.dtype !== 'float32')
            throw new Error(`${LSTM_CELL}: input ${name} is ${t.dtype}, not float32`);
    }
}
function lstmCell(params) {
    float32(params);
    const { z, cPrev } = params.inputs;
    const { gate } = params.attrs;
    const [batch, units] = cPrev.shape;
    const backend = params.backend;
    const h = backend.makeOutput([batch, units], 'float32');
    const c = backend.makeOutput([batch, units], 'float32');
    const gates = backend.makeOutput([batch, 4 * units], 'float32');
    const at = (t) => heapOffset(backend, t);
    addon().lstmCell(backend.wasm.HEAPU8.buffer, gateCode(gate), at(z), at(cPrev), at(h), at(c), at(gates), batch, units);
    return [h, c, gates];
}
function lstmCellGrad(params) {
    float32(params);
    const { dh, dc, gates, cPrev, c } = params.inputs;
    const { gate } = params.attrs;
    const [batch, units] = c.shape;
    const backend = params.backend;
    const dz = backend.makeOutput([batch, 4 * units], 'float32');
    const dcPrev = backend.makeOutput([batch, units], 'float32');
    const at = (t) => heapOffset(backend, t);
    addon().lstmCellGrad(backend.wasm.HEAPU8.buffer, gateCode(gate), at(dh), at(dc), at(gates), at(cPrev), at(c), at(dz), at(dcPrev), batch, units);
    return [dz, dcPrev];
}
export const lstmCellConfig = { kernelName: LSTM_CELL, kernelFunc: lstmCell };
export const lstmCellGradConfig = { kernelName: LSTM_CELL_GRAD, kernelFunc: lstmCellGrad };
//# sourceMappingURL=lstm-cell.js.map