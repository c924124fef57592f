/** Versions of the latentkit packages and the engine, for `info`, reports and ONNX metadata. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const LATENTKIT_PACKAGES = [
  '@latentkit/cli',
  '@latentkit/core',
  '@latentkit/data',
  '@latentkit/distributions',
  '@latentkit/bottlenecks',
  '@latentkit/models',
  '@latentkit/eval',
  '@latentkit/onnx',
] as const;

export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of LATENTKIT_PACKAGES) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  out.node = process.versions.node;
  return out;
}
