/**
 * A queue worker: takes trial and chunk jobs one at a time (or `concurrency`), validates each job's data as a
 * config (never code: a chunk job names a processor this worker registered), runs it against the shared runs
 * dir, and reports the result. A worker that dies keeps its lock only `lockSeconds`; then BullMQ's stalled-job
 * check hands the job to another worker, which resumes the trial from its run folder's checkpoint.
 */
import os from 'node:os';
import path from 'node:path';
import { LatentkitError, isLatentkitError } from '@latentkit/core/base';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type ChunkProcessor, chunkFile, writeChunkOnce } from './chunks.js';
import { checkQueue, redactUrl, redisOptions } from './connection.js';
import { type ChunkJobData, type ChunkJobResult, QUEUE_NAME, QUEUE_PREFIX, type TrialJobData, type TrialJobResult, cancelKey, parseJob } from './jobs.js';
import { type ConfigValidator, type TrialRunner, isPermanent, readMetric, trialRunDir } from './trial.js';

export interface WorkerOptions {
  readonly url: string;
  /** The shared run root: trial run folders and chunk files live under it. */
  readonly runsDir: string;
  readonly runTrial?: TrialRunner;
  readonly validateConfig?: ConfigValidator;
  readonly chunkProcessors?: Readonly<Record<string, ChunkProcessor>>;
  readonly concurrency?: number;
  /** Seconds without a lock renewal after which a job counts as stalled and goes to another worker (default 30). */
  readonly lockSeconds?: number;
  readonly log?: (line: string) => void;
  /** Aborting it stops taking jobs; the worker finishes the jobs it runs, then resolves. */
  readonly signal?: AbortSignal;
}

const workerName = () => `${os.hostname()}:${process.pid}`;

export async function runWorker(options: WorkerOptions): Promise<void> {
  const log = options.log ?? (() => {});
  await checkQueue(options.url);
  const lockMs = Math.round((options.lockSeconds ?? 30) * 1000);
  const runsDir = path.resolve(options.runsDir);
  const client = new Redis(redisOptions(options.url));
  client.on('error', () => {});

  const processor = async (job: Job): Promise<TrialJobResult | ChunkJobResult> => {
    let data: TrialJobData | ChunkJobData;
    try {
      data = parseJob(job.data);
    } catch (e) {
      throw new UnrecoverableError(`job ${job.id}: rejected: ${(e as Error).message}`);
    }
    const owner = data.kind === 'trial' ? data.sweepId : data.taskId;
    if (await client.get(cancelKey(owner))) throw new UnrecoverableError(`cancelled (${owner})`);
    // A cancel from any machine reaches a running job within ~2 s.
    const abort = new AbortController();
    const watch = setInterval(() => {
      client.get(cancelKey(owner)).then(
        (v: string | null) => v && abort.abort(),
        () => {},
      );
    }, 2_000);
    const started = Date.now();
    try {
      if (data.kind === 'trial') {
        if (!options.runTrial || !options.validateConfig) throw new UnrecoverableError('this worker takes no trials');
        const config = options.validateConfig(data.config, `job ${job.id} config`);
        log(`trial ${data.sweepId}/${data.trialId}: attempt ${job.attemptsMade + 1}`);
        const report = await options.runTrial({
          sweepId: data.sweepId,
          trialId: data.trialId,
          config,
          eval: data.eval,
          runDir: trialRunDir(runsDir, data.sweepId, data.trialId),
          signal: abort.signal,
          log,
        });
        const metric = readMetric(report, data.metric);
        log(`trial ${data.sweepId}/${data.trialId}: done, ${data.metric} ${metric}`);
        return { metric, seconds: (Date.now() - started) / 1000, worker: workerName() };
      }
      const chunk = options.chunkProcessors?.[data.processor];
      if (!chunk)
        throw new UnrecoverableError(
          `job ${job.id}: this worker has no "${data.processor}" processor (it has: ${Object.keys(options.chunkProcessors ?? {}).join(', ') || 'none'})`,
        );
      const file = chunkFile(path.join(runsDir, data.taskId), data.index);
      const args = chunk.parseArgs ? chunk.parseArgs(data.args) : data.args;
      const rows = `rows ${data.start}–${data.end - 1}`;
      log(`chunk ${data.taskId}#${data.index} (${rows}): attempt ${job.attemptsMade + 1}`);
      const bytes = await chunk.process({ input: data.input, range: { index: data.index, start: data.start, end: data.end }, args, signal: abort.signal });
      const written = writeChunkOnce(file, bytes);
      log(`chunk ${data.taskId}#${data.index} (${rows}): ${written ? 'written' : 'already there'}`);
      return { written, worker: workerName() };
    } catch (e) {
      if (e instanceof UnrecoverableError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      log(`job ${job.id} failed: ${message}`);
      if (abort.signal.aborted) throw new UnrecoverableError(`cancelled (${owner})`);
      if (isPermanent(e)) throw new UnrecoverableError(message);
      throw isLatentkitError(e) ? new Error(message) : e;
    } finally {
      clearInterval(watch);
    }
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: redisOptions(options.url),
    prefix: QUEUE_PREFIX,
    concurrency: options.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 3,
    autorun: false,
  });
  let lastError = '';
  worker.on('error', (e) => {
    if (e.message !== lastError) log(`queue: ${e.message} (reconnecting)`);
    lastError = e.message;
  });
  worker.on('ready', () => {
    lastError = '';
  });
  log(`worker ${workerName()} on ${redactUrl(options.url)}, runs dir ${runsDir}`);
  const stopped = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const running = worker.run();
  await stopped;
  log('worker stopping: finishing the running job');
  await worker.close();
  client.disconnect();
  await running.catch((e: unknown) => {
    throw new LatentkitError('QUEUE_UNAVAILABLE', `worker: ${(e as Error).message}`);
  });
}
