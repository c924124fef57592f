import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const manifest = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

/** The bare specifiers an entry loads, following its relative imports (static and dynamic) through src. */
function packagesLoadedBy(entry: string): Set<string> {
  const bare = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    // `import type` and `export type` are erased by tsc, so they load nothing.
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm)];
    for (const m of specifiers) {
      const spec = (m[1] ?? m[2] ?? m[3]) as string;
      if (spec.startsWith('.')) {
        const ts = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
        // Generated at build time (the bundled tfjs registrations) or not TypeScript: nothing to follow.
        if (fs.existsSync(ts)) visit(ts);
      } else bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
    }
  };
  visit(path.join(src, entry));
  return bare;
}

describe('entries and what they load', () => {
  it('the main and base entries do not load zod, so core installs without it', () => {
    expect(packagesLoadedBy('index.ts').has('zod')).toBe(false);
    expect(packagesLoadedBy('base.ts').has('zod')).toBe(false);
    // The walk does see packages: the main entry loads tfjs-core, the schema entry zod.
    expect(packagesLoadedBy('index.ts').has('@tensorflow/tfjs-core')).toBe(true);
    expect([...packagesLoadedBy('schema.ts')]).toEqual(['zod']);
  });

  it('zod is an optional peer, not a dependency', () => {
    expect(manifest.dependencies.zod).toBeUndefined();
    expect(manifest.peerDependencies.zod).toBeDefined();
    expect(manifest.peerDependenciesMeta.zod?.optional).toBe(true);
  });
});
