/**
 * Runs `task` now and then every `intervalMs` (timers unref'd: they never keep the process up).
 * A failing task is the task's own business: it must catch. Returns the stopper, which waits
 * for a run in flight, so no query runs after the pool closes.
 */
export function startPeriodic(task: () => Promise<unknown>, intervalMs: number): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = task();
  };
  const first = setTimeout(run, 0).unref();
  const timer = setInterval(run, intervalMs).unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await running;
  };
}
