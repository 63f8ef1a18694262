import type ExcelJS from 'exceljs';
import { CSV_BOM, csvRecord } from '../http/csv.js';
import type { ReportDocument } from './report-document.js';

export { CSV_BOM } from '../http/csv.js';

/** The export formats of every report. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * The document as RFC 4180 CSV: the title and facts, then each table under its title, a blank
 * record between them. Numbers stay plain numbers (a dot for decimals) so spreadsheets sum them.
 */
export function documentCsv(doc: ReportDocument): string {
  const records = [csvRecord([doc.title]), ...doc.facts.map((f) => csvRecord(f))];
  for (const table of doc.tables) {
    records.push('\r\n', csvRecord([table.title]), csvRecord(table.columns));
    for (const row of table.rows) records.push(csvRecord(row));
    if (table.rows.length === 0 && table.empty) records.push(csvRecord([table.empty]));
  }
  return CSV_BOM + records.join('');
}

/** The document as an Excel workbook: a sheet of facts, then one sheet a table. */
export async function documentXlsx(doc: ReportDocument): Promise<Buffer> {
  // Loaded at the first export, not at start (about 28 MB: docs/benchmarks.md, "Time to chart
  // and the idle hub").
  const { default: Excel } = await import('exceljs');
  const book = new Excel.Workbook();
  book.creator = 'Branchwatch';
  const rtl = doc.lang === 'fa';
  const sheet = (name: string) =>
    book.addWorksheet(sheetName(name, book), { views: [{ rightToLeft: rtl }] });
  const summary = sheet(doc.title);
  summary.addRow([doc.title]).font = { bold: true, size: 14 };
  for (const fact of doc.facts) summary.addRow(fact);
  summary.getColumn(1).width = 24;
  summary.getColumn(2).width = 48;
  for (const table of doc.tables) {
    const ws = sheet(table.title);
    ws.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) ws.addRow(row);
    if (table.rows.length === 0 && table.empty) ws.addRow([table.empty]);
    table.columns.forEach((c, i) => {
      ws.getColumn(i + 1).width = Math.max(12, Math.min(40, c.length + 4));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Excel's sheet names: at most 31 characters, none of `[]:*?/\`, unique in the book. */
function sheetName(title: string, book: ExcelJS.Workbook): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28);
  let name = base;
  for (let n = 2; book.getWorksheet(name); n += 1) name = `${base} ${n}`;
  return name;
}
