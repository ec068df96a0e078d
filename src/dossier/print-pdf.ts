import { createRequire } from 'node:module';
import type { DossierDocument } from '../domain/dossier/document.js';
import { pdfDefinition } from './pdf-definition.js';

// pdfmake on the server, with nothing outside npm: its bundled Roboto, and no access to URLs or
// local files beyond those fonts (the document has no images). CPU-heavy: run it in the worker.

const require = createRequire(import.meta.url);
const pdfmake = require('pdfmake') as typeof import('pdfmake');
const roboto = require('pdfmake/fonts/Roboto.js') as Parameters<typeof pdfmake.setFonts>[0];
const fontFiles = new Set(Object.values(roboto.Roboto ?? {}).map(String));
pdfmake.setFonts(roboto);
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => fontFiles.has(path));

export async function printPdf(doc: DossierDocument): Promise<Uint8Array> {
  const buffer = await pdfmake.createPdf(pdfDefinition(doc)).getBuffer();
  return new Uint8Array(buffer);
}
