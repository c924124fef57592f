import { tf } from '@latentkit/core';
import { type ActionOptions, commonOptions, outputOf, startEngine } from '../options.js';
import { packageVersions } from '../versions.js';

/** Every registered kind (built-in and from --plugin), with the name the CLI takes and one line about it. */
async function registeredKinds() {
  const [{ datasetKinds }, { bottleneckKinds }, { modelKinds }] = await Promise.all([
    import('@latentkit/data'),
    import('@latentkit/bottlenecks'),
    import('@latentkit/models'),
  ]);
  return {
    models: modelKinds().map((k) => ({ name: k.cliName, kind: k.kind, reads: k.reads, summary: k.summary })),
    bottlenecks: bottleneckKinds().map((k) => ({ name: k.cliName, kind: k.kind, summary: k.summary })),
    datasets: datasetKinds().map((k) => ({ name: k.name, summary: k.summary })),
  };
}

export async function run(opts: ActionOptions): Promise<void> {
  const common = commonOptions(opts);
  const engine = await startEngine(common, () => {});
  const { NATIVE_BACKEND, addonStatus } = await import('@latentkit/backend-native');
  // The native backend's compiled loops are optional (built at install when a C++ compiler is there).
  const compiledKernels = tf.getBackend() === NATIVE_BACKEND ? addonStatus() : undefined;
  const kinds = await registeredKinds();
  const info = { engine: { ...engine, tfjsBackend: tf.getBackend(), compiledKernels }, kinds, versions: packageVersions() };
  const list = (title: string, items: readonly { name: string; summary: string }[]) => [title, ...items.map((i) => `  ${i.name.padEnd(16)}${i.summary}`)];
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
    ...list('models (--model)', kinds.models),
    ...list('bottlenecks (--bottleneck)', kinds.bottlenecks),
    ...list('datasets (--data)', kinds.datasets),
    ...Object.entries(info.versions).map(([k, v]) => `${k.padEnd(26)}${v}`),
  ];
  outputOf(opts).result(info, () => lines.join('\n'));
}
