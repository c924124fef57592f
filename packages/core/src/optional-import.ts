/**
 * Imports a package latentkit may use but must not depend on (tfjs-node, tfjs-node-gpu, @latentkit/backend-native):
 * their installs download binaries or build addons, and the native backend depends on this package.
 *
 * The package is looked up from core's own location, then from the running program's entry script (an app that
 * depends on it), then from the current folder (a user's project).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve } from 'import-meta-resolve';

export class OptionalImportError extends Error {
  override readonly name = 'OptionalImportError';
  constructor(
    message: string,
    readonly installed: boolean,
  ) {
    super(message);
  }
}

/** Where `importOptional` looks by default: core itself, the entry script, the current folder. */
export function lookupBases(): string[] {
  const bases = [import.meta.url];
  const entry = process.argv[1];
  // The real path: a globally installed CLI runs through a bin symlink, and its dependencies sit beside its target.
  if (entry && fs.existsSync(entry)) bases.push(pathToFileURL(fs.realpathSync(entry)).href);
  bases.push(pathToFileURL(path.join(process.cwd(), 'package.json')).href);
  return bases;
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

export async function importOptional(name: string, bases: readonly string[] = lookupBases()): Promise<Record<string, unknown>> {
  for (const base of bases) {
    let url: string;
    try {
      url = resolve(name, base);
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    try {
      return (await import(url)) as Record<string, unknown>;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new OptionalImportError(`${name} is installed but failed to load: ${message.split('\n')[0]}`, true);
    }
  }
  throw new OptionalImportError(`${name} is not installed (looked from ${bases.map((b) => b.replace(/^file:\/\//, '')).join(', ')})`, false);
}
