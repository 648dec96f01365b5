// CSV read back by an independent parser: Python's csv module (RFC 4180 quoting, as spreadsheets read
// it), not the library that wrote it. Records as objects keyed by the header's fields, in order.
import { spawnSync } from 'node:child_process';

const READER = 'import csv, json, sys\nprint(json.dumps(list(csv.DictReader(sys.stdin))))';

export function readCsvWithPython(text: string): Record<string, string>[] {
  const run = spawnSync('python3', ['-c', READER], { input: text, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 could not read the CSV: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string>[];
}
