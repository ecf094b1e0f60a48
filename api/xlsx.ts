/**
 * Excel exports (GET /v1/projects/export.xlsx, GET /v1/funds/export.xlsx): every row a list's
 * filters match, read from the database in keyset batches and written with exceljs's streaming
 * WorkbookWriter to the response as it goes, so the file is never whole in memory.
 *
 * Cells: Chinese headers; amounts in 元 as numbers (fen / 100, exact to the fen for ≤ 10^12 fen)
 * with the number format `#,##0.00`; dates and instants as Asia/Shanghai text (domain/labels/language.ts).
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { contentDisposition } from './routes/documents.ts';
import { problemContent } from './router.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Rows per database query while exporting. */
export const EXPORT_BATCH = 1_000;
const YUAN_FORMAT = '#,##0.00';

/** A cell: text, a number, or an amount of fen shown in 元 (a string of digits past 2^53 − 1 fen: a total). */
export type Cell = string | number | null | { fen: number | string };

export interface Column<T> {
  header: string;
  width?: number;
  value: (row: T) => Cell;
}

/** Fen → 元 as a number; a total beyond 2^53 − 1 fen stays exact as the text of its decimal digits. */
function yuanCell(fen: number | string): number | string {
  if (typeof fen === 'number') return fen / 100;
  const digits = BigInt(fen);
  const negative = digits < 0n;
  const abs = negative ? -digits : digits;
  return `${negative ? '-' : ''}${(abs / 100n).toString()}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const yes = (value: boolean) => (value ? '是' : '否');
export { yes as yesNo };

export interface XlsxExport<T> {
  fileName: string;
  sheetName: string;
  columns: Column<T>[];
  /** The first batch, read before answering so a database failure is still a problem response. */
  first: T[];
  /** The batch after the given row (keyset); fewer than EXPORT_BATCH rows ends the export. */
  next: (last: T) => Promise<T[]>;
  /** Rows after the data (a totals row), read once the data is written. */
  footer?: () => Promise<Cell[][]>;
  /** Told when writing fails after the answer began (the connection is then cut). */
  onError?: (err: unknown) => void;
}

/** The workbook as a web ReadableStream, produced batch by batch as the client reads it. */
export function xlsxStream<T>(spec: XlsxExport<T>): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c, i) => ({
    header: c.header,
    key: String(i),
    width: c.width ?? Math.max(10, c.header.length * 2 + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();

  const write = (cells: Cell[]) => {
    const row = sheet.addRow(
      cells.map((cell) => (cell !== null && typeof cell === 'object' ? yuanCell(cell.fen) : cell)),
    );
    cells.forEach((cell, i) => {
      if (cell !== null && typeof cell === 'object') row.getCell(i + 1).numFmt = YUAN_FORMAT;
    });
    row.commit();
  };
  // Backpressure: after each batch, wait until the client has taken what is queued.
  const drained = () =>
    new Promise<void>((resolve) => {
      if (!out.writableNeedDrain || out.destroyed) return resolve();
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
    });

  const produce = async () => {
    let rows = spec.first;
    for (;;) {
      for (const r of rows) write(spec.columns.map((c) => c.value(r)));
      await new Promise((resolve) => setImmediate(resolve));
      await drained();
      if (out.destroyed) return; // the client went away
      if (rows.length < EXPORT_BATCH) break;
      rows = await spec.next(rows[rows.length - 1]!);
    }
    for (const cells of (await spec.footer?.()) ?? []) write(cells);
    sheet.commit();
    await workbook.commit();
  };
  produce().catch((err: unknown) => {
    spec.onError?.(err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });

  const chunks = out[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      } catch (err) {
        controller.error(err);
      }
    },
    cancel() {
      out.destroy();
    },
  });
}

export const xlsxHeaders = (fileName: string) => ({
  'Content-Type': XLSX_TYPE,
  'Content-Disposition': contentDisposition(fileName),
  'Cache-Control': 'private, no-store',
});

/** The OpenAPI responses of an export. */
export const xlsxResponses = (forbidden?: string) => ({
  200: {
    description: 'The workbook (streamed)',
    content: { [XLSX_TYPE]: { schema: { type: 'string' as const, format: 'binary' } } },
  },
  400: { description: 'Invalid filter', content: problemContent },
  401: { description: 'No or unknown key', content: problemContent },
  ...(forbidden ? { 403: { description: forbidden, content: problemContent } } : {}),
});

/** One sheet of a small workbook: its Chinese headers and rows of cells. */
export interface XlsxSheet {
  name: string;
  headers: Array<{ header: string; width?: number }>;
  rows: Cell[][];
}

/**
 * A small workbook of several sheets (aggregates: a few hundred rows in all), written whole: the
 * same cells as the streamed exports (amounts in 元 with `#,##0.00`, headers bold, first row frozen).
 */
export async function xlsxWorkbook(sheets: XlsxSheet[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = spec.headers.map((h, i) => ({
      header: h.header,
      key: String(i),
      width: h.width ?? Math.max(10, h.header.length * 2 + 2),
    }));
    sheet.getRow(1).font = { bold: true };
    for (const cells of spec.rows) {
      const row = sheet.addRow(
        cells.map((cell) => (cell !== null && typeof cell === 'object' ? yuanCell(cell.fen) : cell)),
      );
      cells.forEach((cell, i) => {
        if (cell !== null && typeof cell === 'object') row.getCell(i + 1).numFmt = YUAN_FORMAT;
      });
    }
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
