// Every socket family the kernel lists in /proc/net, and the sockets no table lists, collected for
// real in a namespace host and read back through the host view.
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import type { Socket } from '../../src/model/index.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { NAMESPACE_HOST_NEEDS, runInNamespaceHost, type HostRun } from './namespace-host.js';
import { scannedHost } from '../../src/result/host-result.js';
import { formatJson } from '../../src/report/json.js';
import { formatTable } from '../../src/report/table.js';
import { formatCsv } from '../../src/report/csv.js';
import { schemaErrors } from '../helpers/schema.js';

const missing = [...(isRoot ? [] : ['root']), ...NAMESPACE_HOST_NEEDS.filter((c) => !hasCommand(c))];

describeIf(missing, 'socket families beyond tcp/udp/raw/unix', () => {
  let host: HostRun;
  let view: HostView;
  const ofDriver = (s: Socket) => s.processes.some((p) => p.pid === host.driverPid);

  beforeAll(() => {
    host = runInNamespaceHost({
      sockets: [
        { kind: 'udplite', host: '127.0.0.1' },
        { kind: 'udplite', host: '::1' },
        { kind: 'icmp', host: '127.0.0.1' },
        { kind: 'icmp', host: '::1' },
        { kind: 'packet', type: 'raw', ethertype: 0x0003, loopback: false },
        { kind: 'packet', type: 'dgram', ethertype: 0x88cc, loopback: true },
        { kind: 'netlink' },
      ],
      collections: [{}],
    });
    expect(host.runs[0]!.status).toBe(0);
    view = buildHostView(host.runs[0]!.capture, bundledServices());
  });

  test('no issues', () => {
    expect(view.issues).toEqual([]);
  });

  test('udplite and udplite6: their own proto, with the owner', () => {
    const [v4, v6] = host.sockets;
    const find = (proto: string, port: number) => view.sockets.find((s) => s.proto === proto && 'port' in s.local! && s.local.port === port);
    expect(find('udplite', v4!.port!)).toMatchObject({ state: 'UNCONN', local: { address: '127.0.0.1', port: v4!.port }, inode: v4!.inode, uid: 0 });
    expect(find('udplite6', v6!.port!)).toMatchObject({ state: 'UNCONN', local: { address: '::1', port: v6!.port }, inode: v6!.inode });
    expect(ofDriver(find('udplite', v4!.port!)!)).toBe(true);
  });

  test('icmp and icmp6 (ping sockets): the port is the echo id', () => {
    const [, , v4, v6] = host.sockets;
    const icmp = view.sockets.find((s) => s.proto === 'icmp' && s.inode === v4!.inode);
    const icmp6 = view.sockets.find((s) => s.proto === 'icmp6' && s.inode === v6!.inode);
    expect(icmp).toMatchObject({ local: { address: '127.0.0.1', port: v4!.port } });
    expect(icmp6).toMatchObject({ local: { address: '::1', port: v6!.port } });
    expect(ofDriver(icmp!) && ofDriver(icmp6!)).toBe(true);
  });

  test('packet sockets: ethertype, interface, type', () => {
    const [, , , , all, lldp] = host.sockets;
    const raw = view.sockets.find((s) => s.inode === all!.inode);
    const dgram = view.sockets.find((s) => s.inode === lldp!.inode);
    expect(raw).toMatchObject({ proto: 'packet', type: 'raw', local: { ethertype: 3, ifindex: 0 }, remote: null, uid: 0 });
    expect(dgram).toMatchObject({ proto: 'packet', type: 'dgram', local: { ethertype: 0x88cc, ifindex: 1 } });
    expect(ofDriver(raw!)).toBe(true);
  });

  test('a socket no table lists (netlink) is reported as proto other, with its process', () => {
    const netlink = host.sockets[6]!;
    const other = view.sockets.find((s) => s.inode === netlink.inode);
    expect(other).toMatchObject({ proto: 'other', local: null, remote: null });
    expect(other!.processes.map((p) => p.pid)).toEqual([host.driverPid]);
  });

  test('every socket inode a process holds is in the view', () => {
    for (const s of host.sockets) expect(view.sockets.filter((v) => v.inode === s.inode)).toHaveLength(1);
  });

  test('the JSON follows the scan@1 schema; the table and the CSV show every kind', () => {
    const host = scannedHost({ name: 'ns', address: '127.0.0.1', groups: [], connection: 'local', become: false }, { port: 22 }, view);
    const result = { schema: 'fleetstat/scan@1' as const, startedAt: '2024-05-01T12:00:00.000Z', finishedAt: '2024-05-01T12:00:01.000Z', hosts: [host] };
    expect(schemaErrors(JSON.parse(formatJson(result)))).toEqual([]);
    const table = formatTable(result, { color: false });
    for (const proto of ['udplite', 'udplite6', 'icmp', 'icmp6', 'packet', 'other']) expect(table).toMatch(new RegExp(`^${proto} `, 'm'));
    expect(table).toMatch(/^packet .* \*:\* /m); // every protocol, every interface
    const csv = formatCsv(result);
    for (const proto of ['udplite', 'icmp', 'packet', 'other']) expect(csv).toContain(`,${proto},`);
  });
});
