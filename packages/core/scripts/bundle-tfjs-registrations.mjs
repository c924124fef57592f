#!/usr/bin/env node
/**
 * Writes dist/tfjs-registrations.cjs: tfjs-core's gradient and chained-op registrations, bundled for Node.
 *
 * tfjs-core's Node entry (dist/tf-core.node.js) registers neither; its `register_all_gradients` and
 * `register_all_chained_ops` modules exist only as ES sources with extension-less imports, which Node cannot load.
 * The umbrella `@tensorflow/tfjs` solves this by bundling them into its own Node entry (and pulling in webgl, the
 * converter and tfjs-data, 200 MB more). This does the same bundling for just those two modules. The bundle carries
 * copies of the tfjs-core internals they import; that is safe for the same reason it is in the umbrella: the engine,
 * the kernel and gradient registries and the Tensor class all live on the global object, so the copies register
 * into, and patch the prototype of, the one tfjs-core the rest of latentkit imports (loaded first, in src/tf.ts).
 * Beside it, dist/tfjs-registrations.d.cts imports the chained ops' type augmentations (never run, types only).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(pkg, 'dist', 'tfjs-registrations.cjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
  stdin: {
    contents: [
      "import '@tensorflow/tfjs-core/dist/register_all_gradients';",
      "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';",
    ].join('\n'),
    resolveDir: pkg,
    sourcefile: 'tfjs-registrations-entry.js',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  legalComments: 'inline',
  logLevel: 'warning',
});
writeFileSync(
  join(pkg, 'dist', 'tfjs-registrations.d.cts'),
  "// Types only: the chained ops' augmentations of Tensor (x.mul(y), x.sum()), registered by tfjs-registrations.cjs.\nimport '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';\n",
);
