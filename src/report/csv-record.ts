// One CSV record as text, byte for byte what csv-stringify writes with the options every fleetstat CSV
// uses (its defaults: `,` between cells, `"` quotes doubled inside, `\n` after each record). The
// streamed CSVs (csv-stream.ts) use this instead of csv-stringify's stream: at 10k sockets per host its
// Transform, the per-cell option lookups and the objects it builds per record cost four times what the
// JSON writer costs for the same host, most of it in garbage collection.
// test/report/csv-record.test.ts holds both writers to the same bytes.

export type CsvCell = string | number;

/** A cell is quoted when it holds a delimiter, a quote or a line break (csv-stringify: `\n` and `\r`). */
const NEEDS_QUOTES = /[",\n\r]/;

/** One cell: a number as JavaScript prints it, a string as is or quoted with its quotes doubled. */
export function csvField(cell: CsvCell): string {
  if (typeof cell === 'number') return String(cell);
  if (!NEEDS_QUOTES.test(cell)) return cell;
  return `"${cell.replaceAll('"', '""')}"`;
}

/** The record of `row`'s cells in `columns`' order, with its `\n`. */
export function csvRecord<C extends string>(columns: readonly C[], row: Readonly<Record<C, CsvCell>>): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) line += i === 0 ? csvField(row[columns[i]!]) : `,${csvField(row[columns[i]!])}`;
  return `${line}\n`;
}

/** The header record: the column names, quoted as any cell would be. */
export function csvHeader(columns: readonly string[]): string {
  return `${columns.map(csvField).join(',')}\n`;
}
