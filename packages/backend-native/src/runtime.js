/**
 * onnxruntime-node's synchronous session binding. Its public `InferenceSession.run` is async (it defers to
 * `setImmediate`), but tfjs kernels must return synchronously; the binding underneath runs on the calling thread and
 * returns when done, so kernels call it directly. Inputs and pre-allocated outputs are passed as views of the
 * caller's memory, so nothing is copied on the way in or out.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { modelBytes } from './onnx-graph.js';
let runtime;
let threads = os.availableParallelism();
/** Loads onnxruntime-node (throws when it is missing or its binary does not load on this platform). */
export function loadRuntime() {
    if (runtime)
        return runtime;
    const require = createRequire(import.meta.url);
    const ort = require('onnxruntime-node');
    const { binding, initOrt } = require('onnxruntime-node/dist/binding.js');
    initOrt();
    const version = require('onnxruntime-node/package.json').version;
    runtime = { Session: binding.InferenceSession, Tensor: ort.Tensor, version };
    return runtime;
}
/** Threads each kernel computes with (default: every core). Takes effect for sessions created afterwards. */
export function setThreadsCount(n) {
    threads = n;
}
export function getThreadsCount() {
    return threads;
}
/** One compiled graph; `run` writes its outputs into the arrays it is given. */
export class KernelSession {
    spec;
    threads;
    session;
    Tensor;
    constructor(spec, threads) {
        this.spec = spec;
        this.threads = threads;
        const rt = loadRuntime();
        this.Tensor = rt.Tensor;
        this.session = new rt.Session();
        const bytes = modelBytes(spec);
        this.session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
            intraOpNumThreads: this.threads,
            interOpNumThreads: 1,
            executionMode: 'sequential',
            graphOptimizationLevel: 'all',
            logSeverityLevel: 3,
            // Between two kernels the main thread runs wasm ops; spinning pool threads would steal its core.
            extra: { session: { intra_op: { allow_spinning: '0' } } },
        });
    }
    run(inputs, outputs) {
        const feeds = {};
        const fetches = {};
        this.spec.inputs.forEach((name, k) => {
            const [data, dims] = inputs[k];
            feeds[name] = new this.Tensor('float32', data, dims);
        });
        this.spec.outputs.forEach((name, k) => {
            const [data, dims] = outputs[k];
            fetches[name] = new this.Tensor('float32', data, dims);
        });
        this.session.run(feeds, fetches, {});
    }
}
const sessions = new Map();
/**
 * Below this much work (multiply-adds, or elements for memory-bound kernels) a kernel runs on one thread: waking
 * a sleeping pool thread costs more than it saves. Measured on the LSTM-VAE step (per-step products of
 * [32, 512] · [512, 2048], 2²⁵ multiply-adds): 2²³ gave 813 ms, 2²² 840, 2²⁴ 852, 2²⁶ (one thread) 1 030.
 * Pool threads never spin (allow_spinning 0): spinning took the LSTM-VAE step from 840 to 1 290 ms, because the
 * main thread runs wasm and JavaScript between kernels on the core the spinning thread holds.
 */
export const PARALLEL_WORK = 1 << 23;
/**
 * The session for a graph, compiled on first use and kept: a model uses a handful of kernel configurations.
 * `work` picks one thread or all of them (see PARALLEL_WORK).
 */
export function sessionFor(spec, work) {
    const n = work >= PARALLEL_WORK ? threads : 1;
    const key = `${n}:${JSON.stringify(spec)}`;
    let session = sessions.get(key);
    if (!session) {
        session = new KernelSession(spec, n);
        sessions.set(key, session);
    }
    return session;
}
/** The kernels compiled so far, by operator sequence (for tests and diagnostics: which kernels ran natively). */
export function compiledKernels() {
    return [...sessions.values()].map((s) => s.spec.nodes.map((n) => n.op).join('+'));
}
//# sourceMappingURL=runtime.js.map