/**
 * One progress bar with ETA on stderr for every long command (eval, encode, export, and the commands added later).
 * It draws only when asked to (`Output.progress`: stderr is a terminal or `--progress` was given, and not
 * `--quiet`); otherwise every call is a no-op, so callers never branch on it. On a stream that is not a terminal (a
 * CI log with `--progress`) cli-progress prints a plain line every few seconds instead of redrawing.
 */
import readline from 'node:readline';
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

/** The bar on screen now, if any: a log line written meanwhile goes above it (see `writeLine`). */
let onScreen: cliProgress.SingleBar | undefined;

/** Clears the bar on screen, if any: before an error line (main.ts) or when the process exits mid-bar. */
export function stopOnScreen(): void {
  onScreen?.stop();
}

/**
 * A line on stderr that does not tear a bar being drawn on a terminal: the bar's line is cleared, the text written,
 * and the bar drawn again below it. Every log and warning goes through here (Output.log/warn).
 */
export function writeLine(line: string): void {
  if (onScreen === undefined || process.stderr.isTTY !== true) {
    process.stderr.write(`${line}\n`);
    return;
  }
  readline.cursorTo(process.stderr, 0);
  readline.clearLine(process.stderr, 0);
  process.stderr.write(`${line}\n`);
  onScreen.render();
}

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
      // Redrawn on every frame, so a log line written above it (writeLine) gets the bar back at once.
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let done = 0;
  let stopped = false;
  let current = label;
  bar.start(Math.max(total, 1), 0, { stage: current });
  // A process that exits mid-bar (an error, process.exit) gets its cursor back.
  if (onScreen === undefined) process.once('exit', stopOnScreen);
  onScreen = bar;
  return {
    tick(n = 1, stage) {
      if (stopped) return;
      done += n;
      if (stage) current = stage;
      // Work whose size was not known (a new file's batches) pushes the total along instead of overflowing the bar.
      if (done > bar.getTotal()) bar.setTotal(done);
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
      if (onScreen === bar) {
        onScreen = undefined;
        process.removeListener('exit', stopOnScreen);
      }
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
