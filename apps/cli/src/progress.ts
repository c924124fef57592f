/**
 * One progress bar with ETA on stderr for every long command (eval, encode, export, and the commands added later).
 * It draws only when asked to (`Output.progress`: stderr is a terminal or `--progress` was given, and not
 * `--quiet`); otherwise every call is a no-op, so callers never branch on it. On a stream that is not a terminal (a
 * CI log with `--progress`) cli-progress prints a plain line every few seconds instead of redrawing.
 */
import cliProgress from 'cli-progress';

export interface ProgressBar {
  /** `n` more units done. */
  tick(n?: number, stage?: string): void;
  /** Sets what is being done now (shown before the bar) without moving it. */
  stage(name: string): void;
  /** Raises the total when more work turns up (an input whose length was not known). */
  grow(total: number): void;
  /** Clears the bar; call it before printing the result. Safe to call twice. */
  stop(): void;
}

const SILENT: ProgressBar = { tick() {}, stage() {}, grow() {}, stop() {} };

/**
 * A bar over `total` units (batches, files, steps) labelled `label`. `unit` names them in the counter
 * ("12/40 batches"). With `enabled` false it is silent.
 */
export function progressBar(enabled: boolean, label: string, total: number, unit = ''): ProgressBar {
  if (!enabled) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      format: `{stage} |{bar}| {value}/{total}${unit ? ` ${unit}` : ''} | {duration_formatted} elapsed, ETA {eta_formatted}`,
      stream: process.stderr,
      etaBuffer: 20,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: process.stderr.isTTY !== true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let stopped = false;
  let current = label;
  bar.start(Math.max(total, 1), 0, { stage: current });
  return {
    tick(n = 1, stage) {
      if (stopped) return;
      done += n;
      if (stage) current = stage;
      bar.update(done, { stage: current });
    },
    stage(name) {
      if (stopped) return;
      current = name;
      bar.update(done, { stage: current });
    },
    grow(newTotal) {
      if (!stopped && newTotal > bar.getTotal()) bar.setTotal(newTotal);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** Yields `items` unchanged, ticking `bar` once per item: progress over an iterable of batches. */
export function* withProgress<T>(items: Iterable<T>, bar: ProgressBar): Generator<T> {
  for (const item of items) {
    yield item;
    bar.tick();
  }
}
