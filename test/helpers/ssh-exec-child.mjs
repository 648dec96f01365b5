// Runs one SSH exec with the built transport (dist/) in a process of its own and prints how it ended,
// then lets the event loop drain: the parent measures when this process exits on its own (a socket or
// timer left behind keeps it alive). Argument: JSON {port, hostKeyHex, clientKey, deadlineMs, connectTimeoutMs}.
import { JumpPool, sshTransport } from '../../dist/transport/ssh.js';
import { DEFAULT_ALGORITHMS } from '../../dist/openssh/algorithms.js';

const args = JSON.parse(process.argv[2]);
const expected = Buffer.from(args.hostKeyHex, 'hex');
const endpoint = {
  host: '127.0.0.1',
  port: args.port,
  user: 'tester',
  label: '',
  hostKey: { algorithms: ['ssh-ed25519'], verify: (blob) => (blob.equals(expected) ? { accept: true } : { accept: false, reason: 'mismatch' }) },
  auth: [{ type: 'publickey', key: Buffer.from(args.clientKey), source: 'test' }],
  algorithms: { kex: [...DEFAULT_ALGORITHMS.kex], cipher: [...DEFAULT_ALGORITHMS.cipher], mac: [...DEFAULT_ALGORITHMS.mac] },
  connectTimeoutMs: args.connectTimeoutMs,
  keepaliveIntervalMs: 0,
  keepaliveCountMax: 3,
};
const jumps = new JumpPool();
const transport = sshTransport(endpoint, jumps);
const started = Date.now();
try {
  const result = await transport.exec('sh -s', Buffer.from(''), { deadlineMs: args.deadlineMs, maxBytes: 1 << 20 });
  console.log(JSON.stringify({ settledMs: Date.now() - started, timedOut: result.timedOut }));
} catch (error) {
  console.log(JSON.stringify({ settledMs: Date.now() - started, kind: error.kind ?? error.message }));
}
await transport.close();
await jumps.closeAll();
