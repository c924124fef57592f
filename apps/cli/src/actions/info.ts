import { tf } from '@latentkit/core';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { packageVersions } from '../versions.js';

export async function run(opts: ActionOptions): Promise<void> {
    const common = commonOptions(opts);
    const engine = await startEngine(common, () => {});
    const { NATIVE_BACKEND, addonStatus } = await import('@latentkit/backend-native');
    // The native backend's compiled loops are optional (built at install when a C++ compiler is there).
    const compiledKernels = tf.getBackend() === NATIVE_BACKEND ? addonStatus() : undefined;
    const info = { engine: { ...engine, tfjsBackend: tf.getBackend(), compiledKernels }, versions: packageVersions() };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return;
    }
    const lines = [
      `backend   ${engine.backend} (${engine.threads} thread${engine.threads === 1 ? '' : 's'}), tfjs ${engine.tfjsVersion}`,
      ...engine.attempts.filter((a) => !a.ok).map((a) => `  skipped ${a.backend}: ${a.reason}`),
      ...(compiledKernels
        ? [
            compiledKernels.loaded
              ? `  compiled kernels: ${compiledKernels.instructionSet}, ${compiledKernels.threads} thread${compiledKernels.threads === 1 ? '' : 's'}; matrix products on ${compiledKernels.blas ?? `onnxruntime's MLAS (${compiledKernels.blasReason})`}`
              : `  compiled kernels: not loaded (${compiledKernels.reason}); element-wise ops and Adam run on wasm`,
          ]
        : []),
      ...Object.entries(info.versions).map(([k, v]) => `${k.padEnd(26)}${v}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
}
