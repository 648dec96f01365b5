// A process on the scanned host names itself with terminal escapes and a bidi override, and puts them
// in its command line: no output format lets one through raw (`cat sockets.csv` must not retitle the
// terminal), and each still says what was there.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fleetstat, localInventory } from '../helpers/run-cli.js';

const NAME = '\x1b]0;pwn\x07\u202e'; // OSC "set title", BEL, RIGHT-TO-LEFT OVERRIDE: 8 bytes of comm's 15
const ARG = 'x\x1b[2J\u009b31m\r\n';
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

let child: ChildProcess;
let port: number;

beforeAll(async () => {
  const script = `
    require('fs').writeFileSync('/proc/self/comm', ${JSON.stringify(NAME)});
    const server = require('net').createServer().listen(0, '127.0.0.1', () => console.log(server.address().port));
  `;
  child = spawn(process.execPath, ['-e', script, ARG], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout!, 'data');
  port = Number(String(line).trim());
});
afterAll(() => {
  child.kill();
});

const scan = (...args: string[]) => fleetstat(['scan', localInventory, '-t', '-l', ...args]);

test('the table shows the escapes, never the characters', () => {
  const { stdout } = scan();
  expect(stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
  const row = stdout.split('\n').find((l) => l.includes(`127.0.0.1:${port} `));
  expect(row).toMatch(new RegExp(`${child.pid}/\\\\x1b\\]0;pwn\\\\x07\\\\u202e$`));
});

test('the CSV shows the same escapes (and the command line\'s CR LF as \\r\\n: one record, one line)', () => {
  const { stdout } = scan('--format', 'csv');
  expect(stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
  const row = stdout.split('\n').find((l) => l.includes(`,127.0.0.1,${port},`));
  expect(row).toContain(`,${child.pid},\\x1b]0;pwn\\x07\\u202e,`);
  expect(row).toContain('x\\x1b[2J\\x9b31m\\r\\n');
});

test('the JSON escapes them as \\u sequences and keeps the exact bytes', () => {
  const { stdout } = scan('--json');
  expect(stdout.replace(/\n/g, '')).not.toMatch(UNSAFE);
  const socket = JSON.parse(stdout).hosts[0].sockets.find((s: { local: { port: number } }) => s.local.port === port);
  expect(socket.processes[0].name).toBe(NAME);
  expect(socket.processes[0].cmdline).toContain(ARG);
});
