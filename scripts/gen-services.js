// Regenerates data/services.json from a services(5) file (default /etc/services, Debian's netbase).
// Usage: node scripts/gen-services.js [/etc/services] > data/services.json
import { readFileSync } from 'node:fs';

const source = process.argv[2] ?? '/etc/services';
const table = { tcp: {}, udp: {} };
for (const raw of readFileSync(source, 'utf8').split('\n')) {
  const line = raw.replace(/#.*/, '').trim();
  if (!line) continue;
  const [name, portProto] = line.split(/\s+/);
  const [port, proto] = (portProto ?? '').split('/');
  if (name && port && (proto === 'tcp' || proto === 'udp')) table[proto][port] ??= name;
}
const credit =
  'Port names from the IANA Service Name and Transport Protocol Port Number Registry, as curated in ' +
  "Debian's netbase package (/etc/services). Regenerate with scripts/gen-services.js.";
process.stdout.write(JSON.stringify({ credit, tcp: table.tcp, udp: table.udp }, null, 1) + '\n');
