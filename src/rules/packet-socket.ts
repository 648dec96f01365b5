// FS007: a process holding an AF_PACKET socket, which sees (or sends) raw frames beneath the firewall:
// a sniffer, or a BPFDoor-style implant that wakes on a magic packet no port shows. DHCP clients, LLDP
// and VRRP daemons and capture tools do it for a living: they are not findings when their executable
// is where packages install it.
import type { ProcessRef, Socket } from '../model/index.js';
import type { Rule } from './rule.js';
import { findingOf } from './finding-of.js';
import { commandLine } from './process-kinds.js';

// comm names (at most 15 bytes: systemd-networkd is `systemd-network`)
const FRAME_TOOLS = new Set([
  'dhclient', 'dhcpcd', 'dhcpd', 'udhcpc', 'udhcpd', 'systemd-network', 'NetworkManager', 'nm-dhcp-helper', 'kea-dhcp4', 'kea-dhcp6', 'dnsmasq', 'avahi-autoipd',
  'wpa_supplicant', 'hostapd', 'lldpd', 'lldpad', 'ladvd', 'keepalived', 'arpwatch', 'ptp4l', 'pppd', 'pppoe', 'radvd', 'ovs-vswitchd',
  'tcpdump', 'dumpcap', 'tshark', 'suricata', 'zeek', 'snort', 'ntopng', 'p0f',
]);
const PACKAGE_DIRS = /^\/(usr\/(s?bin|lib|libexec|local\/s?bin)|s?bin|lib|opt)\//;

/** A known frame tool run from a package's directory (or whose exe was not collected). */
function expectedHolder(p: ProcessRef): boolean {
  return FRAME_TOOLS.has(p.name) && (p.exe === undefined || (PACKAGE_DIRS.test(p.exe) && p.exeDeleted !== true));
}

function frames(socket: Socket): string {
  const local = socket.local !== null && 'ethertype' in socket.local ? socket.local : null;
  if (local === null) return 'packet socket';
  const type = local.ethertype === 0x0003 ? 'every frame (ETH_P_ALL)' : `ethertype 0x${local.ethertype.toString(16).padStart(4, '0')}`;
  return `packet socket (${socket.type ?? 'raw'}, ${type}, ${local.ifindex === 0 ? 'every interface' : `ifindex ${local.ifindex}`})`;
}

export const packetSocket: Rule = {
  id: 'FS007',
  name: 'packet-socket',
  severity: 'medium',
  summary: 'A process other than a known DHCP, LLDP, VRRP or capture tool holds an AF_PACKET socket.',
  explanation:
    'An AF_PACKET socket receives frames before the firewall sees them and listens on no port: what sniffers and BPFDoor-style implants use to wait for a magic packet. dhclient, systemd-networkd, NetworkManager, lldpd, keepalived, tcpdump and their like hold one legitimately and are not reported when they run from a package directory; a process of the same name running from elsewhere is.',
  exception: 'A waiver for FS007 naming the host and process, with its justification.',
  check(host, context) {
    return host.sockets
      .filter((s) => s.proto === 'packet' && s.collector !== true)
      .flatMap((socket) =>
        socket.processes
          .filter((p) => !expectedHolder(p))
          .map((p) => findingOf(this, host, context, { socket, holder: p, message: `${p.name} (pid ${p.pid}) holds a ${frames(socket)}`, evidence: `${commandLine(p)}${p.exe !== undefined ? ` (exe ${p.exe})` : ''}` })),
      );
  },
};
