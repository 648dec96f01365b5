import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import type { ErrorObject } from 'ajv';
import type { ScanResult, Socket } from '../../src/model/index.js';
import { formatJson } from '../../src/report/json.js';
import { db1, fleet, gw1, scan, sshd, unix, web1 } from './scan-fixtures.js';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;

const schemaPath = new URL('../../schema/scan-v1.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
  $id: string;
  properties: Record<string, unknown>;
  definitions: Record<string, { properties: Record<string, { description?: string }> }>;
};
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: true, logger: false });
const validate = ajv.compile(schema);

function errorsOf(document: unknown): ErrorObject[] {
  return validate(document) ? [] : [...(validate.errors ?? [])];
}

/** A document that is the valid fleet fixture with one change applied to its parsed JSON. */
function mutated(change: (doc: any) => void): unknown {
  const doc = JSON.parse(formatJson(fleet()));
  change(doc);
  return doc;
}

function expectRejectedAt(document: unknown, instancePath: string, keyword: string): void {
  const errors = errorsOf(document);
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.map((e) => `${e.instancePath} ${e.keyword}`)).toContain(`${instancePath} ${keyword}`);
}

describe('schema/scan-v1.schema.json', () => {
  it('compiles in ajv strict mode, with an $id and a description for every field', () => {
    expect(schema.$id).toBe('urn:fleetstat:schema:scan-v1');
    // Walk every `properties` of the schema, except the conditional constraints under allOf.
    const undocumented: string[] = [];
    let fields = 0;
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, child] of Object.entries(node)) {
        if (key === 'allOf') continue;
        if (key === 'properties') {
          for (const [field, fieldSchema] of Object.entries(child as Record<string, { description?: unknown }>)) {
            fields += 1;
            if (typeof fieldSchema.description !== 'string') undocumented.push(`${path}.${field}`);
          }
        }
        walk(child, `${path}/${key}`);
      }
    };
    walk(schema, '#');
    expect(fields).toBeGreaterThan(40);
    expect(undocumented).toEqual([]);
  });

  it('rejects a proto that does not exist', () => {
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].proto = 'sctp')), '/hosts/0/sockets/0/proto', 'enum');
  });

  it('rejects a state that does not belong to the proto', () => {
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].state = 'UNCONN')), '/hosts/0/sockets/0/state', 'enum'); // tcp
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[2].state = 'LISTEN')), '/hosts/0/sockets/2/state', 'enum'); // udp
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[4].state = 'ESTABLISHED')), '/hosts/0/sockets/4/state', 'enum'); // unix
  });

  it('rejects a unix socket with an inet endpoint, a remote, or no type; an inet socket with a path', () => {
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[4].remote = { address: '::1', port: 1 })), '/hosts/0/sockets/4/remote', 'type');
    expectRejectedAt(mutated((d) => delete d.hosts[0].sockets[4].type), '/hosts/0/sockets/4', 'required');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].local = { path: '/x' })), '/hosts/0/sockets/0/local', 'required');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].local.path = '/x')), '/hosts/0/sockets/0/local', 'additionalProperties');
  });

  it('rejects closed objects with extra properties, missing required fields, bad enums and bad numbers', () => {
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].drops = 0)), '/hosts/0/sockets/0', 'additionalProperties');
    expectRejectedAt(mutated((d) => (d.extra = true)), '', 'additionalProperties');
    expectRejectedAt(mutated((d) => delete d.hosts[0].sockets[0].inode), '/hosts/0/sockets/0', 'required');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].direction = 'sideways')), '/hosts/0/sockets/0/direction', 'enum');
    expectRejectedAt(mutated((d) => (d.hosts[0].status = 'fine')), '/hosts/0/status', 'enum');
    expectRejectedAt(mutated((d) => (d.hosts[0].facts.byteOrder = 'middle')), '/hosts/0/facts/byteOrder', 'enum');
    expectRejectedAt(mutated((d) => (d.hosts[0].facts.attribution = 'some')), '/hosts/0/facts/attribution', 'enum');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].local.port = 70000)), '/hosts/0/sockets/0/local/port', 'maximum');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].recvQ = 1.5)), '/hosts/0/sockets/0/recvQ', 'type');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].local.address = '::FFFF:1.2.3.4')), '/hosts/0/sockets/0/local/address', 'pattern');
    expectRejectedAt(mutated((d) => (d.hosts[1].issues[0].kind = 'oops')), '/hosts/1/issues/0/kind', 'enum');
    expectRejectedAt(mutated((d) => (d.schema = 'fleetstat/scan@2')), '/schema', 'const');
    expectRejectedAt(mutated((d) => (d.startedAt = 'yesterday')), '/startedAt', 'pattern');
  });

  it('rejects a failed host without error, and an ok host with an error or without facts', () => {
    expectRejectedAt(mutated((d) => delete d.hosts[2].error), '/hosts/2', 'required');
    expectRejectedAt(mutated((d) => (d.hosts[0].error = { kind: 'exec', message: 'x' })), '/hosts/0/error', 'false schema');
    expectRejectedAt(mutated((d) => delete d.hosts[0].facts), '/hosts/0', 'required');
  });
});

