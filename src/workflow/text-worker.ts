import { parentPort } from 'node:worker_threads';
import { type TextTaskName, textTasks } from './text-tasks.js';

// The worker thread's side of bounded-work.ts: one task at a time, answered by its job id.

interface Job {
  id: number;
  task: TextTaskName;
  input: unknown;
}

parentPort?.on('message', (job: Job) => {
  try {
    const run = textTasks[job.task] as (input: unknown) => unknown;
    parentPort?.postMessage({ id: job.id, ok: true, value: run(job.input) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, ok: false, message: String(error) });
  }
});
