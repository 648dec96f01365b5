// Checks each decoded snapshot record before anyone uses it: a snapshot is a local file, but every
// string in it came from a host (or from whoever edited the file). A fault is a RecordFault naming the
// field (`outcome.exec.exitCode`); the reader adds the file and record number. Fields this version
// does not know are ignored, so that a later @1 writer may add some (the schema documents the rest).
// A host row's sockets are checked as an array only: a replay parses the capture again.
import type { HostOutcome, HostScan, HostSpec, HostStatus, SnapshotHeader, SnapshotHost, SnapshotTrailer } from '../model/index.js';
import { MAX_CAPTURE_BYTES, STDOUT_ENCODING, type StoredBytes } from './snapshot-codec.js';

export class RecordFault extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'RecordFault';
  }
}

/** A host record as stored: its capture still encoded. */
export type StoredHost = Omit<SnapshotHost, 'outcome'> & { outcome: StoredOutcome };
export type StoredOutcome = Exclude<HostOutcome, { kind: 'ran' }> | (Omit<Extract<HostOutcome, { kind: 'ran' }>, 'exec'> & { exec: StoredExec });
type StoredExec = Omit<Extract<HostOutcome, { kind: 'ran' }>['exec'], 'stdout'> & { stdout: StoredBytes };

const HOST_STATUSES: readonly HostStatus[] = ['ok', 'partial', 'unreachable', 'timeout', 'auth', 'hostkey', 'exec', 'parse', 'truncated', 'config', 'interrupted'];
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

type Obj = Record<string, unknown>;
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v).slice(0, 40));

function object(v: unknown, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RecordFault(field, `expected an object, found ${describe(v)}`);
  return v as Obj;
}
function str(o: Obj, key: string, at: string, pattern?: RegExp): string {
  const v = o[key];
  if (typeof v !== 'string') throw new RecordFault(at + key, `expected a string, found ${v === undefined ? 'nothing' : describe(v)}`);
  if (pattern && !pattern.test(v)) throw new RecordFault(at + key, `${describe(v)} is not of the form ${pattern.source}`);
  return v;
}
function int(o: Obj, key: string, at: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RecordFault(at + key, `expected a whole number from ${min} to ${max}, found ${v === undefined ? 'nothing' : describe(v)}`);
  }
  return v;
}
function bool(o: Obj, key: string, at: string): boolean {
  if (typeof o[key] !== 'boolean') throw new RecordFault(at + key, `expected true or false, found ${o[key] === undefined ? 'nothing' : describe(o[key])}`);
  return o[key] as boolean;
}
function oneOf<T extends string>(o: Obj, key: string, at: string, values: readonly T[]): T {
  const v = o[key];
  if (!values.includes(v as T)) throw new RecordFault(at + key, `expected one of ${values.join(', ')}, found ${v === undefined ? 'nothing' : describe(v)}`);
  return v as T;
}
function optional(o: Obj, key: string, check: () => unknown): void {
  if (o[key] !== undefined) check();
}
function nullOr(o: Obj, key: string, check: () => unknown): void {
  if (o[key] !== null) check();
}
function array(o: Obj, key: string, at: string, each?: (item: unknown, field: string) => void): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new RecordFault(at + key, `expected an array, found ${v === undefined ? 'nothing' : describe(v)}`);
  if (each) v.forEach((item, i) => each(item, `${at}${key}[${i}]`));
  return v;
}
const aString = (item: unknown, field: string) => {
  if (typeof item !== 'string') throw new RecordFault(field, `expected a string, found ${describe(item)}`);
};

export function checkHeader(value: unknown): SnapshotHeader {
  const h = object(value, '');
  oneOf(h, 'record', '', ['header']);
  oneOf(h, 'schema', '', ['fleetstat/snapshot@1']);
  const tool = object(h.tool, 'tool');
  oneOf(tool, 'name', 'tool.', ['fleetstat']);
  str(tool, 'version', 'tool.');
  int(h, 'captureFormat', '', 0);
  str(h, 'startedAt', '', DATE_TIME);
  const inventory = object(h.inventory, 'inventory');
  str(inventory, 'source', 'inventory.');
  str(inventory, 'digest', 'inventory.', SHA256_HEX);
  int(inventory, 'hosts', 'inventory.', 0);
  nullOr(h, 'shard', () => {
    const shard = object(h.shard, 'shard');
    const total = int(shard, 'total', 'shard.', 1);
    int(shard, 'index', 'shard.', 1, total);
  });
  const options = object(h.options, 'options');
  for (const [key, v] of Object.entries(options)) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) throw new RecordFault(`options.${key}`, `expected a string, number, boolean or null, found ${describe(v)}`);
  }
  return h as unknown as SnapshotHeader;
}

export function checkHost(value: unknown, header: SnapshotHeader): StoredHost {
  const r = object(value, '');
  oneOf(r, 'record', '', ['host']);
  int(r, 'index', '', 0, Math.max(0, header.inventory.hosts - 1));
  checkSpec(object(r.spec, 'spec'));
  str(r, 'startedAt', '', DATE_TIME);
  str(r, 'finishedAt', '', DATE_TIME);
  checkOutcome(object(r.outcome, 'outcome'));
  checkResult(object(r.result, 'result'));
  return r as unknown as StoredHost;
}

