/** Which column of a file is a feature, the label, the id or ignored: the options checked against the header. */
import { LatentkitError, invalidArgument } from '@latentkit/core/base';
import type { ColumnConfig, ColumnRole, ColumnType, TableOptions } from './types.js';

const TYPES: readonly string[] = ['numeric', 'categorical', 'binary'];
const ROLES: readonly string[] = ['feature', 'label', 'id', 'ignore'];

export interface ColumnPlan {
  /** Index of the column in the file's records. */
  readonly index: number;
  readonly name: string;
  readonly role: ColumnRole;
  readonly config: ColumnConfig;
}

/**
 * Names for a header: a blank name becomes `column_<k>` (1-based), so trailing `;;` columns still have one.
 * Duplicate names are an error: a config could not say which one it means.
 */
export function headerNames(header: readonly string[], source: string): string[] {
  const names = header.map((h, i) => (h.trim() === '' ? `column_${i + 1}` : h.trim()));
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new LatentkitError('PARSE_ERROR', `${source}: column names must be unique, got "${name}" as columns ${first + 1} and ${i + 1}`, {
        file: source,
        column: name,
      });
    }
    seen.set(name, i);
  });
  return names;
}

function normalise(name: string, entry: unknown): ColumnConfig {
  if (typeof entry === 'string') {
    if (TYPES.includes(entry)) return { type: entry as ColumnType };
    if (ROLES.includes(entry)) return { role: entry as ColumnRole };
    throw invalidArgument(`columns["${name}"]`, `one of ${[...TYPES, ...ROLES].join(', ')} or {type, role, categories}`, entry);
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw invalidArgument(`columns["${name}"]`, 'a type, a role or an object {type, role, categories}', entry);
  }
  const { type, role, categories, ...rest } = entry as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw invalidArgument(`columns["${name}"]`, 'only the keys type, role, categories', extra);
  if (type !== undefined && !TYPES.includes(type as string)) throw invalidArgument(`columns["${name}"].type`, TYPES.join(', '), type);
  if (role !== undefined && !ROLES.includes(role as string)) throw invalidArgument(`columns["${name}"].role`, ROLES.join(', '), role);
  if (categories !== undefined) {
    const ok =
      Array.isArray(categories) && categories.length > 0 && categories.every((c) => typeof c === 'string') && new Set(categories).size === categories.length;
    if (!ok) throw invalidArgument(`columns["${name}"].categories`, 'a non-empty array of distinct strings', categories);
    if (type === 'binary' && categories.length !== 2)
      throw invalidArgument(`columns["${name}"].categories`, 'exactly two categories for a binary column', categories);
  }
  return {
    ...(type !== undefined && { type: type as ColumnType }),
    ...(role !== undefined && { role: role as ColumnRole }),
    ...(categories !== undefined && { categories: categories as string[] }),
  };
}

/**
 * Checks a columns config (e.g. parsed from a `--columns cfg.json` file) and returns it typed. It maps column names
 * to a type (`numeric`, `categorical`, `binary`), a role (`label`, `id`, `ignore`, `feature`) or `{type, role, categories}`.
 */
export function parseColumnsConfig(json: unknown): Record<string, ColumnConfig> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalidArgument('columns', 'an object mapping column names to settings', json);
  const out: Record<string, ColumnConfig> = {};
  for (const [name, entry] of Object.entries(json)) out[name] = normalise(name, entry);
  return out;
}

/** Each column's role and declared settings; names in the options that are not in the header are errors. */
export function planColumns(names: readonly string[], options: TableOptions, source: string): ColumnPlan[] {
  const configs = parseColumnsConfig(options.columns ?? {});
  const known = new Set(names);
  const mustExist = (name: string, option: string) => {
    if (!known.has(name)) {
      throw new LatentkitError('INVALID_ARGUMENT', `${source}: ${option} names a column "${name}" that the file does not have (columns: ${names.join(', ')})`, {
        file: source,
        column: name,
      });
    }
  };
  for (const name of Object.keys(configs)) mustExist(name, 'columns');
  const roles = new Map<string, ColumnRole>();
  const setRole = (name: string, role: ColumnRole, option: string) => {
    mustExist(name, option);
    const before = roles.get(name);
    if (before !== undefined && before !== role) throw invalidArgument(option, `a column not already used as ${before}`, name);
    roles.set(name, role);
  };
  for (const [name, c] of Object.entries(configs)) if (c.role !== undefined) setRole(name, c.role, 'columns');
  if (options.labelColumn !== undefined) setRole(options.labelColumn, 'label', 'labelColumn');
  if (options.idColumn !== undefined) setRole(options.idColumn, 'id', 'idColumn');
  for (const name of options.ignoreColumns ?? []) setRole(name, 'ignore', 'ignoreColumns');
  for (const role of ['label', 'id'] as const) {
    const named = [...roles].filter(([, r]) => r === role).map(([n]) => n);
    if (named.length > 1) throw invalidArgument('columns', `at most one ${role} column`, named);
  }
  return names.map((name, index) => ({ index, name, role: roles.get(name) ?? 'feature', config: configs[name] ?? {} }));
}
