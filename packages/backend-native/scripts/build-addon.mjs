#!/usr/bin/env node
/**
 * Builds the compiled kernels (native/*.cc → build/Release/latentkit_native.node) with node-gyp, at install time.
 * It never fails the install: without a C++ compiler the backend runs on onnxruntime and wasm kernels alone, and
 * this prints one line saying why. node-gyp comes from the package manager (pnpm and npm put their own on PATH for
 * install scripts). Node's headers are taken from the running Node's own installation when it has them (Debian's
 * nodejs-dev, the official tarballs, nvm), so nothing is downloaded.
 *
 *   node scripts/build-addon.mjs           build (what `install` runs)
 *   node scripts/build-addon.mjs --strict  exit 1 when the build fails (for development)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');

function nodeGypCommand() {
  // npm exports its node-gyp's path to install scripts; run by hand, the copies bundled with a global npm or pnpm.
  const globalModules = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules');
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(globalModules, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(globalModules, 'pnpm', 'dist', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const script = candidates.find((c) => c && fs.existsSync(c));
  // pnpm puts a node-gyp shim on PATH for install scripts.
  return script ? [process.execPath, [script]] : ['node-gyp', []];
}

function nodeHeadersDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

const [command, prefixArgs] = nodeGypCommand();
const nodedir = nodeHeadersDir();
const args = [...prefixArgs, 'rebuild', '--release', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const result = spawnSync(command, args, { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
if (result.status === 0) {
  console.log('@latentkit/backend-native: compiled kernels built');
  process.exit(0);
}
const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
const reason = result.error ? `${command} could not start (${result.error.message})` : (output.split('\n').find((l) => /error/i.test(l))?.trim() ?? `node-gyp exited with ${result.status}`);
console.warn(`@latentkit/backend-native: compiled kernels not built, using onnxruntime and wasm kernels only: ${reason}`);
if (strict) {
  console.error(output);
  process.exit(1);
}
