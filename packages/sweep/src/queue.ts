/**
 * The coordinator's side of cluster mode: enqueue jobs with BullMQ (ids derived from the sweep, so enqueueing twice
 * adds nothing), wait for them by polling their state (which survives a Redis restart and needs no event stream),
 * and report status or cancel from any machine.
 */
import { LatentkitError } from '@latentkit/core/base';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { checkQueue, redactUrl, redisOptions } from './connection.js';
import type { Trial } from './expand.js';
import {
  type ChunkJobData,
  type ChunkJobResult,
  QUEUE_NAME,
  QUEUE_PREFIX,
  type TrialJobData,
  type TrialJobResult,
  cancelKey,
  chunkJobId,
  trialJobId,
} from './jobs.js';
import type { TrialResult } from './results.js';
import type { SweepSpec } from './spec.js';
import type { ConfigValidator } from './trial.js';
import type { RowRange } from './chunks.js';

/** A BullMQ queue plus a plain client for latentkit's own keys (cancel flags); close both with `close()`. */
export interface OpenQueue {
  readonly queue: Queue;
  readonly client: Redis;
  close(): Promise<void>;
}

export async function openQueue(url: string): Promise<OpenQueue> {
  await checkQueue(url);
  const queue = new Queue(QUEUE_NAME, { connection: redisOptions(url), prefix: QUEUE_PREFIX });
  const client = new Redis(redisOptions(url));
  // Both reconnect on their own; an outage (a Redis restart) is reported by the polling that notices it.
  queue.on('error', () => {});
  client.on('error', () => {});
  return {
    queue,
    client,
    close: async () => {
      await queue.close();
      client.disconnect();
    },
  };
}

interface Outcome {
  readonly state: 'completed' | 'failed' | 'cancelled';
  readonly returnvalue?: unknown;
  readonly failedReason?: string;
  readonly attemptsMade: number;
}

interface WaitOptions {
  readonly attempts: number;
  readonly pollMs?: number;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
  /** The sweep or task id whose cancel flag stops the wait. */
  readonly cancelId: string;
  readonly onDone?: (id: string, outcome: Outcome) => void;
}

const jobOptions = (jobId: string, attempts: number) => ({
  jobId,
  attempts,
  backoff: { type: 'fixed', delay: 1_000 },
  removeOnComplete: false,
  removeOnFail: false,
});