export function checkTrailer(value: unknown): SnapshotTrailer {
  const t = object(value, '');
  oneOf(t, 'record', '', ['trailer']);
  str(t, 'finishedAt', '', DATE_TIME);
  int(t, 'hosts', '', 0);
  const statuses = object(t.statuses, 'statuses');
  for (const key of Object.keys(statuses)) {
    if (!HOST_STATUSES.includes(key as HostStatus)) throw new RecordFault(`statuses.${key}`, `not a host status (${HOST_STATUSES.join(', ')})`);
    int(statuses, key, 'statuses.', 0);
  }
  bool(t, 'interrupted', '');
  return t as unknown as SnapshotTrailer;
}

function checkSpec(s: Obj): asserts s is Obj & HostSpec {
  str(s, 'name', 'spec.');
  str(s, 'address', 'spec.');
  optional(s, 'port', () => int(s, 'port', 'spec.', 0, 65535));
  optional(s, 'user', () => str(s, 'user', 'spec.'));
  optional(s, 'identityFile', () => str(s, 'identityFile', 'spec.'));
  array(s, 'groups', 'spec.', aString);
  oneOf(s, 'connection', 'spec.', ['ssh', 'local']);
  bool(s, 'become', 'spec.');
  optional(s, 'notContactedBecause', () => str(s, 'notContactedBecause', 'spec.'));
  optional(s, 'definedAt', () => {
    const at = object(s.definedAt, 'spec.definedAt');
    str(at, 'file', 'spec.definedAt.');
    int(at, 'line', 'spec.definedAt.', 1);
    int(at, 'column', 'spec.definedAt.', 1);
  });
  optional(s, 'sshArguments', () => {
    const args = object(s.sshArguments, 'spec.sshArguments');
    for (const side of ['before', 'after']) {
      array(args, side, 'spec.sshArguments.', (item, field) => {
        const list = object(item, field);
        str(list, 'source', `${field}.`);
        array(list, 'words', `${field}.`, aString);
      });
    }
  });
}

function checkHostKey(o: Obj, at: string): void {
  optional(o, 'hostKey', () => {
    const key = object(o.hostKey, `${at}hostKey`);
    str(key, 'type', `${at}hostKey.`);
    str(key, 'fingerprint', `${at}hostKey.`);
    oneOf(key, 'check', `${at}hostKey.`, ['known', 'added', 'unchecked']);
  });
}

function checkOutcome(o: Obj): void {
  const kind = oneOf(o, 'kind', 'outcome.', ['not-contacted', 'failed', 'ran', 'interrupted']);
  int(o, 'port', 'outcome.', 0, 65535);
  if (kind !== 'not-contacted') checkHostKey(o, 'outcome.');
  if (kind === 'not-contacted' || kind === 'failed') {
    oneOf(o, 'status', 'outcome.', HOST_STATUSES);
    str(o, 'message', 'outcome.');
  } else if (kind === 'interrupted') {
    bool(o, 'started', 'outcome.');
    str(o, 'message', 'outcome.');
  } else {
    str(o, 'marker', 'outcome.');
    int(o, 'deadlineMs', 'outcome.', 1, Number.MAX_SAFE_INTEGER);
    const exec = object(o.exec, 'outcome.exec');
    const stdout = object(exec.stdout, 'outcome.exec.stdout');
    oneOf(stdout, 'encoding', 'outcome.exec.stdout.', [STDOUT_ENCODING]);
    int(stdout, 'bytes', 'outcome.exec.stdout.', 0, MAX_CAPTURE_BYTES);
    str(stdout, 'data', 'outcome.exec.stdout.');
    str(exec, 'stderr', 'outcome.exec.');
    nullOr(exec, 'exitCode', () => int(exec, 'exitCode', 'outcome.exec.', -2147483648, 2147483647));
    nullOr(exec, 'signal', () => str(exec, 'signal', 'outcome.exec.'));
    bool(exec, 'truncated', 'outcome.exec.');
    bool(exec, 'timedOut', 'outcome.exec.');
  }
}

function checkResult(r: Obj): asserts r is Obj & HostScan {
  str(r, 'name', 'result.');
  str(r, 'address', 'result.');
  int(r, 'port', 'result.', 0, 65535);
  array(r, 'groups', 'result.', aString);
  oneOf(r, 'status', 'result.', HOST_STATUSES);
  optional(r, 'error', () => {
    const error = object(r.error, 'result.error');
    oneOf(error, 'kind', 'result.error.', HOST_STATUSES);
    str(error, 'message', 'result.error.');
  });
  checkHostKey(r, 'result.');
  optional(r, 'facts', () => object(r.facts, 'result.facts'));
  array(r, 'sockets', 'result.');
  array(r, 'issues', 'result.');
}
