import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// A PDF read back as text, page by page, the way a reader's viewer extracts it: items on one line
// joined by spaces, so a test can look for the words the paper must carry.

export async function pdfPages(data: Uint8Array): Promise<string[]> {
  const task = getDocument({
    data: new Uint8Array(data),
    useSystemFonts: false,
  });
  const pdf = await task.promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(
        content.items
          .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
          .join('')
          .replace(/[ \t]+/g, ' '),
      );
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** The whole text with line breaks folded, for phrases that a line break may split. */
export const flat = (pages: readonly string[]) => pages.join('\n').replace(/\s+/g, ' ');
