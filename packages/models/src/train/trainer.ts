/**
 * The trainer shared by every model: Adam or SGD, gradient clipping, learning-rate decay on plateau, early stopping,
 * atomic checkpoints that `resumeTraining` continues exactly (weights, optimizer slots, step, RNG, schedule, data
 * position), checkpoints by steps, epochs and time, a JSON-lines log, a progress bar, SIGINT/SIGTERM handling and a
 * stop on NaN/Inf.
 *
 * Exact resume rests on two facts: each epoch's batch order is a pure function of (seed, epoch), so the data
 * position is (epoch, offset); and every random draw in a step comes from one Rng whose state is checkpointed.
 */
import { LatentkitError, Rng, type RngState, cleanStaleTemps, loadCheckpoint, readCheckpointConfig, saveCheckpoint, tf } from '@latentkit/core';
import type { EpochSource } from '@latentkit/data';
import { createModel } from '../registry.js';
import { BEST_WEIGHT_PREFIX, TRAIN_CHECKPOINT_FORMAT, assignModelWeights, modelEntryCheck, modelWeights } from '../save.js';
import type { Batch, Model, ModelConfig } from '../types.js';
import { type TrainerConfig, type TrainerConfigInput, resolveTrainerConfig } from './config.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { type LogRecord, RunLog } from './log.js';
import { createOptimizer, optimizerState, restoreOptimizerState, setLearningRate } from './optimizer.js';
import { Progress } from './progress.js';
import { type StepMetrics, trainStep } from './step.js';

/** Training batches in an order that depends only on the seed and the epoch: the data package's `EpochSource`. */
export type TrainData<B extends Batch = Batch> = EpochSource<B>;

export interface TrainOptions<B extends Batch = Batch> {
  readonly train: TrainData<B>;
  /** Validation batches, read whole at each validation. */
  readonly valid?: () => Iterable<B>;
  /** Checkpoint folder, replaced atomically at each checkpoint. */
  readonly checkpointDir?: string;
  /** JSON-lines log file, appended to. */
  readonly logFile?: string;
  readonly onLog?: (record: LogRecord) => void;
  /** Progress bar on stderr. Default: when stderr is a terminal. */
  readonly progress?: boolean;
  /**
   * Catch SIGINT (Ctrl-C) and SIGTERM (a `kill`, a job scheduler): checkpoint, then return with
   * `stopped: 'interrupted'` and `signal` set. A second signal exits at once (130 / 143). Default true.
   */
  readonly handleSigint?: boolean;
  /** Aborting it stops the run the same way. */
  readonly signal?: AbortSignal;
  /** Milliseconds of a monotonic-enough clock, for `checkpointSeconds`. Default `performance.now`; tests inject one. */
  readonly clock?: () => number;
}

/** The signals the trainer stops on, and the exit code a shell gives a process killed by each. */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** Where a run stands: plain JSON, stored in each checkpoint. */
export interface TrainState {
  /** Optimizer steps taken. */
  readonly step: number;
  /** Current epoch (0-based) and batches of it already taken. */
  readonly epoch: number;
  readonly offset: number;
  readonly rng: RngState;
  readonly learningRate: number;
  /** Best validation loss so far, and validations in a row without beating it. */
  readonly bestValid: number | null;
  readonly badValidations: number;
  /** The step of the best validation (absent in checkpoints written before `restoreBest` existed). */
  readonly bestStep?: number;
}

export type StopReason = 'completed' | 'maxSteps' | 'earlyStopping' | 'interrupted';

export interface TrainResult<M extends Model = Model> {
  readonly model: M;
  readonly state: TrainState;
  readonly stopped: StopReason;
  readonly lastCheckpoint?: string;
  readonly lastValidation?: Evaluation;
  /** With `stopped: 'interrupted'` by a signal: which one (the CLI exits with `STOP_SIGNALS[signal]`). */
  readonly signal?: StopSignal;
  /** With `restoreBest`: the step and validation loss of the weights the model was given back. */
  readonly restoredBest?: { readonly step: number; readonly loss: number };
}

interface CheckpointConfig {
  readonly format: typeof TRAIN_CHECKPOINT_FORMAT;
  readonly model: ModelConfig;
  readonly trainer: TrainerConfig;
  readonly state: TrainState;
}

