import type { Response } from 'express';

/**
 * CSV as RFC 4180 has it (comma, CRLF, fields quoted when they hold a comma, quote or line break,
 * quotes doubled), with a UTF-8 byte order mark so spreadsheet programs read å, ä and ö right.
 * A text cell that starts like a formula (= + - @) gets a leading apostrophe so a spreadsheet shows
 * it instead of running it; numbers are written as they are.
 */
export type Cell = string | number | boolean | null | undefined;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/** Nested objects become dotted column names: {lostMs: {median: 1}} → "lostMs.median". */
export function flatten(value: unknown, prefix = '', into: Record<string, Cell> = {}): Record<string, Cell> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  } else if (Array.isArray(value)) into[prefix] = value.join(' ');
  else into[prefix] = value as Cell;
  return into;
}

/** A table from objects: the columns are every flattened key, in the order first seen. */
export function tableCsv(rows: readonly object[], leading: Record<string, Cell> = {}): string {
  const flat = rows.map((r) => ({ ...leading, ...flatten(r) }));
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of flat) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  return csvLine(columns) + flat.map((r) => csvLine(columns.map((c) => r[c]))).join('');
}

/** One object as two columns, metric and value: a summary reads down the page. */
export function keyValueCsv(value: object): string {
  return csvLine(['metric', 'value']) + Object.entries(flatten(value)).map(([k, v]) => csvLine([k, v])).join('');
}

export const BOM = '\uFEFF';

export function startCsv(res: Response, filename: string): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.write(BOM);
}

export function sendCsv(res: Response, filename: string, body: string): void {
  startCsv(res, filename);
  res.end(body);
}
