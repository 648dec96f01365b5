// The port matrix as CSV, in long form (one record per endpoint per listening set), so that a sheet can
// filter and pivot it: which hosts listen where, and who holds it. Remote strings escaped as every CSV
// cell of fleetstat is (escape.ts); numbers stay numbers.
import { stringify } from 'csv-stringify/sync';
import type { MatrixRow, PortMatrix } from '../model/matrix.js';
import { escapeForCsv } from './escape.js';

export const MATRIX_CSV_COLUMNS = ['proto', 'family', 'bind_scope', 'bind_address', 'port', 'maybe_dual_stack', 'netns', 'service', 'hosts', 'host_count', 'processes', 'users'] as const;

type Record = { [K in (typeof MATRIX_CSV_COLUMNS)[number]]: string | number };

function recordsOf(row: MatrixRow, matrix: PortMatrix): Record[] {
  const records: Record[] = [];
  row.cells.forEach((cell, i) => {
    if (cell === null) return;
    const column = matrix.columns[i]!;
    records.push({
      proto: row.proto,
      family: row.family,
      bind_scope: row.scope,
      bind_address: escapeForCsv(row.address ?? ''),
      port: row.port ?? '',
      maybe_dual_stack: row.maybeDualStack ? 'yes' : 'no',
      netns: escapeForCsv(row.netns ?? ''),
      service: escapeForCsv(row.service ?? ''),
      hosts: escapeForCsv(column.nodeset),
      host_count: column.count,
      processes: escapeForCsv(cell.owners.map((o) => o.process ?? '?').join(' ')),
      users: escapeForCsv(cell.owners.map((o) => o.user ?? '?').join(' ')),
    });
  });
  return records;
}

export function formatMatrixCsv(matrix: PortMatrix): string {
  return stringify(matrix.rows.flatMap((row) => recordsOf(row, matrix)), { header: true, columns: [...MATRIX_CSV_COLUMNS] });
}
