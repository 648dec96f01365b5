// Fixture access and small builders shared by the parser tests.
import { readFileSync } from 'node:fs';
import type { ByteOrder, ParseContext, ParseIssue } from '../../src/model/index.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

/** The text of fixtures/<path>; throws (so the test fails) when it is missing. */
export function fixture(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

export function ctx(file: string, byteOrder: ByteOrder = 'little', netns = 'default'): ParseContext {
  return { file, byteOrder, netns };
}

/** kind/line/field of each issue: what the tests assert (messages are for humans). */
export function issueShape(issues: readonly ParseIssue[]): Array<{ kind: string; line: number; field: string | undefined; file: string }> {
  return issues.map(({ kind, line, field, file }) => ({ kind, line, field, file }));
}

export const TCP_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ';
export const TCP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
export const UDP_HEADER =
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ';
export const UDP6_HEADER =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
export const UNIX_HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path';