/** Trains `model` in place from its current weights. */
export async function train<M extends Model, B extends Batch>(model: M, config: TrainerConfigInput, options: TrainOptions<B>): Promise<TrainResult<M>> {
  const resolved = resolveTrainerConfig(config);
  const state: TrainState = {
    step: 0,
    epoch: 0,
    offset: 0,
    rng: Rng.fromSeed(`latentkit-train:${resolved.seed}`).state(),
    learningRate: resolved.optimizer.learningRate,
    bestValid: null,
    badValidations: 0,
  };
  const optimizer = createOptimizer(resolved.optimizer);
  try {
    return await new Run(model, resolved, optimizer, state, options).loop();
  } finally {
    optimizer.dispose();
  }
}

/**
 * Continues the run saved in `checkpointDir` exactly where it stopped. `overrides` may extend it (more `epochs`, a
 * higher `maxSteps`); the rest of the trainer config is the saved one.
 */
export async function resumeTraining<B extends Batch>(
  checkpointDir: string,
  options: TrainOptions<B>,
  overrides: Partial<Pick<TrainerConfig, 'epochs' | 'maxSteps' | 'checkpointEvery' | 'checkpointSeconds' | 'validateEvery' | 'earlyStopping'>> & {
    /** Continue at this learning rate instead of the checkpoint's (recovering from a NaN, say); logged with the resume. */
    readonly learningRate?: number;
  } = {},
): Promise<TrainResult> {
  const config = readCheckpointConfig<CheckpointConfig>(checkpointDir);
  if (config?.format !== TRAIN_CHECKPOINT_FORMAT) {
    throw new LatentkitError(
      'CHECKPOINT_ERROR',
      `${checkpointDir}: not a training checkpoint (format ${JSON.stringify(config?.format)}, expected ${TRAIN_CHECKPOINT_FORMAT})`,
      {
        file: checkpointDir,
      },
    );
  }
  const { learningRate, ...fields } = overrides;
  const trainer = resolveTrainerConfig(
    learningRate === undefined ? { ...config.trainer, ...fields } : { ...config.trainer, ...fields, optimizer: { ...config.trainer.optimizer, learningRate } },
  );
  const state = learningRate === undefined ? config.state : { ...config.state, learningRate };
  const model = createModel(config.model);
  let weights: Readonly<Record<string, tf.Tensor>> = {};
  try {
    // Every entry is checked against the model's own variables (and the optimizer's slots) before a byte is read.
    weights = loadCheckpoint(checkpointDir, { checkEntry: modelEntryCheck(model, { optimizerSlots: true }) }).weights;
    assignModelWeights(model, weights, checkpointDir);
    const optimizer = createOptimizer(trainer.optimizer);
    try {
      await restoreOptimizerState(optimizer, weights);
      setLearningRate(optimizer, state.learningRate);
      const best = bestCopy(weights);
      return await new Run(model, trainer, optimizer, state, options, { from: checkpointDir, learningRateChanged: learningRate !== undefined, best }).loop();
    } finally {
      optimizer.dispose();
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(weights));
  }
}

/** The best-validation weights kept in a training checkpoint, under their model names (new tensors), if any. */
function bestCopy(weights: Readonly<Record<string, tf.Tensor>>): Record<string, tf.Tensor> | undefined {
  const names = Object.keys(weights).filter((n) => n.startsWith(BEST_WEIGHT_PREFIX));
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n.slice(BEST_WEIGHT_PREFIX.length), tf.clone(weights[n] as tf.Tensor)]));
}

class Run<M extends Model, B extends Batch> {
  private state: TrainState;
  private readonly rng: Rng;
  private readonly log: RunLog;
  private readonly progress: Progress;
  private lastCheckpoint?: string;
  private checkpointStep?: number;
  private lastValidation?: Evaluation;
  private stopRequested = false;
  private stopSignal?: StopSignal;
  private readonly clock: () => number;
  private lastCheckpointTime: number;
  /** With `restoreBest`: a copy of the weights at the best validation so far. */
  private best?: Record<string, tf.Tensor>;

