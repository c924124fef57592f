import { tf } from '@latentkit/core';
import { type ActionOptions, commonOptions, startEngine } from '../options.js';
import { packageVersions } from '../versions.js';

export async function run(opts: ActionOptions): Promise<void> {
    const common = commonOptions(opts);
    const engine = await startEngine(common, () => {});
    const info = { engine: { ...engine, tfjsBackend: tf.getBackend() }, versions: packageVersions() };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return;
    }
    const lines = [
      `backend   ${engine.backend} (${engine.threads} thread${engine.threads === 1 ? '' : 's'}), tfjs ${engine.tfjsVersion}`,
      ...engine.attempts.filter((a) => !a.ok).map((a) => `  skipped ${a.backend}: ${a.reason}`),
      ...Object.entries(info.versions).map(([k, v]) => `${k.padEnd(26)}${v}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
}
