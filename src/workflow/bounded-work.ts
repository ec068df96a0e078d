import { Worker } from 'node:worker_threads';
import type { TextTaskInput, TextTaskName, TextTaskOutput } from './text-tasks.js';

// Expensive work on user text (diffs, anchor re-location, rendering) runs here, never on the event
// loop: in a few worker threads, each job with a time limit after which its thread is terminated
// (a pure function cannot be interrupted any other way) and a bounded queue, so one hostile request
// delays only itself and a flood of them is refused rather than queued without end.

export class WorkTimedOut extends Error {
  constructor(
    readonly task: string,
    readonly limitMs: number,
  ) {
    super(`${task} did not finish within ${limitMs} ms`);
    this.name = 'WorkTimedOut';
  }
}

export class WorkOverloaded extends Error {
  constructor(readonly task: string) {
    super(`too much ${task} work is waiting`);
    this.name = 'WorkOverloaded';
  }
}

export interface BoundedWorkOptions {
  /** Worker threads at most; the machine's cores are shared with the event loop. */
  threads?: number;
  /** How long one job may run before its thread is terminated. */
  timeoutMs?: number;
  /** Jobs that may wait for a thread; more are refused with WorkOverloaded. */
  maxWaiting?: number;
}

export interface BoundedWork {
  run<N extends TextTaskName>(
    task: N,
    input: TextTaskInput<N>,
    options?: { timeoutMs?: number },
  ): Promise<TextTaskOutput<N>>;
  /** How many jobs are running in a thread now. */
  busy(): number;
  /** Stops every thread; jobs still waiting or running are rejected. */
  close(): Promise<void>;
}

interface Job {
  id: number;
  task: string;
  input: unknown;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker | null;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

// Under tsx (npm start, the tests) this module is TypeScript and so is the worker's entry, which
// then needs the tsx loader; a compiled build loads the .js next to it as it is.
const compiled = import.meta.url.endsWith('.js');
const entry = new URL(compiled ? './text-worker.js' : './text-worker.ts', import.meta.url);
const execArgv = compiled ? [] : ['--import', 'tsx'];

export function boundedWork(options: BoundedWorkOptions = {}): BoundedWork {
  const threads: Thread[] = Array.from({ length: options.threads ?? 2 }, () => ({
    worker: null,
    job: null,
    timer: null,
  }));
  const waiting: Job[] = [];
  const maxWaiting = options.maxWaiting ?? 32;
  const defaultTimeout = options.timeoutMs ?? 5_000;
  let nextId = 1;
  let closed = false;

  const finish = (thread: Thread) => {
    if (thread.timer) clearTimeout(thread.timer);
    thread.timer = null;
    thread.job = null;
    thread.worker?.unref(); // an idle thread does not keep the process alive
    pump();
  };

  const discard = (thread: Thread, error: Error) => {
    const job = thread.job;
    const worker = thread.worker;
    thread.worker = null;
    void worker?.terminate();
    job?.reject(error);
    finish(thread);
  };

  const spawn = (thread: Thread): Worker => {
    const worker = new Worker(entry, {
      execArgv,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.on(
      'message',
      (answer: { id: number; ok: boolean; value?: unknown; message?: string }) => {
        const job = thread.job;
        if (!job || job.id !== answer.id) return;
        if (answer.ok) job.resolve(answer.value);
        else job.reject(new Error(`${job.task} failed: ${answer.message}`));
        finish(thread);
      },
    );
    const lost = (reason: unknown) => {
      if (thread.worker !== worker) return;
      discard(
        thread,
        new Error(`the ${thread.job?.task ?? 'idle'} worker stopped: ${String(reason)}`),
      );
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    return worker;
  };

  function pump() {
    for (const thread of threads) {
      if (thread.job) continue;
      const job = waiting.shift();
      if (!job) return;
      thread.worker ??= spawn(thread);
      thread.worker.ref();
      thread.job = job;
      thread.timer = setTimeout(
        () => discard(thread, new WorkTimedOut(job.task, job.timeoutMs)),
        job.timeoutMs,
      );
      thread.worker.postMessage({ id: job.id, task: job.task, input: job.input });
    }
  }

  return {
    run(task, input, runOptions = {}) {
      return new Promise((resolve, reject) => {
        if (closed) return reject(new Error('the worker pool is closed'));
        if (waiting.length >= maxWaiting) return reject(new WorkOverloaded(task));
        waiting.push({
          id: nextId++,
          task,
          input,
          timeoutMs: runOptions.timeoutMs ?? defaultTimeout,
          resolve: resolve as (value: unknown) => void,
          reject,
        });
        pump();
      });
    },
    busy: () => threads.filter((thread) => thread.job !== null).length,
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.reject(new Error('the worker pool is closed'));
      await Promise.all(
        threads.map(async (thread) => {
          const worker = thread.worker;
          thread.worker = null;
          thread.job?.reject(new Error('the worker pool is closed'));
          thread.job = null;
          if (thread.timer) clearTimeout(thread.timer);
          await worker?.terminate();
        }),
      );
    },
  };
}
