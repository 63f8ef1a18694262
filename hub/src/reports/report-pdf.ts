import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';
import type { ReportDocument } from './report-document.js';

const require = createRequire(import.meta.url);
const FONT = require.resolve('vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf');
const BOLD = require.resolve('vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf');
/**
 * pdfkit (with fontkit) and bidi-js are loaded at the first PDF, not at start (about 30 MB
 * together: docs/benchmarks.md, "Time to chart and the idle hub").
 */
const load = () =>
  Promise.all([import('pdfkit'), import('bidi-js')]).then(([pdfkit, bidiJs]) => {
    // bidi-js is CommonJS (module.exports = the factory); its types declare an ES default export.
    bidi = (bidiJs.default as unknown as () => Bidi)();
    return { PDFDocument: pdfkit.default };
  });
let libraries: ReturnType<typeof load> | undefined;
let bidi: Bidi;
const loadLibraries = () => (libraries ??= load());

// fontkit picks a run's script from its first letter and lays Arabic-script runs out right to
// left, which also reverses Persian digits (script Arabic, bidi class EN). Every run here is one
// bidi level, so the direction is told to fontkit explicitly instead.
type Layout = (
  text: string,
  features?: unknown,
  script?: string,
  lang?: string,
  dir?: string,
) => unknown;
let direction: 'ltr' | 'rtl' = 'ltr';
function directed(doc: PDFKit.PDFDocument) {
  const font = (doc as unknown as { _font: { font: { layout: Layout; __directed?: boolean } } })
    ._font.font;
  if (font.__directed) return;
  const layout = font.layout.bind(font);
  font.layout = (text, features) =>
    layout(text, features, direction === 'rtl' ? 'arab' : 'latn', undefined, direction);
  font.__directed = true;
}

const FEATURES = ['liga', 'kern', 'rlig', 'calt'] as const;

