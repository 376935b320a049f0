/**
 * Cleanup that must happen however the run ends (normal exit, an error, Ctrl-C): a database cluster to stop,
 * temporary folders to remove. Tasks are synchronous so they also run from the exit handler.
 */
const tasks: { name: string; task: () => void }[] = [];
let installed = false;

function runAll(): void {
  while (tasks.length > 0) {
    const { name, task } = tasks.pop()!;
    try {
      task();
    } catch (error) {
      console.error(`cleanup (${name}) failed: ${(error as Error).message}`);
    }
  }
}

/** Registers a task; the returned function runs it now (once) and unregisters it. */
export function onCleanup(name: string, task: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => {
        console.error(`\n${signal}: cleaning up`);
        runAll();
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
      });
    }
  }
  const entry = { name, task };
  tasks.push(entry);
  return () => {
    const at = tasks.indexOf(entry);
    if (at < 0) return;
    tasks.splice(at, 1);
    task();
  };
}
