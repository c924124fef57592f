/**
 * `--plugin <file.mjs>`: user code that registers its own kinds (bottlenecks, models, datasets) before a command
 * reads a config. A plugin's default export, when it is a function, is called with the CLI's own latentkit
 * packages, so the kinds land in the registries this process uses even when the plugin sits outside any
 * node_modules; a plugin may instead import the packages itself and register at import time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LatentkitError } from '@latentkit/core/base';
import { registerPackageKinds } from './package-kinds.js';

const loaded = new Set<string>();

/** What a plugin's default export receives. */
export interface PluginApi {
  readonly core: typeof import('@latentkit/core') & typeof import('@latentkit/core/schema');
  readonly data: typeof import('@latentkit/data');
  readonly bottlenecks: typeof import('@latentkit/bottlenecks');
  readonly models: typeof import('@latentkit/models');
}

export async function pluginApi(): Promise<PluginApi> {
  const [core, schema, data, bottlenecks, models] = await Promise.all([
    import('@latentkit/core'),
    import('@latentkit/core/schema'),
    import('@latentkit/data'),
    import('@latentkit/bottlenecks'),
    import('@latentkit/models'),
  ]);
  // Plugins got `z` and `parseConfig` on `core` before they moved to the `/schema` entry; they still do.
  return { core: { ...core, ...schema }, data, bottlenecks, models };
}

/** Loads each plugin once per process; returns their absolute paths (what a run records). */
export async function loadPlugins(files: readonly string[] | undefined): Promise<string[]> {
  await registerPackageKinds();
  const out: string[] = [];
  for (const file of files ?? []) {
    const full = path.resolve(file);
    out.push(full);
    if (loaded.has(full)) continue;
    if (!fs.existsSync(full)) throw new LatentkitError('FILE_NOT_FOUND', `${full}: plugin not found (--plugin)`, { file: full });
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(full).href)) as { default?: unknown };
    } catch (e) {
      throw new LatentkitError('PARSE_ERROR', `${full}: the plugin failed to load: ${(e as Error).message}`, { file: full }, { cause: e });
    }
    if (typeof module.default === 'function') await (module.default as (api: unknown) => unknown)(await pluginApi());
    loaded.add(full);
  }
  return out;
}