describe('formatJson', () => {
  it('produces documents the schema accepts: a fleet with every proto, a failed host, partial attribution', () => {
    for (const result of [fleet(), scan([]), scan([gw1()]), scan([db1()])]) {
      expect(errorsOf(JSON.parse(formatJson(result)))).toEqual([]);
    }
  });

  it('indents by 2 spaces and ends with a newline', () => {
    const text = formatJson(scan([gw1()]));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').slice(0, 3)).toEqual(['{', '  "schema": "fleetstat/scan@1",', '  "startedAt": "2024-05-01T12:00:00.000Z",']);
  });

  it('keeps every value: the document parses back to the input', () => {
    const result = fleet();
    expect(JSON.parse(formatJson(result))).toEqual(result);
  });

  it('carries hostile strings intact and JSON-escaped', () => {
    const text = formatJson(fleet());
    // no raw control character outside the indentation's line breaks: safe to print to a terminal
    expect(text.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\u2028\u2029\u202a-\u202e]/u);
    expect(text).toContain('"\\u001b[31mevil"');
    expect(formatJson(scan([{ ...gw1(), error: { kind: 'unreachable', message: 'a\u009b2Jb\u202ec\x7f' } }]))).toContain(
      '"message": "a\\u009b2Jb\\u202ec\\u007f"',
    );
    expect(text).toContain('"path": "/tmp/evil\\nsock \\"quoted\\", here"');
    expect(text).toContain('"=cmd|\' /C calc\'!A0"');
    expect(text).toContain('"日本db"');
  });

  it('writes properties in the order of the schema, whatever order the objects were built in', () => {
    const shuffled = fleet();
    const reversed = (o: object): any => Object.fromEntries(Object.entries(o).reverse());
    shuffled.hosts = shuffled.hosts.map((h) => ({ ...reversed(h), sockets: h.sockets.map((s) => reversed(s)) }));
    const doc = JSON.parse(formatJson(shuffled));
    const order = (keys: string[], schemaProps: Record<string, unknown>): string[] =>
      Object.keys(schemaProps).filter((k) => keys.includes(k));

    expect(Object.keys(doc)).toEqual(order(Object.keys(doc), schema.properties));
    for (const host of doc.hosts) {
      expect(Object.keys(host)).toEqual(order(Object.keys(host), schema.definitions['host']!.properties));
      for (const socket of host.sockets) {
        expect(Object.keys(socket)).toEqual(order(Object.keys(socket), schema.definitions['socket']!.properties));
        for (const p of socket.processes) {
          expect(Object.keys(p)).toEqual(order(Object.keys(p), schema.definitions['process']!.properties));
        }
      }
    }
    expect(Object.keys(doc.hosts[0].sockets[0])).toEqual([
      'proto', 'state', 'local', 'remote', 'recvQ', 'sendQ', 'uid', 'user', 'inode', 'netns', 'processes', 'direction', 'service',
    ]);
  });

  it('drops fields that are not in the contract, so that the output stays valid', () => {
    const leaky = web1();
    const socket = leaky.sockets[0] as Socket & { source?: unknown; drops?: number };
    socket.source = { file: '/proc/net/tcp', line: 2 };
    socket.drops = 0;
    const result: ScanResult = scan([leaky, { ...gw1(), extra: 1 } as never]);
    const doc = JSON.parse(formatJson(result));
    expect(doc.hosts[0].sockets[0]).not.toHaveProperty('source');
    expect(doc.hosts[0].sockets[0]).not.toHaveProperty('drops');
    expect(doc.hosts[1]).not.toHaveProperty('extra');
    expect(errorsOf(doc)).toEqual([]);
  });

  it('writes a process\'s fds, exe, exeDeleted and cwd after cmdline, in that order, when known; the schema checks them', () => {
    const host = web1();
    const known = { ...sshd, cwd: '/tmp/.x (deleted)', exeDeleted: true as const, exe: '/tmp/.x/sshd', fds: [0, 3] };
    host.sockets = [{ ...host.sockets[0]!, processes: [known, sshd] }];
    const doc = JSON.parse(formatJson(scan([host])));
    const [written, bare] = doc.hosts[0].sockets[0].processes;
    expect(Object.keys(written)).toEqual(['pid', 'name', 'uid', 'user', 'cmdline', 'fds', 'exe', 'exeDeleted', 'cwd']);
    expect(written).toEqual({ pid: 812, name: 'sshd', uid: 0, user: 'root', cmdline: ['/usr/sbin/sshd', '-D'], fds: [0, 3], exe: '/tmp/.x/sshd', exeDeleted: true, cwd: '/tmp/.x (deleted)' });
    expect(Object.keys(bare)).toEqual(['pid', 'name', 'uid', 'user', 'cmdline']);
    expect(errorsOf(doc)).toEqual([]);
    const at = '/hosts/0/sockets/0/processes/0';
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].processes[0] = { ...written, exeDeleted: false })), `${at}/exeDeleted`, 'const');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].processes[0] = { ...written, fds: [-1] })), `${at}/fds/0`, 'minimum');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].processes[0] = { ...written, fds: [3, 3] })), `${at}/fds`, 'uniqueItems');
    expectRejectedAt(mutated((d) => (d.hosts[0].sockets[0].processes[0] = { ...written, exe: null })), `${at}/exe`, 'type');
  });

  it('omits absent optional fields instead of writing null', () => {
    const doc = JSON.parse(formatJson(scan([web1()])));
    expect(doc.hosts[0]).not.toHaveProperty('error');
    expect(doc.hosts[0].sockets[0]).not.toHaveProperty('type');
    expect(doc.hosts[0].sockets[5]).not.toHaveProperty('service');
    expect(doc.hosts[0].sockets[5]).toMatchObject({ local: { path: null }, remote: null, uid: null, type: 'dgram' });
    expect(unix(null).local).toEqual({ path: null });
  });
});
