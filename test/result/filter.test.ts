// netstat's and ss's selection flags, combined as they combine them (checked here with net-tools
// netstat and iproute2 ss: `-4` alone shows no unix sockets, `-4 -x` shows IPv4 and unix, `-x` alone
// only unix, `-t -4` only TCP over IPv4).
import type { Socket } from '../../src/model/index.js';
import { filterScan, type SocketFilter } from '../../src/result/filter.js';
import { inet, scan, unix, web1 } from '../report/scan-fixtures.js';

const zoo: Socket[] = [
  inet({ proto: 'tcp', state: 'LISTEN', inode: 1 }),
  inet({ proto: 'tcp6', state: 'LISTEN', local: { address: '::', port: 22 }, inode: 2 }),
  inet({ proto: 'udp', state: 'UNCONN', inode: 3 }),
  inet({ proto: 'udp6', state: 'ESTABLISHED', direction: 'outbound', inode: 4 }),
  inet({ proto: 'raw', state: 'UNCONN', inode: 5 }),
  inet({ proto: 'raw6', state: 'UNCONN', inode: 6 }),
  unix('/run/x.sock', { inode: 7 }),
  { ...inet({ proto: 'tcp', state: 'ESTABLISHED', direction: 'inbound', inode: 8 }) },
  // a family the capture branch may add (AF_PACKET): shown only when nothing is selected
  { ...inet({ proto: 'packet' as Socket['proto'], state: 'UNCONN', inode: 9 }) },
];

function kept(filter: Partial<SocketFilter>): number[] {
  const result = filterScan(scan([{ ...web1(), sockets: zoo }]), { listeningOnly: false, protocols: [], addressFamilies: [], ...filter });
  return result.hosts[0]!.sockets.map((s) => s.inode);
}

describe('filterScan', () => {
  test.each<[string, Partial<SocketFilter>, number[]]>([
    ['nothing selected: every socket', {}, [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['-t: TCP of both families, no unix', { protocols: ['tcp'] }, [1, 2, 8]],
    ['-tu', { protocols: ['tcp', 'udp'] }, [1, 2, 3, 4, 8]],
    ['-w', { protocols: ['raw'] }, [5, 6]],
    ['-x: unix only', { protocols: ['unix'] }, [7]],
    ['-tx: TCP and unix', { protocols: ['tcp', 'unix'] }, [1, 2, 7, 8]],
    ['-4: every IPv4 protocol, no unix', { addressFamilies: ['inet'] }, [1, 3, 5, 8]],
    ['-6: every IPv6 protocol, no unix', { addressFamilies: ['inet6'] }, [2, 4, 6]],
    ['-46: every inet socket, no unix', { addressFamilies: ['inet', 'inet6'] }, [1, 2, 3, 4, 5, 6, 8]],
    ['-4x: IPv4 and unix', { addressFamilies: ['inet'], protocols: ['unix'] }, [1, 3, 5, 7, 8]],
    ['-t4: TCP over IPv4', { addressFamilies: ['inet'], protocols: ['tcp'] }, [1, 8]],
    ['-u6', { addressFamilies: ['inet6'], protocols: ['udp'] }, [4]],
    ['-l: listeners', { listeningOnly: true }, [1, 2, 3, 5, 6, 7, 9]],
    ['-tl4', { listeningOnly: true, protocols: ['tcp'], addressFamilies: ['inet'] }, [1]],
  ])('%s', (_flags, filter, inodes) => {
    expect(kept(filter)).toEqual(inodes);
  });
});