async function enqueueAndWait(
  { queue, client }: OpenQueue,
  jobs: readonly { id: string; name: string; data: object }[],
  options: WaitOptions,
): Promise<Map<string, Outcome>> {
  const { log } = options;
  await client.del(cancelKey(options.cancelId));
  const ensure = async (job: { id: string; name: string; data: object }) => {
    const existing = await queue.getJob(job.id);
    if (!existing) return void (await queue.add(job.name, job.data, jobOptions(job.id, options.attempts)));
    // A job that failed in an earlier run of the same sweep gets another chance; a completed one is kept.
    if ((await existing.getState()) === 'failed') await existing.retry('failed');
  };
  for (const job of jobs) await ensure(job);
  log(`queued ${jobs.length} job(s) on ${QUEUE_NAME}`);
  const outcomes = new Map<string, Outcome>();
  const requeued = new Map<string, number>();
  let outage = false;
  while (outcomes.size < jobs.length) {
    if (options.signal?.aborted) break;
    try {
      if (await client.get(cancelKey(options.cancelId))) {
        for (const job of jobs) if (!outcomes.has(job.id)) outcomes.set(job.id, { state: 'cancelled', attemptsMade: 0 });
        break;
      }
      for (const job of jobs) {
        if (outcomes.has(job.id)) continue;
        const found: Job | undefined = await queue.getJob(job.id);
        // Redis lost the job (restarted without persistence): enqueue it again; the run folder makes that safe.
        if (!found) {
          await ensure(job);
          continue;
        }
        const state = await found.getState();
        // A failure without a reason and with attempts left was seen once after a Redis restart under heavy load;
        // rather than lose the trial, it is queued again (its run folder makes that safe), a bounded number of times.
        if (state === 'failed' && !found.failedReason && found.attemptsMade < options.attempts && (requeued.get(job.id) ?? 0) < options.attempts) {
          requeued.set(job.id, (requeued.get(job.id) ?? 0) + 1);
          log(`job ${job.id} failed without a reason (a Redis restart?); queued again`);
          await found.retry('failed');
          continue;
        }
        if (state === 'completed' || state === 'failed') {
          // `found` was read before getState(): a job that finished in between has its state but not yet its return
          // value or reason, so the finished job is read again.
          const final = (await queue.getJob(job.id)) ?? found;
          const outcome: Outcome = { state, returnvalue: final.returnvalue, failedReason: final.failedReason, attemptsMade: final.attemptsMade };
          outcomes.set(job.id, outcome);
          options.onDone?.(job.id, outcome);
        }
      }
      if (outage) log('queue reachable again; the sweep goes on');
      outage = false;
    } catch (e) {
      if (!outage) log(`queue unreachable (${(e as Error).message}); waiting for Redis to come back`);
      outage = true;
    }
    if (outcomes.size < jobs.length) await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
  return outcomes;
}

export interface QueueSweepOptions {
  readonly url: string;
  readonly spec: SweepSpec;
  readonly sweepId: string;
  readonly trials: readonly Trial[];
  readonly validateConfig: ConfigValidator;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
  readonly onResult?: (result: TrialResult) => void;
}

/** Enqueues every trial and waits until each completed or failed for good (or the sweep was cancelled). */
export async function runQueueSweep(options: QueueSweepOptions): Promise<TrialResult[]> {
  const { spec, sweepId, trials } = options;
  const log = options.log ?? (() => {});
  const configs = trials.map((t) => options.validateConfig(t.config, `trial ${t.id}`));
  const open = await openQueue(options.url);
  log(`sweep ${sweepId}: ${trials.length} trial(s) on ${redactUrl(options.url)}`);
  const byJob = new Map(trials.map((t) => [trialJobId(sweepId, t.id), t]));
  const toResult = (trial: Trial, o: Outcome): TrialResult => {
    const value = o.returnvalue as TrialJobResult | undefined;
    const base = { id: trial.id, params: trial.params, runDir: `${sweepId}/${trial.id}`, attempts: o.attemptsMade };
    return o.state === 'completed' && value
      ? { ...base, status: 'done', metric: value.metric, seconds: value.seconds, worker: value.worker }
      : {
          ...base,
          status: o.state === 'cancelled' ? 'cancelled' : 'failed',
          metric: null,
          seconds: null,
          ...(o.failedReason ? { error: o.failedReason } : {}),
        };
  };
  try {
    const jobs = trials.map((t, i) => {
      const data: TrialJobData = { kind: 'trial', sweepId, trialId: t.id, config: configs[i] as Record<string, unknown>, eval: spec.eval, metric: spec.metric };
      return { id: trialJobId(sweepId, t.id), name: 'trial', data };
    });
    const outcomes = await enqueueAndWait(open, jobs, {
      attempts: spec.retries + 1,
      log,
      cancelId: sweepId,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      onDone: (id, o) => options.onResult?.(toResult(byJob.get(id) as Trial, o)),
    });
    return trials.map((t) => toResult(t, outcomes.get(trialJobId(sweepId, t.id)) ?? { state: 'cancelled', attemptsMade: 0 }));
  } finally {
    await open.close();
  }
}

export interface TrialStatus {
  readonly id: string;
  readonly state: string;
  readonly attempts: number;
  readonly metric: number | null;
  readonly worker?: string;
  readonly error?: string;
}

/** Each trial's job state ("waiting", "active", "completed", "failed", "delayed", or "missing" when never queued). */
export async function sweepStatus(url: string, sweepId: string, trials: readonly Trial[]): Promise<{ cancelled: boolean; trials: TrialStatus[] }> {
  const open = await openQueue(url);
  const { queue, client } = open;
  try {
    const cancelled = Boolean(await client.get(cancelKey(sweepId)));
    const out: TrialStatus[] = [];
    for (const t of trials) {
      const job = await queue.getJob(trialJobId(sweepId, t.id));
      if (!job) {
        out.push({ id: t.id, state: 'missing', attempts: 0, metric: null });
        continue;
      }
      const value = job.returnvalue as TrialJobResult | null;
      out.push({
        id: t.id,
        state: await job.getState(),
        attempts: job.attemptsMade,
        metric: value?.metric ?? null,
        ...(value?.worker ? { worker: value.worker } : {}),
        ...(job.failedReason ? { error: job.failedReason } : {}),
      });
    }
    return { cancelled, trials: out };
  } finally {
    await open.close();
  }
}

/**
 * Cancels a sweep (or chunk task) from any machine: flags it (workers stop its running trials, which keep their
 * checkpoints) and removes its jobs that have not started. Returns how many jobs were removed.
 */
export async function cancelJobs(url: string, id: string, jobIds: readonly string[]): Promise<number> {
  const open = await openQueue(url);
  const { queue, client } = open;
  try {
    await client.set(cancelKey(id), String(Date.now()), 'EX', 7 * 24 * 3600);
    let removed = 0;
    for (const jobId of jobIds) {
      const job = await queue.getJob(jobId);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'completed' || state === 'active') continue;
      try {
        await job.remove();
        removed++;
      } catch {
        // It started in between; the cancel flag stops it.
      }
    }
    return removed;
  } finally {
    await open.close();
  }
}

