import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `shared/test-vectors` beside the repository, or undefined (with a note) when this checkout has none. */
export function readTestVectors<T>(file: string): T | undefined {
  const dir = path.resolve(repoRoot, '../shared/test-vectors');
  const full = path.join(dir, file);
  if (!existsSync(full)) {
    console.warn(`skipping: ${full} not found`);
    return undefined;
  }
  return JSON.parse(readFileSync(full, 'utf8')) as T;
}
