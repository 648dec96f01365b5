// FS008: a database or cache port bound to every address (0.0.0.0 or ::). These speak to their
// applications, rarely to the world; exposed ones are how Redis, MongoDB, Elasticsearch and memcached
// installs get emptied, ransomed or used for amplification.
import type { Rule } from './rule.js';
import { findingOf, listeningSockets, protoGroup, socketLine } from './finding-of.js';
import { bindScopeOf } from '../merge/listeners.js';
import { commandLine } from './process-kinds.js';

/** `proto/port` → what usually listens there. */
export const DATASTORE_PORTS: ReadonlyMap<string, string> = new Map([
  ['tcp/1433', 'Microsoft SQL Server'], ['tcp/1521', 'Oracle'], ['tcp/2379', 'etcd'], ['tcp/3306', 'MySQL/MariaDB'],
  ['tcp/5432', 'PostgreSQL'], ['tcp/5984', 'CouchDB'], ['tcp/6379', 'Redis'], ['tcp/6380', 'Redis'], ['tcp/26379', 'Redis Sentinel'],
  ['tcp/7474', 'Neo4j'], ['tcp/8086', 'InfluxDB'], ['tcp/8529', 'ArangoDB'], ['tcp/9042', 'Cassandra'], ['tcp/9200', 'Elasticsearch/OpenSearch'],
  ['tcp/9300', 'Elasticsearch transport'], ['tcp/11211', 'memcached'], ['udp/11211', 'memcached'], ['tcp/27017', 'MongoDB'],
  ['tcp/27018', 'MongoDB'], ['tcp/27019', 'MongoDB'], ['tcp/28015', 'RethinkDB'], ['tcp/50000', 'Db2'], ['tcp/8983', 'Solr'], ['tcp/2181', 'ZooKeeper'],
]);

export const datastoreOnAllAddresses: Rule = {
  id: 'FS008',
  name: 'datastore-on-all-addresses',
  severity: 'medium',
  summary: 'A database or cache port (3306, 5432, 6379, 9200, 11211, 27017 …) is bound to every address.',
  explanation:
    'Databases and caches serve their applications, usually on the same host or a private network. Bound to 0.0.0.0 or ::, they answer on every interface, the public one too, unless a firewall (which fleetstat cannot see) stops it. Bind them to loopback or the private address.',
  exception: 'A policy `allowed` entry does not silence it; a waiver for FS008 naming the host and port does, with its justification (e.g. "firewalled, replica network only").',
  check(host, context) {
    return listeningSockets(host).flatMap((socket) => {
      if (socket.local === null || !('address' in socket.local) || bindScopeOf(socket.local.address) !== 'all') return [];
      const what = DATASTORE_PORTS.get(`${protoGroup(socket.proto)}/${socket.local.port}`);
      if (what === undefined) return [];
      const holders = socket.processes.length > 0 ? socket.processes : [null];
      // one finding per listener: its first holder names it (prefork servers share one socket)
      const holder = holders[0] ?? null;
      return [findingOf(this, host, context, { socket, holder, message: `${what} port ${socket.local.port} is bound to every address (${socketLine(socket)})`, evidence: holder ? commandLine(holder) : socketLine(socket) })];
    });
  },
};
