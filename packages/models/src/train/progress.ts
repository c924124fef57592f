/**
 * A progress bar with ETA on stderr (cli-progress), one bar per epoch; silent when turned off. Asked for on a stream
 * that is not a terminal (a CI log), it prints a plain line every few seconds instead of redrawing.
 */
import cliProgress from 'cli-progress';

export class Progress {
  private readonly bar?: cliProgress.SingleBar;
  private started = false;

  constructor(enabled: boolean) {
    if (!enabled) return;
    this.bar = new cliProgress.SingleBar(
      {
        format: 'epoch {epoch} |{bar}| {value}/{total} | step {step} | loss {loss} | lr {lr} | {duration_formatted} ETA {eta_formatted}',
        stream: process.stderr,
        etaBuffer: 50,
        hideCursor: true,
        noTTYOutput: process.stderr.isTTY !== true,
        notTTYSchedule: 5000,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  startEpoch(epoch: number, total: number, done: number): void {
    this.stop();
    this.bar?.start(total, done, { epoch, step: '-', loss: '-', lr: '-' });
    this.started = this.bar !== undefined;
  }

  update(done: number, fields: { step: number; loss: number; lr: number }): void {
    if (!this.started) return;
    this.bar?.update(done, { step: fields.step, loss: fields.loss.toFixed(3), lr: fields.lr.toExponential(2) });
  }

  stop(): void {
    if (this.started) this.bar?.stop();
    this.started = false;
  }
}
