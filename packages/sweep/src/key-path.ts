/** Dotted key paths ("model.bottleneck.kappa") into plain JSON objects: how a sweep names the config keys it varies. */

const SECTIONS = ['data', 'model', 'trainer', 'batchSize'] as const;

/** A sweep may vary only keys of a run config (the sections `--config` takes), never `plugins` (that would be code). */
export function isConfigKey(key: string): boolean {
  const [head, ...rest] = key.split('.');
  if (!SECTIONS.includes(head as (typeof SECTIONS)[number])) return false;
  if (head === 'batchSize') return rest.length === 0;
  return rest.length > 0 && rest.every((part) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(part));
}

/** A copy of `doc` with `key` set to `value`, creating the objects on the way. */
export function setKeyPath(doc: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const parts = key.split('.');
  const out: Record<string, unknown> = { ...doc };
  let node = out;
  for (const part of parts.slice(0, -1)) {
    const child = node[part];
    const copy = child !== null && typeof child === 'object' && !Array.isArray(child) ? { ...(child as Record<string, unknown>) } : {};
    node[part] = copy;
    node = copy;
  }
  node[parts[parts.length - 1] as string] = value;
  return out;
}

/** The value at `key`, or undefined when any step is missing. */
export function getKeyPath(doc: unknown, key: string): unknown {
  let node: unknown = doc;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