  constructor(
    private readonly model: M,
    private readonly config: TrainerConfig,
    private readonly optimizer: tf.Optimizer,
    state: TrainState,
    private readonly options: TrainOptions<B>,
    resumed?: { readonly from: string; readonly learningRateChanged: boolean; readonly best: Record<string, tf.Tensor> | undefined },
  ) {
    if (config.restoreBest && !options.valid) {
      if (resumed?.best) tf.dispose(Object.values(resumed.best));
      throw new LatentkitError('INVALID_ARGUMENT', 'trainer.restoreBest needs validation data (options.valid) to know which weights were best', {});
    }
    this.state = state;
    this.best = resumed?.best;
    this.rng = Rng.fromState(state.rng);
    this.log = new RunLog(options.logFile, options.onLog);
    this.progress = new Progress(options.progress ?? process.stderr.isTTY === true);
    this.clock = options.clock ?? (() => performance.now());
    this.lastCheckpointTime = this.clock();
    // A writer killed inside a checkpoint left its temporary folder next to the checkpoint: remove it now.
    if (options.checkpointDir) cleanStaleTemps(options.checkpointDir);
    if (resumed) {
      this.lastCheckpoint = resumed.from;
      this.checkpointStep = state.step;
      const repaired = this.log.repairedBytes > 0 ? { repairedLogBytes: this.log.repairedBytes } : {};
      const changed = resumed.learningRateChanged ? { learningRate: state.learningRate } : {};
      this.log.write('resume', { from: resumed.from, step: state.step, epoch: state.epoch, offset: state.offset, ...changed, ...repaired });
    }
  }

