/**
 * What travels through the queue: data only, validated on arrival. A trial job names its sweep and trial and
 * carries the run config (validated again by the worker with the `--config` schemas); a chunk job names a
 * processor the worker has registered under that name, never code.
 */
import { parseConfig, schemas, z } from '@latentkit/core/schema';
import { ID_PATTERN } from './trial.js';

/** One queue for all of latentkit's jobs; each job names its sweep or task. */
export const QUEUE_NAME = 'latentkit';
/** BullMQ's key prefix; a sweep's cancel flag lives next to its jobs. */
export const QUEUE_PREFIX = 'latentkit';

const id = z.string().regex(ID_PATTERN, 'letters, digits, ".", "-", "_"');

const evalOptions = z.strictObject({
  importanceSamples: z.number().int().min(0).optional(),
  kmeansRestarts: schemas.positiveInt().optional(),
  probe: z.boolean().optional(),
  knn: z.boolean().optional(),
  kmeans: z.boolean().optional(),
});

export const trialJobSchema = z.strictObject({
  kind: z.literal('trial'),
  sweepId: id,
  trialId: id,
  config: z.looseObject({}),
  eval: evalOptions,
  metric: z.string().min(1),
});

export const chunkJobSchema = z.strictObject({
  kind: z.literal('chunk'),
  taskId: id,
  processor: id,
  /** The processor's own options, validated by the processor's schema. */
  args: z.looseObject({}),
  input: z.string().min(1),
  index: z.number().int().min(0),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
});

export type TrialJobData = z.output<typeof trialJobSchema>;
export type ChunkJobData = z.output<typeof chunkJobSchema>;

export function parseJob(data: unknown): TrialJobData | ChunkJobData {
  const kind = (data as { kind?: unknown } | null)?.kind;
  return kind === 'chunk' ? parseConfig(chunkJobSchema, data, 'job') : parseConfig(trialJobSchema, data, 'job');
}

export const trialJobId = (sweepId: string, trialId: string) => `${sweepId}.${trialId}`;
export const chunkJobId = (taskId: string, index: number) => `${taskId}.c${index}`;
export const cancelKey = (id: string) => `${QUEUE_PREFIX}:cancelled:${id}`;

/** What a finished trial job returns to the queue. */
export interface TrialJobResult {
  readonly metric: number;
  readonly seconds: number;
  readonly worker: string;
}

export interface ChunkJobResult {
  /** False when the chunk's file was already there (a retried chunk whose first attempt had written it). */
  readonly written: boolean;
  readonly worker: string;
}
