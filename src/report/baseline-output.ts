// `scan --baseline OLD`: the scan's hosts are not printed but compared, each as it ends, with the same
// host of the earlier scan (what `fleetstat diff OLD NOW` does, in one go); the diff is written at
// the end, as diff writes it.
import type { Writable } from 'node:stream';
import type { DiffResult } from '../model/diff.js';
import type { DiffBuilder } from '../merge/diff.js';
import { formatDiffCsv } from './diff-csv.js';
import { formatDiffTable } from './diff-table.js';
import { jsonForTerminal } from './escape.js';
import type { ScanOutput } from './output.js';
import { writeChunk } from './write.js';

export type DiffFormat = 'table' | 'json' | 'csv';

export function formatDiff(result: DiffResult, format: DiffFormat): string {
  return format === 'json' ? jsonForTerminal(result) : format === 'csv' ? formatDiffCsv(result) : formatDiffTable(result);
}

export function baselineOutput(diff: DiffBuilder, before: DiffResult['before'], afterSource: string, format: DiffFormat, out: Writable, done: (result: DiffResult) => void): ScanOutput {
  let startedAt = '';
  return {
    start: async (info) => {
      startedAt = info.startedAt;
    },
    host: async (_index, scan) => diff.after(scan),
    end: async () => {
      const result = diff.end({ before, after: { source: afterSource, startedAt } });
      done(result);
      await writeChunk(out, formatDiff(result, format));
    },
    abort: async () => {},
  };
}
