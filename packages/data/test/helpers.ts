import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** LATENTKIT_DATA_DIR, else <repo root>/../shared/data; undefined (with a printed skip notice) when absent. */
export function sharedData(folder: string): string | undefined {
  const dir = process.env['LATENTKIT_DATA_DIR'] ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
  if (existsSync(join(dir, folder))) return dir;
  console.warn(`skipping tests that need ${join(dir, folder)}: not present (set LATENTKIT_DATA_DIR to run them)`);
  return undefined;
}

/** Writes files into a new temporary directory and returns their paths by name. */
export function tempFiles<K extends string>(files: Record<K, string | Uint8Array>): Record<K | 'dir', string> {
  const dir = mkdtempSync(join(tmpdir(), 'latentkit-data-'));
  const paths: Record<string, string> = { dir };
  for (const [name, content] of Object.entries<string | Uint8Array>(files)) {
    paths[name] = join(dir, name);
    writeFileSync(join(dir, name), content);
  }
  return paths as Record<K | 'dir', string>;
}
