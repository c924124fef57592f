/**
 * A CLI process started by a sweep worker stops when that worker dies (even by SIGKILL, which it cannot forward):
 * otherwise the orphan would keep training a run folder that another worker is about to resume. The worker sets
 * LATENTKIT_PARENT_PID; when the parent is gone this process sends itself SIGTERM, so training checkpoints first.
 */
export function exitWithParent(env: NodeJS.ProcessEnv = process.env): void {
  const parent = Number(env.LATENTKIT_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
    // Whatever does not stop on SIGTERM (no trainer listening) ends here.
    setTimeout(() => process.exit(143), 15_000).unref();
  }, 500);
  timer.unref();
}
