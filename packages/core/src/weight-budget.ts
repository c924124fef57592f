/**
 * A model's weights counted before they are allocated, so an absurd width (`--latent-dim 100000000`) is refused
 * with a message instead of exhausting the machine's memory. Layers and bottlenecks reserve their weights as they
 * create them; `withWeightBudget` counts them over one model's creation (synchronous, so one running count per
 * process is enough). Outside it, each reservation is checked alone.
 */
import os from 'node:os';
import { LatentkitError } from './errors.js';

/** Bytes a trained weight costs: itself, its gradient and Adam's two moments, float32 each. */
const BYTES_PER_TRAINED_WEIGHT = 16;
/** Share of the machine's memory a model's trained weights may take. */
const MEMORY_SHARE = 0.75;

let planned = 0;
let depth = 0;

/** Runs `create` with one count over every weight reserved inside it (nested calls share the outer count). */
export function withWeightBudget<T>(create: () => T): T {
  if (depth++ === 0) planned = 0;
  try {
    return create();
  } finally {
    depth--;
  }
}

const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GB`;

/** Adds `weights` for `name` to the model's count; INVALID_CONFIG when training them would not fit in memory. */
export function reserveWeights(name: string, weights: number): void {
  const total = depth > 0 ? (planned += weights) : weights;
  const budget = os.totalmem() * MEMORY_SHARE;
  const bytes = total * BYTES_PER_TRAINED_WEIGHT;
  if (bytes <= budget && Number.isSafeInteger(total)) return;
  throw new LatentkitError(
    'INVALID_CONFIG',
    `model: ${total.toLocaleString('en-US')} weights by layer ${name} (${weights.toLocaleString('en-US')} in it) would need about ${gb(bytes)} to train (weights, gradients, Adam's moments), more than the ${gb(budget)} this machine can give (${MEMORY_SHARE * 100}% of ${gb(os.totalmem())}); choose smaller widths (--latent-dim, hidden sizes, vocabulary, codebook)`,
    { path: 'model' },
  );
}
