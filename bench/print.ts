// The benches' figures as a plain aligned table on stdout.

/** Prints `header` and `rows` in left-aligned columns, two spaces apart; the last column is never padded. */
export function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, column) => all.reduce((widest, row) => Math.max(widest, (row[column] ?? '').length), 0));
  for (const row of all) {
    const cells = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)));
    process.stdout.write(`  ${cells.join('  ')}\n`);
  }
}
