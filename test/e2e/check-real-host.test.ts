// `fleetstat check inventory/local.yml --json` on this machine: real processes started here, on
// loopback only, collected for real (capture format 3: exe links, fd numbers) and judged by the
// built-in rules. The machine is busy with other processes and sockets: only the findings about the
// pids this test starts are read, and for each of them exactly which rules fire.
//
// FS002 is shown with socat, not `busybox nc -l -p PORT -e /bin/sh`: busybox's nc has -e, but its -l
// takes no local address and binds 0.0.0.0, which the network rule forbids.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Finding, FindingsResult } from '../../src/model/finding.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { fleetstat, localInventory, type CliRun } from '../helpers/run-cli.js';
import { schemaErrors } from '../helpers/schema.js';
import { startZoo, type Zoo } from '../helpers/socket-zoo.js';
import { childrenOf, signal, waitFor } from '../helpers/sshd-run.js';
import { refusedPort } from '../helpers/tarpit.js';

const missing = [...(hasCommand('python3') ? [] : ['python3']), ...(hasCommand('socat') ? [] : ['socat'])];

// python3 programs, one line each (they are the evidence): a loopback listener that prints its port
const LISTEN = 'import os, socket, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8); print(s.getsockname()[1], s.fileno(), flush=True)';
const LISTEN_AND_WAIT = `${LISTEN}; time.sleep(600)`;
// ...that becomes a shell whose child holds the socket too (`; :` keeps sh from exec'ing sleep itself)
const LISTEN_THEN_SH = `${LISTEN}; s.set_inheritable(True); os.dup2(os.open(os.devnull, os.O_WRONLY), 1); os.execvp("sh", ["sh", "-c", "sleep 600; :"])`;
// IEEE 802's local experimental ethertype, on lo only: a packet socket that sees none of the machine's traffic
const ETHERTYPE = 0x88b5;
const PACKET = `import socket, time; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(${ETHERTYPE})); s.bind(("lo", ${ETHERTYPE})); print(s.fileno(), flush=True); time.sleep(600)`;

/** What a finding says about one of the test's processes, compared whole. */
const brief = (f: Finding) => ({ rule: f.ruleId, severity: f.severity, proto: f.subject.proto, address: f.subject.address, port: f.subject.port, message: f.message });

function fdLinks(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return ''; // closed meanwhile
      }
    });
  } catch {
    return []; // gone
  }
}

/** `socket:[inode]` of a listening TCP socket on `port` that `pid` holds, from this machine's /proc; undefined when none. */
function heldListener(pid: number, port: number): string | undefined {
  const localPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const links = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(localPort) && f[3] === '0A')
    .map((f) => `socket:[${f[9]}]`);
  const held = fdLinks(pid);
  return links.find((link) => held.includes(link));
}

const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

