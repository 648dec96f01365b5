// The bare-connection floor of the fleet bench: what any SSH client must pay to reach every host.
// Connects (with the repo's ssh2, at most CONCURRENCY at once) to each host of a JSON list written by
// bench/fleet-union.ts, checks the host key against the list (a byte compare: no client may skip it),
// authenticates with the host's key file, runs `true`, waits for its exit status, disconnects. Nothing
// else: no script, no parsing, no output. Exits 0 when every host ran `true` with status 0.
//
// usage: node bench/floor-client.mjs HOSTS.json [CONCURRENCY=64]
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const [hostsFile, concurrencyArg = '64'] = process.argv.slice(2);
if (!hostsFile) {
  process.stderr.write('usage: node bench/floor-client.mjs HOSTS.json [CONCURRENCY]\n');
  process.exit(2);
}
const hosts = JSON.parse(readFileSync(hostsFile, 'utf8'));
const concurrency = Number(concurrencyArg);
const TIMEOUT_MS = 30_000;
const keys = new Map(); // one read per key file, as any client caches it

function runTrue(host) {
  if (!keys.has(host.identityFile)) keys.set(host.identityFile, readFileSync(host.identityFile));
  const known = host.hostKeys.map((key) => Buffer.from(key.blob, 'base64'));
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let done = false;
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.end();
      resolve(error);
    };
    const timer = setTimeout(() => finish(`no exit status within ${TIMEOUT_MS} ms`), TIMEOUT_MS);
    client.on('error', (error) => finish(error.message));
    client.on('close', () => finish('connection closed before an exit status'));
    client.on('ready', () => {
      client.exec('true', (error, channel) => {
        if (error) return finish(error.message);
        channel.resume();
        channel.stderr.resume();
        channel.on('exit', (code, signal) => finish(code === 0 ? undefined : `exit ${code ?? signal}`));
      });
    });
    client.connect({
      host: host.address,
      port: host.port,
      username: host.user,
      privateKey: keys.get(host.identityFile),
      readyTimeout: TIMEOUT_MS,
      // synchronous: a returned Promise would count as "accept" in ssh2
      hostVerifier: (blob) => known.some((key) => key.equals(blob)),
    });
  });
}

let next = 0;
const failures = [];
async function worker() {
  while (next < hosts.length) {
    const host = hosts[next++];
    const error = await runTrue(host);
    if (error !== undefined) failures.push(`${host.name} (${host.address}:${host.port}): ${error}`);
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, hosts.length) }, worker));
for (const failure of failures) process.stderr.write(`floor: ${failure}\n`);
process.exitCode = failures.length === 0 ? 0 : 1;
