/**
 * tf.train.adam's update as one fused kernel for all variables. tfjs builds each variable's update from fourteen
 * element-wise ops, each a pass over memory with a new temporary; the fused loop reads p, g, m, v once and writes
 * p, m, v once, the moments in place. `AdamOptimizer.prototype.applyGradients` is wrapped so that
 * model code keeps calling `tf.train.adam(...)`: on this backend, with float32 variables and the addon loaded, it
 * takes the fused path; anywhere else it runs tfjs's own code. The optimizer's state (moments, accumulated β
 * powers, iterations) is the same variables tfjs keeps, so getWeights/setWeights and checkpoints are unchanged.
 */
import { tf } from '@latentkit/core';
import { nativeAddon } from './addon.js';
import { NATIVE_BACKEND } from './names.js';
import { heapOffset } from './wasm-memory.js';
export const FUSED_ADAM = 'LatentkitFusedAdam';
/** Inputs p0, g0, m0, v0, p1, … for the variables in order. */
const inputName = (kind, k) => `${kind}${k}`;
/**
 * One kernel for every variable of the step: a model's dozen variables cost one call into the addon, one loop over
 * the pool and one engine dispatch, rather than one each. Outputs: per variable, p (and m, v unless in place).
 */
function fusedAdam(params) {
    const inputs = params.inputs;
    const a = params.attrs;
    const addon = nativeAddon();
    if (!addon)
        throw new Error(`${FUSED_ADAM} needs the compiled addon`);
    const backend = params.backend;
    const variables = a.momentsInPlace.map((inPlace, k) => {
        const [p, g, m, v] = ['p', 'g', 'm', 'v'].map((kind) => inputs[inputName(kind, k)]);
        const outs = (inPlace ? [p] : [p, m, v]).map((t) => backend.makeOutput([...t.shape], 'float32'));
        return { p, g, m, v, outs, inPlace };
    });
    // Offsets after every allocation: growing the heap moves nothing, but take them once it is done.
    const spec = new Float64Array(8 * variables.length);
    variables.forEach(({ p, g, m, v, outs, inPlace }, k) => {
        const [pOut, mOut, vOut] = (inPlace ? [outs[0], m, v] : outs);
        spec.set([p, g, m, v, pOut, mOut, vOut].map((t) => heapOffset(backend, t)), 8 * k);
        spec[8 * k + 7] = tf.util.sizeFromShape(p.shape);
    });
    addon.adam(backend.wasm.HEAPU8.buffer, spec, a.learningRate, a.beta1, a.beta2, a.epsilon, a.c1, a.c2);
    return variables.flatMap(({ outs }) => outs);
}
export const fusedAdamConfig = { kernelName: FUSED_ADAM, backendName: NATIVE_BACKEND, kernelFunc: fusedAdam };
function gradientList(g) {
    return Array.isArray(g) ? g.map((x) => ({ name: x.name, tensor: x.tensor })) : Object.keys(g).map((name) => ({ name, tensor: g[name] }));
}
function fusable(list) {
    if (tf.getBackend() !== NATIVE_BACKEND || !nativeAddon())
        return false;
    const variables = tf.engine().registeredVariables;
    return list.every(({ name, tensor }) => tensor === undefined || (tensor.dtype === 'float32' && variables[name]?.dtype === 'float32'));
}
/** The same update as tfjs's AdamOptimizer.applyGradients, one kernel for all variables. */
function applyFused(opt, list) {
    const backend = tf.backend();
    tf.tidy(() => {
        // tfjs computes 1 − βᵗ in float32 from the float32 accumulated powers; so do we.
        const c1 = Math.fround(1 - opt.accBeta1.dataSync()[0]);
        const c2 = Math.fround(1 - opt.accBeta2.dataSync()[0]);
        const inputs = {};
        const updates = [];
        list.forEach(({ name, tensor: grad }, i) => {
            const value = tf.engine().registeredVariables[name];
            opt.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
            opt.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
            if (grad === undefined)
                return;
            const m = opt.accumulatedFirstMoment[i].variable;
            const v = opt.accumulatedSecondMoment[i].variable;
            // Moments are written where they are when nothing else shares their buffers (true after their first
            // update). The weights always get a new buffer: wasm's matmul and conv kernels cache packed copies of a
            // weight by tensor id, so changing a weight in place would leave them computing with the old values.
            const inPlace = backend.refCount(m.dataId) === 1 && backend.refCount(v.dataId) === 1;
            const k = updates.length;
            Object.assign(inputs, { [inputName('p', k)]: value, [inputName('g', k)]: grad, [inputName('m', k)]: m, [inputName('v', k)]: v });
            updates.push({ value, m, v, inPlace });
        });
        if (updates.length > 0) {
            const attrs = {
                learningRate: opt.learningRate,
                beta1: opt.beta1,
                beta2: opt.beta2,
                epsilon: opt.epsilon,
                c1,
                c2,
                momentsInPlace: updates.map((u) => u.inPlace),
            };
            const outs = tf.engine().runKernel(FUSED_ADAM, inputs, attrs);
            let next = 0;
            for (const { value, m, v, inPlace } of updates) {
                value.assign(outs[next++]);
                if (!inPlace) {
                    m.assign(outs[next++]);
                    v.assign(outs[next++]);
                }
            }
        }
        opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
        opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
    });
    opt.incrementIterations();
}
let installed = false;
/** Wraps AdamOptimizer.applyGradients (once per process); a no-op off this backend or without the addon. */
export function installFusedAdam() {
    if (installed)
        return;
    installed = true;
    const proto = tf.AdamOptimizer.prototype;
    const original = proto.applyGradients;
    proto.applyGradients = function applyGradients(g) {
        const list = gradientList(g);
        if (fusable(list))
            applyFused(this, list);
        else
            original.call(this, g);
    };
}
//# sourceMappingURL=adam.js.map