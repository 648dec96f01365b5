// Fixture access and small builders shared by the parser tests.
import { readdirSync, readFileSync } from 'node:fs';
import type { ByteOrder, InetSocketRow, ParseContext, ParseIssue } from '../../src/model/index.js';

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

// fixtures/kernels/*: one era's tables and, in expected.json, what their rows mean.
export interface EraExpectation {
  byteOrder: ByteOrder;
  bits: 32 | 64;
  pointers: 'real' | 'zeros' | 'hashed';
  tables: Record<string, Array<Record<string, unknown>>>;
}

export const ERAS: string[] = readdirSync(new URL('../../fixtures/kernels/', import.meta.url)).sort();

export function era(name: string): EraExpectation {
  return JSON.parse(fixture(`kernels/${name}/expected.json`)) as EraExpectation;
}

export const eraCtx = (name: string, table: string): ParseContext => ({
  file: `/proc/net/${table}`,
  byteOrder: era(name).byteOrder,
  netns: 'default',
});

/** An inet row as expected.json states it. */
export function inetMeaning(r: InetSocketRow): Record<string, unknown> {
  const meaning: Record<string, unknown> = {
    proto: r.proto,
    state: r.state,
    local: `${r.local.address}:${r.local.port}`,
    remote: `${r.remote.address}:${r.remote.port}`,
    recvQ: r.recvQ,
    sendQ: r.sendQ,
    uid: r.uid,
    inode: r.inode,
  };
  if (r.drops !== undefined) meaning.drops = r.drops;
  return meaning;
}