export const cancelSweep = (url: string, sweepId: string, trials: readonly Trial[]) =>
  cancelJobs(
    url,
    sweepId,
    trials.map((t) => trialJobId(sweepId, t.id)),
  );

export interface QueueChunksOptions {
  readonly url: string;
  readonly taskId: string;
  /** The name of a processor registered on the workers (e.g. "encode"). */
  readonly processor: string;
  readonly args: Record<string, unknown>;
  /** The input file, as the workers see it (a shared file system). */
  readonly input: string;
  readonly ranges: readonly RowRange[];
  readonly retries?: number;
  readonly log?: (line: string) => void;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /** Called as each chunk's job ends (completed or failed for good), e.g. to move a progress bar. */
  readonly onChunkDone?: (index: number, state: string) => void;
}

/** Enqueues one job per row range and waits for all; throws naming the chunks that failed for good. */
export async function runQueueChunks(options: QueueChunksOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const open = await openQueue(options.url);
  try {
    const jobs = options.ranges.map((r) => {
      const data: ChunkJobData = {
        kind: 'chunk',
        taskId: options.taskId,
        processor: options.processor,
        args: options.args,
        input: options.input,
        index: r.index,
        start: r.start,
        end: r.end,
      };
      return { id: chunkJobId(options.taskId, r.index), name: 'chunk', data };
    });
    const outcomes = await enqueueAndWait(open, jobs, {
      attempts: (options.retries ?? 2) + 1,
      log,
      cancelId: options.taskId,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      ...(options.onChunkDone && {
        onDone: (id: string, outcome: Outcome) => options.onChunkDone?.(Number(id.slice(id.lastIndexOf('.c') + 2)), outcome.state),
      }),
    });
    const bad = [...outcomes].filter(([, o]) => o.state !== 'completed' || !(o.returnvalue as ChunkJobResult | undefined));
    if (bad.length) {
      throw new LatentkitError(
        'INVALID_ARGUMENT',
        `${bad.length} of ${jobs.length} chunk(s) of ${options.taskId} did not finish: ${bad
          .slice(0, 3)
          .map(([id, o]) => `${id} ${o.state}${o.failedReason ? ` (${o.failedReason})` : ''}`)
          .join('; ')}`,
      );
    }
  } finally {
    await open.close();
  }
}
