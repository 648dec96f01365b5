// NDJSON: one fleetstat/socket@1 record per line, against schema/socket-v1.schema.json.
import type { HostScan } from '../../src/model/index.js';
import { socketOut } from '../../src/report/json.js';
import { schemaErrors } from '../helpers/schema.js';
import { render } from './output-helpers.js';
import { db1, ESC_RED, fleet, gw1, inet, web1 } from './scan-fixtures.js';

async function records(hosts: HostScan[]): Promise<{ text: string; lines: any[] }> {
  const text = await render('ndjson', hosts.map((h, i) => [i, h] as const));
  expect(text.endsWith('\n')).toBe(true);
  return { text, lines: text.slice(0, -1).split('\n').map((l) => JSON.parse(l)) };
}

describe('ndjson', () => {
  it('writes one line per socket with its host inlined, and one line with socket null for a host without sockets', async () => {
    const { lines } = await records(fleet().hosts);
    expect(lines).toHaveLength(6 + 5 + 1);
    expect(lines.map((l) => l.host.name)).toEqual([...Array(6).fill('web1'), ...Array(5).fill('db1'), 'gw1']);
    expect(lines[0]).toEqual({
      schema: 'fleetstat/socket@1',
      host: { name: 'web1', address: '10.0.0.5', port: 22, groups: ['web', 'prod'], status: 'ok' },
      socket: socketOut(web1().sockets[0]!),
    });
    expect(lines[11]).toEqual({
      schema: 'fleetstat/socket@1',
      host: { name: 'gw1', address: '10.0.0.1', port: 22, groups: [], status: 'unreachable', error: { kind: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.1:22\x1b[2J' } },
      socket: null,
    });
  });

  it('every line is valid against schema/socket-v1.schema.json', async () => {
    const withKey: HostScan = { ...web1(), hostKey: { type: 'ssh-ed25519', fingerprint: `SHA256:${'A'.repeat(43)}`, check: 'unchecked' } };
    const { lines } = await records([withKey, db1(), gw1(), { ...web1(), name: 'empty', sockets: [] }]);
    for (const line of lines) expect(schemaErrors(line, 'socket')).toEqual([]);
    expect(lines[0].host.hostKey.check).toBe('unchecked');
  });

  it('the schema refuses what is not a record: a failed host without error, an unknown field, a socket of another shape', async () => {
    const { lines } = await records([web1(), gw1()]);
    const gw = lines[lines.length - 1];
    expect(schemaErrors({ ...gw, host: { ...gw.host, error: undefined } }, 'socket')).toContain("/host: must have required property 'error'");
    expect(schemaErrors({ ...lines[0], extra: 1 }, 'socket')).toContain('/: must NOT have additional properties');
    expect(schemaErrors({ ...lines[0], host: { ...lines[0].host, error: { kind: 'ok', message: 'x' } } }, 'socket').length).toBeGreaterThan(0);
    expect(schemaErrors({ ...lines[0], socket: { ...lines[0].socket, proto: 'sctp' } }, 'socket').length).toBeGreaterThan(0);
    expect(schemaErrors({ ...lines[0], schema: 'fleetstat/socket@2' }, 'socket')).toContain('/schema: must be equal to constant');
  });

  it('keeps one record on one line and no control character raw, whatever the remote strings hold', async () => {
    const hostile: HostScan = {
      ...web1(),
      name: 'evil\u2028host',
      sockets: [inet({ proto: 'tcp', state: 'LISTEN', processes: [{ pid: 1, name: `${ESC_RED}\u009b\u202e\nx`, uid: 0, user: 'root', cmdline: ['a\nb'] }] })],
    };
    const { text, lines } = await records([hostile]);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(lines[0].host.name).toBe('evil\u2028host');
    expect(lines[0].socket.processes[0].name).toBe(`${ESC_RED}\u009b\u202e\nx`);
  });
});

describe('json, streamed', () => {
  it('is valid against the scan@1 schema, with finishedAt after hosts', async () => {
    const text = await render('json', fleet().hosts.map((h, i) => [i, h] as const).reverse());
    const doc = JSON.parse(text);
    expect(schemaErrors(doc)).toEqual([]);
    expect(Object.keys(doc)).toEqual(['schema', 'startedAt', 'hosts', 'finishedAt']);
    expect(doc.hosts.map((h: HostScan) => h.name)).toEqual(['web1', 'db1', 'gw1']);
  });

  it('a host the scan was stopped on is `interrupted`, with an error, in both schemas', async () => {
    const stopped: HostScan = { ...gw1(), status: 'interrupted', error: { kind: 'interrupted', message: 'the scan was interrupted (SIGINT)' } };
    expect(schemaErrors(JSON.parse(await render('json', [[0, stopped]])))).toEqual([]);
    expect(schemaErrors(JSON.parse(await render('ndjson', [[0, stopped]])), 'socket')).toEqual([]);
    const { error: _, ...withoutError } = stopped;
    expect(schemaErrors(JSON.parse(await render('json', [[0, withoutError]])))).toContain("/hosts/0: must have required property 'error'");
  });
});
