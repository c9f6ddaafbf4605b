/**
 * One CSV cell, for every CSV the server writes. A cell starting with `=`, `+`, `-`, `@` (or a tab or
 * carriage return before one) is run as a formula by spreadsheet programs, so a note typed by anyone
 * could execute in the office that opens the export: such a cell gets a leading apostrophe, which
 * spreadsheets show as text and hide.
 */
export function csvCell(value: string | number | null | undefined): string {
  let v = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** A CSV line from cells. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return values.map(csvCell).join(',');
}
