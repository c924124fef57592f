/**
 * A bottleneck kind: everything latentkit knows about one kind of bottleneck, in the kind's own module. The registry
 * holds one per kind; the models, the CLI, eval and the ONNX exporter read it and never switch over kinds.
 */
import type { Rng } from '@latentkit/core';
import type { z } from '@latentkit/core/schema';
import type { Bottleneck } from './types.js';

export interface BottleneckKind<C extends { readonly kind: string } = { readonly kind: string }> {
  /** The config's `kind`, camelCase (`softVq`). */
  readonly kind: C['kind'];
  /** The CLI's kebab-case name (`soft-vq`). */
  readonly cliName: string;
  /** One line for `--help` and error messages. */
  readonly summary: string;
  /** Validates a config and fills its defaults. Strict: an unknown field is an error. */
  readonly schema: z.ZodType<C>;
  /**
   * The config field that the width of the latent code (`--latent-dim`) sets: `latentDim` where the kind has heads
   * of its own, `inputDim` where the code has the encoder features' width.
   */
  readonly latentField: 'latentDim' | 'inputDim';
  /** Builds the bottleneck from a resolved config. */
  create(config: C, options: { readonly rng: Rng; readonly scope: string }): Bottleneck<C>;
}

/** Declares a kind; `cliName` defaults to the kebab-case of `kind`. */
export function defineBottleneck<C extends { readonly kind: string }>(
  kind: Omit<BottleneckKind<C>, 'cliName'> & { readonly cliName?: string },
): BottleneckKind<C> {
  return { ...kind, cliName: kind.cliName ?? kebabCase(kind.kind) };
}

export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
