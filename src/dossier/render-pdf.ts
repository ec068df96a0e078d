import { Worker } from 'node:worker_threads';
import type { DossierDocument } from '../domain/dossier/document.js';

// Renders PDFs in one worker thread, one paper at a time (pdfmake is CPU-heavy and the machine is
// shared): requests queue, each is bounded by a timeout after which the worker is replaced.

export interface PdfRenderer {
  render(document: DossierDocument): Promise<Uint8Array>;
  close(): Promise<void>;
}

export class PdfTimeout extends Error {
  constructor(ms: number) {
    super(`the PDF was not ready within ${ms} ms`);
    this.name = 'PdfTimeout';
  }
}

// Under tsx the worker is TypeScript and needs tsx's loader too; compiled, it is plain JavaScript.
const here = import.meta.url;
const workerUrl = new URL(here.endsWith('.ts') ? './pdf-worker.ts' : './pdf-worker.js', here);
const execArgv = here.endsWith('.ts') ? ['--import', 'tsx'] : [];

interface Pending {
  resolve: (pdf: Uint8Array) => void;
  reject: (error: Error) => void;
}

export function createPdfRenderer(options: { timeoutMs?: number } = {}): PdfRenderer {
  const timeoutMs = options.timeoutMs ?? 60_000;
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  let queue: Promise<unknown> = Promise.resolve();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const start = () => {
    const w = new Worker(workerUrl, { execArgv });
    w.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (!p) return;
      if (m.pdf) p.resolve(m.pdf);
      else p.reject(new Error(`the PDF could not be typeset: ${m.error}`));
    });
    w.on('error', (error) => {
      worker = null;
      failAll(error);
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('the PDF worker stopped'));
    });
    return w;
  };

  const renderOne = (document: DossierDocument) =>
    new Promise<Uint8Array>((resolve, reject) => {
      worker ??= start();
      const w = worker;
      w.ref();
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new PdfTimeout(timeoutMs));
        worker = null;
        void w.terminate();
      }, timeoutMs);
      pending.set(id, {
        resolve: (pdf) => {
          clearTimeout(timer);
          resolve(pdf);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      w.postMessage({ id, document });
    });

  return {
    render(document) {
      const result = queue.then(() => renderOne(document));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
