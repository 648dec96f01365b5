// Checks one scan output file of any size, in bounded memory (one host, or one line, at a time):
// is it valid in its format, and what does it hold per host (status, sockets, TCP sockets).
// The bench compares that with what the fleet really has; nothing here knows the expected numbers.
import { createReadStream } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import AjvModule from 'ajv';
import { readJsonHosts } from './json-hosts.js';

export type BenchFormat = 'json' | 'ndjson' | 'csv' | 'table';

export interface HostCount {
  status: string;
  sockets: number;
  tcp: number;
}

export interface OutputCheck {
  /** empty when the file is valid in its format (and, for JSON, against schema/scan-v1) */
  problems: string[];
  /** per host name, in the order first seen */
  hosts: Map<string, HostCount>;
  sockets: number;
  /** lines (table, NDJSON) or records (CSV, the header included) */
  records: number;
}

const MAX_PROBLEMS = 5;
const isTcp = (proto: unknown) => proto === 'tcp' || proto === 'tcp6';

class Tally {
  readonly problems: string[] = [];
  readonly hosts = new Map<string, HostCount>();
  sockets = 0;
  records = 0;

  problem(text: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(text);
  }

  host(name: string, status: string): HostCount {
    let count = this.hosts.get(name);
    if (!count) this.hosts.set(name, (count = { status, sockets: 0, tcp: 0 }));
    return count;
  }

  socket(count: HostCount, proto: unknown): void {
    count.sockets++;
    if (isTcp(proto)) count.tcp++;
    this.sockets++;
  }

  result(): OutputCheck {
    return { problems: this.problems, hosts: this.hosts, sockets: this.sockets, records: this.records };
  }
}

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;
const scanSchema = JSON.parse(readFileSync(new URL('../schema/scan-v1.schema.json', import.meta.url), 'utf8')) as { $id: string };
const ajv = new Ajv({ allErrors: true, strict: true, logger: false });
ajv.addSchema(scanSchema);
const validateDocument = ajv.getSchema(scanSchema.$id)!;
const validateHost = ajv.getSchema(`${scanSchema.$id}#/definitions/host`)!;
const schemaError = (validate: typeof validateHost) => (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

async function checkJson(path: string): Promise<OutputCheck> {
  const tally = new Tally();
  try {
    const { skeleton } = await readJsonHosts(path, (host, index) => {
      if (!validateHost(host)) tally.problem(`hosts[${index}]: ${schemaError(validateHost)}`);
      const h = host as { name?: string; status?: string; sockets?: Array<{ proto?: unknown }> };
      const count = tally.host(String(h.name), String(h.status));
      for (const s of h.sockets ?? []) tally.socket(count, s.proto);
    });
    const hosts = (skeleton as { hosts?: unknown[] }).hosts ?? [];
    if (hosts.some((h) => h !== 0)) tally.problem('hosts[] has an element that is not an object');
    if (!validateDocument({ ...(skeleton as object), hosts: [] })) tally.problem(`document: ${schemaError(validateDocument)}`);
  } catch (error) {
    tally.problem(`not one JSON document: ${(error as Error).message}`);
  }
  return tally.result();
}

/** NDJSON (`fleetstat/socket@1`): one socket per line under its host's fields (`host.name`, `host.status`); `socket: null` is a host without sockets. */
async function checkNdjson(path: string): Promise<OutputCheck> {
  const tally = new Tally();
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    tally.records++;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      tally.problem(`line ${tally.records}: ${(error as Error).message}`);
      continue;
    }
    const host = (record.host ?? {}) as { name?: unknown; status?: unknown };
    const socket = record.socket as { proto?: unknown } | null | undefined;
    const count = tally.host(String(host.name), String(host.status));
    if (typeof socket?.proto === 'string') tally.socket(count, socket.proto);
  }
  return tally.result();
}

/** CSV as RFC 4180 (quoted fields may hold commas, quotes and line breaks); every record as wide as the header. */
async function checkCsv(path: string): Promise<OutputCheck> {
  const tally = new Tally();
  let header: string[] | undefined;
  const columns = { host: -1, status: -1, proto: -1 };
  const onRecord = (fields: string[]) => {
    tally.records++;
    if (!header) {
      header = fields;
      for (const name of Object.keys(columns) as Array<keyof typeof columns>) columns[name] = fields.indexOf(name);
      if (Object.values(columns).includes(-1)) tally.problem(`header lacks host, status or proto: ${fields.join(',')}`);
      return;
    }
    if (fields.length !== header.length) tally.problem(`record ${tally.records}: ${fields.length} fields, the header has ${header.length}`);
    const count = tally.host(fields[columns.host] ?? '', fields[columns.status] ?? '');
    const proto = fields[columns.proto] ?? '';
    if (proto !== '') tally.socket(count, proto);
  };

  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let quoteSeen = false; // a quote inside a quoted field: the field's end, or the first of "" (a quote)
  const decoder = new TextDecoder();
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === '"') {
            field += '"';
            continue;
          }
          quoted = false; // the quote closed the field: c is read below as after a field
        } else {
          if (c === '"') quoteSeen = true;
          else field += c;
          continue;
        }
      }
      if (c === '"' && field === '') quoted = true;
      else if (c === '"') tally.problem(`record ${tally.records + 1}: a quote inside an unquoted field`);
      else if (c === ',') {
        fields.push(field);
        field = '';
      } else if (c === '\n') {
        fields.push(field.endsWith('\r') ? field.slice(0, -1) : field);
        onRecord(fields);
        fields = [];
        field = '';
      } else field += c;
    }
  }
  if (quoted && !quoteSeen) tally.problem('the file ends inside a quoted field');
  else if (field !== '' || fields.length > 0) tally.problem('the last record has no line end');
  return tally.result();
}

const PROTOS = new Set(['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6', 'unix', 'packet', 'udplite', 'udplite6', 'icmp', 'icmp6']);

/**
 * The table (several hosts: a Host column leads, then a Netns column when a socket is outside the
 * default namespace): a socket row is `HOST [NETNS] PROTO …`, its Proto column found from the section's
 * header line. The table prints no status: it reads as `-`.
 */
async function checkTable(path: string, hostNames: ReadonlySet<string>): Promise<OutputCheck> {
  const tally = new Tally();
  let protoColumn = -1;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    tally.records++;
    const cells = line.split(/\s+/, 3);
    if (cells[0] === 'Host') protoColumn = cells.indexOf('Proto');
    const [host, proto] = [cells[0], cells[protoColumn]];
    if (host !== undefined && hostNames.has(host) && proto !== undefined && PROTOS.has(proto)) tally.socket(tally.host(host, '-'), proto);
  }
  return tally.result();
}

export function checkOutput(format: BenchFormat, path: string, hostNames: ReadonlySet<string>): Promise<OutputCheck> {
  switch (format) {
    case 'json':
      return checkJson(path);
    case 'ndjson':
      return checkNdjson(path);
    case 'csv':
      return checkCsv(path);
    case 'table':
      return checkTable(path, hostNames);
  }
}