/** Runs of one direction in visual order, left to right. */
function visualRuns(text: string, rtl: boolean): { text: string; rtl: boolean }[] {
  const { levels } = bidi.getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr');
  const runs: { start: number; end: number; level: number }[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const last = runs.at(-1);
    if (last && last.level === levels[i]) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, level: levels[i]! });
  }
  // UAX #9 L2: from the highest level down, reverse every sequence at that level or above.
  const max = Math.max(0, ...runs.map((r) => r.level));
  const minOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1), max + 1);
  for (let level = max; level >= minOdd; level -= 1) {
    for (let i = 0; i < runs.length;) {
      if (runs[i]!.level < level) {
        i += 1;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j += 1;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  // UAX #9 L4: a bracket in a right-to-left run is drawn as its mirror image.
  const mirror = (run: string) => [...run].map((c) => bidi.getMirroredCharacter(c) ?? c).join('');
  return runs.map((r) => {
    const rtlRun = r.level % 2 === 1;
    const slice = text.slice(r.start, r.end);
    return { text: rtlRun ? mirror(slice) : slice, rtl: rtlRun };
  });
}

function drawText(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  rtl: boolean,
) {
  directed(doc);
  const runs = visualRuns(text, rtl);
  const widthOf = (run: { text: string; rtl: boolean }) => {
    direction = run.rtl ? 'rtl' : 'ltr';
    return doc.widthOfString(run.text, { features: [...FEATURES] });
  };
  const total = runs.reduce((sum, r) => sum + widthOf(r), 0);
  let at = rtl ? x + width - Math.min(total, width) : x;
  for (const run of runs) {
    const w = widthOf(run);
    direction = run.rtl ? 'rtl' : 'ltr';
    doc.text(run.text, at, y, { lineBreak: false, features: [...FEATURES] });
    at += w;
  }
}

/** The width a line of text takes, its runs measured each in their own direction. */
function textWidth(doc: PDFKit.PDFDocument, text: string, rtl: boolean): number {
  directed(doc);
  return visualRuns(text, rtl).reduce((sum, run) => {
    direction = run.rtl ? 'rtl' : 'ltr';
    return sum + doc.widthOfString(run.text, { features: [...FEATURES] });
  }, 0);
}

/** True for text whose first letter is of a right-to-left script, null without letters. */
function directionOf(text: string): boolean | null {
  const first = /\p{L}/u.exec(text)?.[0];
  if (!first) return null;
  return /[\p{Script=Arabic}\p{Script=Hebrew}]/u.test(first);
}

/** A cell's text cut with an ellipsis where it would run into the next column. */
function fit(doc: PDFKit.PDFDocument, text: string, width: number, rtl: boolean): string {
  if (textWidth(doc, text, rtl) <= width) return text;
  let end = text.length - 1;
  while (end > 1 && textWidth(doc, `${text.slice(0, end)}…`, rtl) > width) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * A paragraph broken into lines that fit `width`, between words in reading order (each line is
 * then laid out on its own, right to left in Persian); a word longer than a line (an address)
 * is cut where it must.
 */
function wrap(doc: PDFKit.PDFDocument, text: string, width: number, rtl: boolean): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let current = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const tried = current ? `${current} ${word}` : word;
      if (textWidth(doc, tried, rtl) <= width) {
        current = tried;
        continue;
      }
      if (current) lines.push(current);
      current = word;
      while (textWidth(doc, current, rtl) > width && current.length > 1) {
        let cut = current.length - 1;
        while (cut > 1 && textWidth(doc, current.slice(0, cut), rtl) > width) cut--;
        lines.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    }
    lines.push(current);
  }
  return lines;
}

/** The document as an A4 PDF, Persian right to left in Vazirmatn, shaped. */
export async function documentPdf(doc: ReportDocument): Promise<Buffer> {
  const { PDFDocument } = await loadLibraries();
  const rtl = doc.lang === 'fa';
  const pdf = new PDFDocument({ size: 'A4', margin: 40, fontLayoutCache: false });
  pdf.registerFont('regular', FONT);
  pdf.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    pdf.on('end', () => resolve(Buffer.concat(chunks))),
  );
  const left = 40;
  const width = pdf.page.width - 80;
  let y = 40;
  const line = (text: string, size: number, bold = false, x = left, w = width) => {
    pdf.font(bold ? 'bold' : 'regular').fontSize(size);
    drawText(pdf, text, x, y, w, rtl);
  };
  const room = (h: number) => {
    if (y + h > pdf.page.height - 40) {
      pdf.addPage();
      y = 40;
    }
  };
  if (doc.brand) {
    // The tenant's band: its accent across the top, its logo and product name under it, on
    // the reading side (right in Persian).
    pdf.rect(0, 0, pdf.page.width, 8).fill(doc.brand.accentColor);
    pdf.fillColor('black');
    let nameX = left;
    let nameW = width;
    if (doc.brand.logo) {
      const box: [number, number] = [120, 32];
      pdf.image(doc.brand.logo.content, rtl ? left + width - box[0] : left, y, {
        fit: box,
        ...(rtl ? { align: 'right' as const } : {}),
      });
      nameW = width - box[0] - 10;
      if (!rtl) nameX = left + box[0] + 10;
    }
    pdf.font('bold').fontSize(14).fillColor(doc.brand.accentColor);
    drawText(pdf, doc.brand.productName, nameX, y + 8, nameW, rtl);
    pdf.fillColor('black');
    y += doc.brand.logo ? 42 : 26;
  }
  if (doc.from) {
    line(doc.from, 10);
    y += 18;
  }
  pdf.font('bold').fontSize(18);
  for (const text of wrap(pdf, doc.title, width, rtl)) {
    room(26);
    line(text, 18, true);
    y += 26;
  }
  y += 4;
  for (const [k, v] of doc.facts) {
    line(`${k}: ${v}`, 10);
    y += 16;
  }
  for (const message of doc.messages ?? []) {
    y += 12;
    room(40);
    line(message.mark ? `${message.heading} · ${message.mark}` : message.heading, 10, true);
    y += 16;
    pdf.font('regular').fontSize(10);
    // Each paragraph in its own direction, as `dir="auto"` on the page: a Persian reply in an
    // English document still reads right to left, with its full stop at its end.
    for (const paragraph of message.body.split(/\r?\n/)) {
      const own = directionOf(paragraph) ?? rtl;
      for (const text of wrap(pdf, paragraph, width, own)) {
        room(15);
        pdf.font('regular').fontSize(10);
        drawText(pdf, text, left, y, width, own);
        y += 15;
      }
    }
    pdf
      .moveTo(left, y + 2)
      .lineTo(left + width, y + 2)
      .lineWidth(0.5)
      .strokeColor('#cccccc')
      .stroke();
  }
  const number = new Intl.NumberFormat(rtl ? 'fa-IR' : doc.lang, { maximumFractionDigits: 3 });
  for (const table of doc.tables) {
    y += 12;
    room(60);
    line(table.title, 13, true);
    y += 22;
    const shares = table.widths ?? table.columns.map(() => 1);
    const sum = shares.reduce((a, b) => a + b, 0);
    const colW = shares.map((w) => (width * w) / sum);
    const before = (i: number) => colW.slice(0, i).reduce((a, b) => a + b, 0);
    const xOf = (i: number) => (rtl ? left + width - before(i) - colW[i]! : left + before(i));
    const row = (cells: (string | number | null)[], bold: boolean) => {
      room(18);
      cells.forEach((c, i) => {
        const text = c === null ? '—' : typeof c === 'number' ? number.format(c) : c;
        pdf.font(bold ? 'bold' : 'regular').fontSize(9.5);
        line(
          fit(pdf, text, (colW[i] ?? colW[0]!) - 8, rtl),
          9.5,
          bold,
          xOf(i) + 4,
          (colW[i] ?? colW[0]!) - 8,
        );
      });
      y += 16;
      pdf
        .moveTo(left, y - 2)
        .lineTo(left + width, y - 2)
        .lineWidth(0.5)
        .strokeColor('#cccccc')
        .stroke();
    };
    row(table.columns, true);
    for (const r of table.rows) row(r, false);
    if (table.rows.length === 0 && table.empty) row([table.empty], false);
  }
  pdf.end();
  return done;
}
