// One process of the simulated fleet (bench/sim-fleet.ts starts a few): an ssh2 `Server` per virtual
// host, each on its own loopback address, all with one host key. On `sh -s` it answers with a recorded
// capture, re-marked with the marker line the client sent (stdin's first line, `M=<marker>`), exit 0.
// No shell runs: the host's side costs only SSH and the bytes, so the client is what is measured.
//
// argv[2]: a JSON file { hostKeyFile, captures: { name: file }, listeners: [{ address, capture }] }.
// A capture file is as scripts/capture-fixture.sh saves it: `marker <M>`, then the collection's stdout.
// Prints one line `{"ports":[…]}` (one port per listener, in order) once every listener is up; exits
// when its stdin ends (the bench's end, or the bench dying).
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const { Server } = ssh2;
const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const hostKey = readFileSync(config.hostKeyFile);
/** the first line of stdin, at most this long: `M=FLEETSTAT` + 32 hex digits */
const MAX_MARKER_LINE = 256;

/** A capture cut at each of its marker's places: the answer is the pieces joined by the client's marker. */
function loadCapture(file) {
  const bytes = readFileSync(file);
  const newline = bytes.indexOf(10);
  const marker = bytes.subarray(0, newline).toString('utf8').replace(/^marker /, '');
  const stdout = bytes.subarray(newline);
  const pieces = [];
  for (let from = 0; ; ) {
    const at = stdout.indexOf(marker, from);
    pieces.push(stdout.subarray(from, at === -1 ? undefined : at));
    if (at === -1) break;
    from = at + marker.length;
  }
  return pieces;
}

const captures = Object.fromEntries(Object.entries(config.captures).map(([name, file]) => [name, loadCapture(file)]));

function remarked(pieces, marker) {
  const mark = Buffer.from(marker, 'utf8');
  const parts = [];
  pieces.forEach((piece, i) => {
    if (i > 0) parts.push(mark);
    parts.push(piece);
  });
  return Buffer.concat(parts);
}

/** Answers one exec: waits for the client's stdin to end (it sends the marker line, then the script). */
function answer(stream, command, pieces) {
  if (command !== 'sh -s') {
    stream.stderr.write(`simulated host: only "sh -s" runs here, not ${JSON.stringify(command).slice(0, 80)}\n`);
    stream.exit(127);
    stream.end();
    return;
  }
  let head = '';
  stream.on('data', (chunk) => {
    if (head.length < MAX_MARKER_LINE && !head.includes('\n')) head += chunk.toString('latin1').slice(0, MAX_MARKER_LINE);
  });
  stream.on('end', () => {
    const marker = /^M=(FLEETSTAT[0-9a-f]+)\n/.exec(head)?.[1];
    if (!marker) {
      stream.stderr.write('simulated host: stdin did not start with a marker line\n');
      stream.exit(2);
    } else {
      stream.write(remarked(pieces, marker));
      stream.exit(0);
    }
    stream.end();
  });
}

function listen({ address, capture }) {
  const pieces = captures[capture];
  if (!pieces) throw new Error(`no capture named ${capture}`);
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => ctx.accept());
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => answer(acceptExec(), info.command, pieces));
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve(server.address().port));
  });
}

const ports = [];
for (const listener of config.listeners) ports.push(await listen(listener));
process.stdout.write(`${JSON.stringify({ ports })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