describeIf(missing, 'check on this machine: the built-in rules over a real collection', () => {
  const children: ChildProcess[] = [];
  const extraPids: number[] = [];
  let scratchDir: string;
  let tmpDir: string;
  let server: net.Server;
  let client: net.Socket;
  let zoo: Zoo;
  let run: CliRun;
  let result: FindingsResult;

  /** Starts a command and reads the first line it prints (the port it got, an fd number). */
  async function startPrinting(file: string, args: string[]): Promise<{ pid: number; words: string[] }> {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${file} ${args.join(' ')}: printed nothing in 20 s: ${stderr}`)), 20_000);
      createInterface({ input: child.stdout! }).once('line', (l) => (clearTimeout(timer), resolve(l)));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${file} exited early (${code}): ${stderr}`))));
    });
    return { pid: child.pid!, words: line.trim().split(' ') };
  }

  const started = {} as {
    sh: { pid: number; port: number; sleepPid: number };
    socat: { pid: number; port: number; args: string[] };
    inline: { pid: number; port: number };
    file: { pid: number; port: number };
    stdin: { pid: number; localPort: number; serverPort: number };
    deleted: { pid: number; port: number; exe: string; cwd: string };
    packet?: { pid: number };
  };

  beforeAll(async () => {
    scratchDir = mkdtempSync(join(tmpdir(), 'fleetstat-check-host-'));

    // FS001: a shell holding a listener it inherited; its sleep child holds it by the same fd
    const sh = await startPrinting('python3', ['-c', LISTEN_THEN_SH]);
    const [shPort, shFd] = sh.words.map(Number) as [number, number];
    const sleepPid = await waitFor('sh and its sleep child', async () => {
      if (comm(sh.pid) !== 'sh') return undefined;
      const sleeper = (await childrenOf(sh.pid)).find((c) => c.comm === 'sleep');
      return sleeper?.pid;
    }, 10_000);
    extraPids.push(sleepPid);
    const link = heldListener(sh.pid, shPort);
    expect(link).toBeDefined();
    expect([readlinkSync(`/proc/${sh.pid}/fd/${shFd}`), readlinkSync(`/proc/${sleepPid}/fd/${shFd}`)]).toEqual([link, link]);
    started.sh = { pid: sh.pid, port: shPort, sleepPid };

    // FS002: socat listening on loopback, running a shell for whoever connects (nobody does)
    const socatPort = await refusedPort();
    const socatArgs = [`TCP4-LISTEN:${socatPort},bind=127.0.0.1,reuseaddr`, 'EXEC:/bin/sh'];
    const socat = spawn('socat', socatArgs, { stdio: 'ignore', cwd: '/' });
    children.push(socat);
    await waitFor('socat listening', () => heldListener(socat.pid!, socatPort), 10_000);
    started.socat = { pid: socat.pid!, port: socatPort, args: socatArgs };

    // FS003: python3 -c listening; and its negative, python3 running a script file
    const inline = await startPrinting('python3', ['-c', LISTEN_AND_WAIT]);
    started.inline = { pid: inline.pid, port: Number(inline.words[0]) };
    const script = join(scratchDir, 'serve.py');
    writeFileSync(script, `${LISTEN_AND_WAIT}\n`);
    const file = await startPrinting('python3', [script]);
    started.file = { pid: file.pid, port: Number(file.words[0]) };

    // FS005: a process whose stdin is a TCP connection to a loopback listener of this test
    server = net.createServer((accepted) => accepted.on('error', () => {}));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const serverPort = (server.address() as net.AddressInfo).port;
    client = net.connect(serverPort, '127.0.0.1');
    await once(client, 'connect');
    const stdinChild = spawn('sleep', ['600'], { stdio: [client, 'ignore', 'ignore'] });
    children.push(stdinChild);
    await once(stdinChild, 'spawn');
    started.stdin = { pid: stdinChild.pid!, localPort: client.localPort!, serverPort };

    // FS006: a listener run from a copy of node in a /tmp directory, the copy deleted once it runs
    tmpDir = realpathSync(mkdtempSync('/tmp/fleetstat-check-exe-'));
    const copy = join(tmpDir, 'node-copy');
    copyFileSync(process.execPath, copy);
    zoo = await startZoo([{ kind: 'tcp-listen', host: '127.0.0.1' }], { node: copy, cwd: tmpDir });
    rmSync(copy);
    started.deleted = { pid: zoo.pid, port: zoo.ports[0]!.listen!, exe: copy, cwd: tmpDir };

    // FS007 (root only): python3 -c holding an AF_PACKET socket
    if (isRoot) started.packet = { pid: (await startPrinting('python3', ['-c', PACKET])).pid };

    run = fleetstat(['check', localInventory, '--json'], { timeoutMs: 240_000 });
    result = JSON.parse(run.stdout) as FindingsResult;
  }, 300_000);

  afterAll(async () => {
    for (const pid of extraPids) signal(pid, 'SIGKILL');
    for (const child of children) if (child.pid !== undefined) signal(child.pid, 'SIGKILL');
    client?.destroy();
    server?.close();
    await zoo?.stop();
    for (const dir of [scratchDir, tmpDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const findingsOf = (pid: number) => result.findings.filter((f) => f.subject.process?.pid === pid);
  const ourPids = () => [started.sh.pid, started.sh.sleepPid, started.socat.pid, started.inline.pid, started.file.pid, started.stdin.pid, started.deleted.pid, ...(started.packet ? [started.packet.pid] : [])];

  test('the machine was checked: one host, the findings schema, exit 1 (findings)', () => {
    expect(run.stderr).not.toMatch(/error/i);
    expect(schemaErrors(result, 'findings')).toEqual([]);
    expect(result.hostsChecked.map((h) => h.host)).toEqual(['localhost']);
    expect(result.unchecked).toEqual([]);
    expect(run.status).toBe(1);
  });

  test('FS001: the shell holding an inherited listener is high; its sleep child, holding the same socket, has no finding', () => {
    const { pid, port, sleepPid } = started.sh;
    expect(findingsOf(pid).map(brief)).toEqual([{ rule: 'FS001', severity: 'high', proto: 'tcp', address: '127.0.0.1', port, message: `shell sh (pid ${pid}) listens on tcp 127.0.0.1:${port}` }]);
    expect(findingsOf(pid)[0]!.evidence).toBe('sh -c sleep 600; :');
    expect(findingsOf(sleepPid)).toEqual([]);
  });

  test('FS002: socat listening with EXEC: is high', () => {
    const { pid, port, args } = started.socat;
    expect(findingsOf(pid).map(brief)).toEqual([
      { rule: 'FS002', severity: 'high', proto: 'tcp', address: '127.0.0.1', port, message: `socat (pid ${pid}) listens on tcp 127.0.0.1:${port} and runs a program for each connection` },
    ]);
    expect(findingsOf(pid)[0]!.evidence).toBe(['socat', ...args].join(' '));
  });

  test('FS003: python3 -c listening is medium; python3 running a script file has no finding', () => {
    const { pid, port } = started.inline;
    expect(findingsOf(pid).map(brief)).toEqual([{ rule: 'FS003', severity: 'medium', proto: 'tcp', address: '127.0.0.1', port, message: `python3 (pid ${pid}) runs an inline program (-c) and listens on tcp 127.0.0.1:${port}` }]);
    expect(findingsOf(pid)[0]!.subject.process!.cmdline.slice(1)).toEqual(['-c', LISTEN_AND_WAIT]);
    // the file's listener is there (the collection saw it) and judged: nothing to say
    expect(heldListener(started.file.pid, started.file.port)).toBeDefined();
    expect(findingsOf(started.file.pid)).toEqual([]);
  });

  test('FS005: a process whose stdin is a loopback TCP connection is high (fd 0 came through the capture)', () => {
    const { pid, localPort, serverPort } = started.stdin;
    expect(findingsOf(pid).map(brief)).toEqual([
      { rule: 'FS005', severity: 'high', proto: 'tcp', address: '127.0.0.1', port: localPort, message: `sleep (pid ${pid}) has tcp 127.0.0.1:${localPort} -> 127.0.0.1:${serverPort} as its stdin` },
    ]);
    expect(findingsOf(pid)[0]!.subject.remote).toEqual({ address: '127.0.0.1', port: serverPort });
  });

  test('FS006: a listener run from a deleted copy in /tmp is high, with the exe link and cwd as evidence', () => {
    const { pid, port, exe, cwd } = started.deleted;
    expect(exe.startsWith('/tmp/')).toBe(true);
    expect(findingsOf(pid).map(brief)).toEqual([
      { rule: 'FS006', severity: 'high', proto: 'tcp', address: '127.0.0.1', port, message: `node-copy (pid ${pid}) listens on tcp 127.0.0.1:${port} and runs from /tmp, since deleted` },
    ]);
    expect(findingsOf(pid)[0]!.evidence).toBe(`exe ${exe} (deleted), cwd ${cwd}`);
    expect(findingsOf(pid)[0]!.subject.process!.exe).toBe(exe);
  });

  test('loopback only: no FS008 or FS010 (nor FS004, FS009) for any process of the test', () => {
    const pids = new Set(ourPids());
    const ours = result.findings.filter((f) => pids.has(f.subject.process?.pid ?? -1));
    expect(ours.filter((f) => ['FS004', 'FS008', 'FS009', 'FS010'].includes(f.ruleId))).toEqual([]);
    expect(ours.map((f) => f.ruleId).sort()).toEqual(['FS001', 'FS002', 'FS003', 'FS005', 'FS006', ...(started.packet ? ['FS007'] : [])]);
  });

  describeIf(isRoot ? [] : ['root (an AF_PACKET socket)'], 'as root', () => {
    test('FS007: python3 -c holding an AF_PACKET socket is medium (and not FS003: it listens on no port)', () => {
      const { pid } = started.packet!;
      const ifindex = Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8'));
      expect(findingsOf(pid).map(brief)).toEqual([
        { rule: 'FS007', severity: 'medium', proto: 'packet', address: null, port: null, message: `python3 (pid ${pid}) holds a packet socket (raw, ethertype 0x${ETHERTYPE.toString(16)}, ifindex ${ifindex})` },
      ]);
    });
  });
});
