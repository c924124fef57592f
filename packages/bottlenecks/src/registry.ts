/**
 * The bottleneck registry: one `BottleneckKind` per kind, built-in or registered by user code. Configs resolve and
 * bottlenecks are built through it, so nothing outside a kind's own module switches over kinds.
 */
import { KindRegistry, LatentkitError, Rng, check } from '@latentkit/core';
import { parseConfig } from '@latentkit/core/schema';
import type { BottleneckConfig, BottleneckConfigInput } from './config.js';
import { denoising } from './denoising.js';
import { gaussian } from './gaussian.js';
import { identity } from './identity.js';
import type { BottleneckKind } from './kind.js';
import { softVq } from './soft-vq.js';
import { powerSpherical, vmf } from './spherical.js';
import type { Bottleneck } from './types.js';
import { vq } from './vq.js';

const kinds = new KindRegistry<BottleneckKind>(
  'bottleneck kind',
  (k) => k.kind,
  (k) => k.cliName,
);

/** The config of any registered kind, a user's too: its `kind` and its own fields. */
export type AnyBottleneckInput = { readonly kind: string } & Readonly<Record<string, unknown>>;

/**
 * Adds a kind, so configs, `createBottleneck`, the models and the CLI (`--bottleneck <cliName>`) accept it. A kind
 * name or CLI name that is taken is refused: a plugin cannot silently replace a built-in.
 */
export function registerBottleneck<C extends { readonly kind: string }>(kind: BottleneckKind<C>): void {
  check(typeof kind?.kind === 'string' && /^[a-z][A-Za-z0-9]*$/.test(kind.kind), 'kind.kind', 'a camelCase name', kind?.kind);
  check(
    typeof kind.create === 'function' && typeof kind.schema?.parse === 'function',
    `bottleneck kind "${kind.kind}"`,
    'a schema and a create function',
    kind,
  );
  kinds.register(kind as unknown as BottleneckKind);
}

for (const kind of [identity, denoising, gaussian, vmf, powerSpherical, vq, softVq]) registerBottleneck(kind as BottleneckKind<{ kind: string }>);

/** Every registered kind, built-in ones first. */
export function bottleneckKinds(): readonly BottleneckKind[] {
  return kinds.all();
}

/** The kind named `name` (a config kind, `softVq`), or INVALID_CONFIG naming the closest one. */
export function bottleneckKind(name: unknown, field = 'kind'): BottleneckKind {
  return kinds.get(name, field);
}

/** The kind whose CLI name is `name` (`soft-vq`). */
export function bottleneckKindByCliName(name: string, flag = '--bottleneck'): BottleneckKind {
  return kinds.byCliName(name, flag);
}

/**
 * Fills the defaults of `input` and validates the result; throws INVALID_CONFIG naming the bad field under `where`
 * (unknown fields too, so a typo never passes silently). Pure: `input` is not changed. A resolved config resolves
 * to itself.
 */
export function resolveBottleneckConfig(input: BottleneckConfigInput | AnyBottleneckInput, where = ''): BottleneckConfig {
  if (input === null || typeof input !== 'object') {
    throw new LatentkitError('INVALID_CONFIG', `${where || '(config)'}: expected a bottleneck config object with a "kind", got ${JSON.stringify(input)}`);
  }
  const kind = bottleneckKind((input as { kind?: unknown }).kind, where ? `${where}.kind` : 'kind');
  return parseConfig(kind.schema, input, where) as BottleneckConfig;
}

export interface CreateOptions {
  /** Draws the initial weights. Default `Rng.fromSeed(0)`, so a config alone gives the same weights every time. */
  readonly rng?: Rng;
  /** Prefix of the variable keys (`<scope>/codebook`); change it when one model holds several bottlenecks. Default `bottleneck`. */
  readonly scope?: string;
}

/** Builds the bottleneck a config describes; defaults are filled and the config validated first. */
export function createBottleneck(config: BottleneckConfigInput | AnyBottleneckInput, options: CreateOptions = {}): Bottleneck {
  const resolved = resolveBottleneckConfig(config);
  const scope = options.scope ?? 'bottleneck';
  check(typeof scope === 'string' && scope.length > 0, 'options.scope', 'a non-empty string', scope);
  return bottleneckKind(resolved.kind).create(resolved, { rng: options.rng ?? Rng.fromSeed(0), scope }) as Bottleneck;
}