  async loop(): Promise<TrainResult<M>> {
    const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((signal) => {
      const handler = () => {
        if (this.stopRequested) process.exit(STOP_SIGNALS[signal]);
        this.stopRequested = true;
        this.stopSignal = signal;
      };
      return [signal, handler] as const;
    });
    const onAbort = () => {
      this.stopRequested = true;
    };
    const handleSignals = this.options.handleSigint ?? true;
    if (handleSignals) for (const [signal, handler] of handlers) process.on(signal, handler);
    this.options.signal?.addEventListener('abort', onAbort);
    try {
      return await this.epochs();
    } finally {
      if (this.best) tf.dispose(Object.values(this.best));
      this.progress.stop();
      if (handleSignals) for (const [signal, handler] of handlers) process.off(signal, handler);
      this.options.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async epochs(): Promise<TrainResult<M>> {
    const { train } = this.options;
    const { maxSteps, checkpointEvery, checkpointSeconds, validateEvery } = this.config;
    if (maxSteps !== null && this.state.step >= maxSteps) return this.finish('maxSteps');
    while (this.state.epoch < this.config.epochs) {
      this.progress.startEpoch(this.state.epoch, train.batchesPerEpoch, this.state.offset);
      for (const batch of train.batches(this.state.epoch, this.state.offset)) {
        if (this.stopRequested) return this.finish('interrupted');
        const metrics = trainStep(this.model, this.optimizer, batch, { mode: 'train', rng: this.rng, step: this.state.step }, this.config.clipNorm);
        if (!metrics.finite) this.fail(metrics);
        this.state = { ...this.state, step: this.state.step + 1, offset: this.state.offset + 1, rng: this.rng.state() };
        this.logStep(metrics);
        if (checkpointEvery !== null && this.state.step % checkpointEvery === 0) await this.checkpoint('every');
        else if (checkpointSeconds !== null && this.clock() - this.lastCheckpointTime >= checkpointSeconds * 1000) await this.checkpoint('time');
        if (validateEvery !== null && this.state.step % validateEvery === 0 && this.validate()) return this.finish('earlyStopping');
        if (maxSteps !== null && this.state.step >= maxSteps) return this.finish('maxSteps');
        // Lets SIGINT and abort events in between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.state = { ...this.state, epoch: this.state.epoch + 1, offset: 0 };
      this.log.write('epoch', { epoch: this.state.epoch - 1, step: this.state.step });
      const stop = validateEvery === null && this.validate();
      await this.checkpoint('epoch');
      if (stop) return this.finish('earlyStopping');
    }
    return this.finish('completed');
  }

  private logStep(m: StepMetrics): void {
    const lr = this.state.learningRate;
    this.log.write('step', {
      step: this.state.step,
      epoch: this.state.epoch,
      batch: this.state.offset,
      loss: m.loss,
      reconstruction: m.reconstruction,
      ...m.terms,
      gradNorm: m.gradNorm,
      learningRate: lr,
      units: m.units,
      examples: m.examples,
    });
    this.progress.update(this.state.offset, { step: this.state.step, loss: m.loss, lr });
  }

  private fail(m: StepMetrics): never {
    const what = Number.isFinite(m.loss) ? `the gradient norm is ${m.gradNorm}` : `the loss is ${m.loss}`;
    const where = `step ${this.state.step + 1} (epoch ${this.state.epoch}, batch ${this.state.offset + 1})`;
    const last = this.lastCheckpoint ? `last good checkpoint: ${this.lastCheckpoint} (step ${this.checkpointStep})` : 'no checkpoint was written yet';
    const message = `training stopped: ${what} at ${where}; ${last}`;
    this.log.write('error', { step: this.state.step + 1, loss: m.loss, gradNorm: m.gradNorm, message });
    throw new LatentkitError('NUMERIC_ERROR', message, { step: this.state.step + 1, lastCheckpoint: this.lastCheckpoint });
  }

  /** Validates, steps the plateau schedule; true when early stopping says stop. */
  private validate(): boolean {
    const valid = this.options.valid;
    if (!valid) return false;
    const result = evaluate(this.model, valid());
    this.lastValidation = result;
    const improved = this.state.bestValid === null || result.loss < this.state.bestValid;
    let learningRate = this.state.learningRate;
    if (!improved && this.config.plateau) {
      learningRate = Math.max(this.config.plateau.minLearningRate, learningRate / this.config.plateau.factor);
      setLearningRate(this.optimizer, learningRate);
    }
    this.state = {
      ...this.state,
      learningRate,
      bestValid: improved ? result.loss : this.state.bestValid,
      badValidations: improved ? 0 : this.state.badValidations + 1,
      ...(improved ? { bestStep: this.state.step } : {}),
    };
    if (improved && this.config.restoreBest) this.keepBest();
    this.log.write('valid', { step: this.state.step, epoch: this.state.epoch, ...result, improved, learningRate });
    const patience = this.config.earlyStopping?.patience;
    return patience !== undefined && this.state.badValidations >= patience;
  }

  private keepBest(): void {
    if (this.best) tf.dispose(Object.values(this.best));
    this.best = Object.fromEntries(Object.entries(modelWeights(this.model)).map(([name, v]) => [name, tf.clone(v)]));
  }

  /** Gives the model the best-validation weights back, after the last ones went into the checkpoint. */
  private restoreBest(): { step: number; loss: number } | undefined {
    const { bestStep, bestValid } = this.state;
    if (!this.best || bestValid === null || bestStep === undefined) return undefined;
    for (const [name, variable] of Object.entries(modelWeights(this.model))) variable.assign(this.best[name] as tf.Tensor);
    this.log.write('restore', { step: this.state.step, bestStep, loss: bestValid });
    return { step: bestStep, loss: bestValid };
  }

  private async checkpoint(why: 'every' | 'time' | 'epoch' | 'stop'): Promise<void> {
    const dir = this.options.checkpointDir;
    if (!dir) return;
    const slots = await optimizerState(this.optimizer);
    try {
      const config: CheckpointConfig = { format: TRAIN_CHECKPOINT_FORMAT, model: this.model.config, trainer: this.config, state: this.state };
      const best = Object.fromEntries(Object.entries(this.best ?? {}).map(([name, t]) => [`${BEST_WEIGHT_PREFIX}${name}`, t]));
      await saveCheckpoint(dir, { config, weights: { ...modelWeights(this.model), ...slots, ...best } });
    } finally {
      // The slots are live variables, except a fresh scalar for the step count: dispose only that.
      tf.dispose(Object.values(slots).filter((t) => !(t instanceof tf.Variable)));
    }
    this.lastCheckpoint = dir;
    this.checkpointStep = this.state.step;
    this.lastCheckpointTime = this.clock();
    this.log.write('checkpoint', { step: this.state.step, epoch: this.state.epoch, offset: this.state.offset, dir, why });
  }

  private async finish(stopped: StopReason): Promise<TrainResult<M>> {
    if (this.lastCheckpoint === undefined || this.checkpointStep !== this.state.step) await this.checkpoint('stop');
    const signal = stopped === 'interrupted' ? this.stopSignal : undefined;
    this.log.write('stop', { step: this.state.step, epoch: this.state.epoch, reason: stopped, ...(signal && { signal }) });
    // An interrupted run keeps its last weights: it is to be resumed, not used.
    const restoredBest = stopped === 'interrupted' ? undefined : this.restoreBest();
    return {
      model: this.model,
      state: this.state,
      stopped,
      ...(this.lastCheckpoint !== undefined && { lastCheckpoint: this.lastCheckpoint }),
      ...(this.lastValidation !== undefined && { lastValidation: this.lastValidation }),
      ...(signal !== undefined && { signal }),
      ...(restoredBest && { restoredBest }),
    };
  }
}
