// Prints the text of each page of a PDF as JSON (["page 1 text", …]), read with Mozilla's PDF.js.
// A separate process: PDF.js is an ES module, which the tests' CommonJS jest cannot import.
import fs from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const data = new Uint8Array(fs.readFileSync(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: true, verbosity: 0 }).promise;
const pages = [];
for (let i = 1; i <= pdf.numPages; i++) {
  const page = await pdf.getPage(i);
  const content = await page.getTextContent();
  const { width, height } = page.getViewport({ scale: 1 });
  pages.push({ text: content.items.map((item) => ('str' in item ? item.str : '')).join(' '), width, height });
}
process.stdout.write(JSON.stringify(pages));
