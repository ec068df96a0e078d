import { parentPort } from 'node:worker_threads';
import type { DossierDocument } from '../domain/dossier/document.js';
import { printPdf } from './print-pdf.js';

// The worker thread that typesets PDFs, so that a long paper never holds up the API's event loop.

parentPort?.on('message', async (message: { id: number; document: DossierDocument }) => {
  try {
    const pdf = await printPdf(message.document);
    parentPort?.postMessage({ id: message.id, pdf }, [pdf.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: String((error as Error)?.stack ?? error) });
  }
});
