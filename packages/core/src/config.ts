/**
 * One way to validate a config: a zod schema per config, and `parseConfig`, which turns zod's issues into one
 * INVALID_CONFIG error whose message names the key path, what was expected, what was given and, for an unknown
 * key, the closest valid one ("trainer.epoch: unknown key; did you mean trainer.epochs?").
 */
import { z } from 'zod';
import { closestKey } from './closest-key.js';
import { LatentkitError } from './errors.js';

export { closestKey, z };

/** One problem with a config, as `parseConfig` reports it. */
export interface ConfigIssue {
  /** `trainer.optimizer.learningRate`, `model.bottleneck.kappa`; empty for the whole config. */
  readonly path: string;
  readonly message: string;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function at(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) out = typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key);
  return out;
}

/** Unwraps defaults, optionals, nullables and pipes down to the schema that holds the shape. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s = schema;
  for (;;) {
    const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
}

/** The keys an object schema accepts (through defaults, optionals and pipes); empty for other schemas. */
export function objectKeys(schema: z.core.$ZodType): string[] {
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

/** The keys valid at `path` inside `schema`, following the input through objects and unions. */
function keysAt(schema: z.core.$ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let s = unwrap(schema);
  for (let i = 0; i <= path.length; i++) {
    const here = at(input, path.slice(0, i));
    if (s instanceof z.ZodUnion) {
      // The option whose keys cover most of the given ones is the one the user meant.
      const given = here && typeof here === 'object' ? Object.keys(here) : [];
      const options = (s._zod.def.options as z.core.$ZodType[]).map(unwrap).filter((o) => o instanceof z.ZodObject) as z.ZodObject[];
      const score = (o: z.ZodObject) => given.filter((k) => k in o.shape).length;
      const best = options.sort((a, b) => score(b) - score(a))[0];
      if (!best) return [];
      s = best;
    }
    if (i === path.length) break;
    if (!(s instanceof z.ZodObject)) return [];
    const next = s.shape[String(path[i])] as z.core.$ZodType | undefined;
    if (!next) return [];
    s = unwrap(next);
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  number: 'a finite number',
  int: 'an integer',
  object: 'an object',
  array: 'an array',
  undefined: 'nothing (remove the key)',
};

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at least ${issue.minimum} ${issue.origin === 'array' ? 'items' : 'characters'}`
        : `a number ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string'
        ? `at most ${issue.maximum} ${issue.origin === 'array' ? 'items' : 'characters'}`
        : `a number ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => describe(v)).join(', ')}`;
    case 'invalid_union':
      // A union states its forms in its own error message (`z.union([...], { error: 'a number > 0 or "learned"' })`).
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'one of the allowed forms';
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

/** The issues of a failed parse, as plain `{path, message}` lines. */
export function configIssues(schema: z.core.$ZodType, error: z.core.$ZodError, input: unknown, prefix = ''): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(schema, issue.path, input);
      for (const key of issue.keys) {
        const path = joinPath(prefix, [...issue.path, key]);
        const near = closestKey(key, valid);
        const hint = near ? `did you mean ${joinPath(prefix, [...issue.path, near])}?` : `the keys here are ${valid.join(', ') || '(none)'}`;
        out.push({ path, message: `${path}: unknown key; ${hint}` });
      }
      continue;
    }
    const path = joinPath(prefix, issue.path);
    const expected = issue.code === 'custom' ? issue.message : expectedOf(issue);
    // A refinement reports the value it judged (a default may have filled it); other issues point into the input.
    const given = 'input' in issue && issue.code === 'custom' ? issue.input : at(input, issue.path);
    out.push({ path, message: `${path || '(config)'}: expected ${expected}, got ${describe(given)}` });
  }
  return out;
}

/**
 * Validates `input` against `schema` and returns the parsed config (defaults filled in). Throws one INVALID_CONFIG
 * error listing every issue; `prefix` is the config's place in a larger one (`model.bottleneck`).
 */
export function parseConfig<S extends z.core.$ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issues = configIssues(schema, result.error, input, prefix);
  const first = issues[0]?.message ?? `${prefix || '(config)'}: invalid`;
  const message =
    issues.length === 1
      ? first
      : `${first}\n${issues
          .slice(1)
          .map((i) => `  ${i.message}`)
          .join('\n')}`;
  throw new LatentkitError('INVALID_CONFIG', message, { issues, path: issues[0]?.path ?? prefix });
}

/** Schemas the configs share, with the wording the errors use. */
export const schemas = {
  positiveInt: () => z.number().int().positive(),
  nonNegative: () => z.number().min(0),
  positive: () => z.number().positive(),
  /** (0, 1), open. */
  unitInterval: () => z.number().gt(0).lt(1),
  /** [0, 1). */
  rate: () => z.number().min(0).lt(1),
};
