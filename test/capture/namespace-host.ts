// A throwaway "host" for collection tests: a fresh network + pid + mount namespace (unshare, as root)
// whose pid 1 is a Python driver that opens the sockets asked for, then runs the real collection
// script one or more times (as root or another uid, with an optional PATH, concurrently or not, over
// a real sshd or not) and hands back each run's raw output. Nothing in it can reach beyond its own
// loopback: the namespace has no other interface.
import { spawnSync } from 'node:child_process';
import { newMarker, scriptInput } from '../../src/capture/script.js';
import { splitCapture } from '../../src/capture/split.js';
import type { RawCapture } from '../../src/model/index.js';

export type HostSocket =
  | { kind: 'tcp-listen'; host: string }
  | { kind: 'udplite'; host: string }
  | { kind: 'icmp'; host: string } // a ping socket (ping_group_range is opened inside the namespace)
  | { kind: 'packet'; type: 'raw' | 'dgram'; ethertype: number; loopback: boolean }
  | { kind: 'netlink' } // in no /proc/net table the script reads: proto "other"
  | { kind: 'unix-listen'; path: string }
  /**
   * A unix socket whose name holds a newline followed by a forged /proc/net/unix row. `inode` says
   * which inode the forged row claims: a made-up one, the socket's own, the socket of entry `of`.
   * `name` is `@…` (abstract) or a file system path; `{row}` in it is replaced by the forged row.
   */
  | { kind: 'unix-forge'; name: string; inode: 'made-up' | 'zero' | 'own' | { of: number } };

export interface Collection {
  /** run the script as this uid (setpriv, no groups); default root */
  uid?: number;
  /** PATH for the script; default the system's */
  path?: string;
  /** run the script as root without CAP_SYS_PTRACE: fd links of non-dumpable processes are then unreadable */
  dropPtrace?: boolean;
  /** run the script over SSH: through this sshd's port, as root (`sh -s`) or with `sudo -n sh -s` */
  ssh?: { become: boolean };
}

export interface HostOptions {
  sockets?: HostSocket[];
  collections: Collection[];
  /** start all collections at once (default: one after the other) */
  concurrent?: boolean;
  /** a thread that opens and closes sockets without pause while the collections run */
  churn?: boolean;
  /** the driver (pid 1, holder of every test socket) makes itself non-dumpable (PR_SET_DUMPABLE 0) */
  nonDumpable?: boolean;
  /** a second network namespace with a process in it (for a netns reader) */
  secondNetns?: boolean;
  /** how many processes the second namespace has (default 1) */
  secondNetnsProcesses?: number;
  /** mount a fresh /proc with this hidepid= option first */
  hidepid?: string;
  /** sshd: its config file (made by the test), for collections with `ssh` */
  sshd?: { config: string; port: number; clientKey: string };
}

export interface SocketInfo {
  /** the socket's inode, as fstat gives it (the inode in /proc/net and in fd links) */
  inode: number;
  /** its port (tcp, udplite, icmp: the echo id), when it has one */
  port?: number;
  /** the forged row written into a name */
  forged?: string;
}

export interface HostRun {
  /** pid (inside the namespace) of the driver, which holds every test socket: always 1 */
  driverPid: number;
  sockets: SocketInfo[];
  runs: Array<{ status: number; capture: RawCapture; stderr: string }>;
}

const DRIVER = String.raw`
import base64, json, os, socket, subprocess, sys, threading, time
spec = json.loads(sys.argv[1])
script = sys.stdin.buffer.read()
subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
with open('/proc/sys/net/ipv4/ping_group_range', 'w') as f: f.write('0 2147483647')
if spec.get('hidepid'):
    subprocess.run(['mount', '-t', 'proc', '-o', 'hidepid=' + spec['hidepid'], 'proc', '/proc'], check=True)
keep, info = [], []
def row(inode):
    return '0000000000000000: 00000002 00000000 00010000 0001 01 %5d /run/docker.sock' % inode
for s in spec.get('sockets', []):
    k = s['kind']
    if k == 'tcp-listen':
        x = socket.socket(socket.AF_INET6 if ':' in s['host'] else socket.AF_INET, socket.SOCK_STREAM)
        x.bind((s['host'], 0)); x.listen(8)
    elif k == 'udplite':
        x = socket.socket(socket.AF_INET6 if ':' in s['host'] else socket.AF_INET, socket.SOCK_DGRAM, 136)
        x.bind((s['host'], 0))
    elif k == 'icmp':
        v6 = ':' in s['host']
        x = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
        x.bind((s['host'], 0))
    elif k == 'packet':
        x = socket.socket(socket.AF_PACKET, socket.SOCK_RAW if s['type'] == 'raw' else socket.SOCK_DGRAM, socket.htons(s['ethertype']))
        if s['loopback']: x.bind(('lo', s['ethertype']))
    elif k == 'netlink':
        x = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    elif k == 'unix-listen':
        x = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); x.bind(s['path']); x.listen(8)
    elif k == 'unix-forge':
        x = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        own = os.fstat(x.fileno()).st_ino
        claim = s['inode']
        inode = 9999900 + len(info) if claim == 'made-up' else 0 if claim == 'zero' else own if claim == 'own' else info[claim['of']]['inode']
        forged = row(inode)
        name = s['name'].replace('{row}', forged)
        if not name.startswith('@'): os.makedirs(os.path.dirname(name), exist_ok=True)  # the forged row's '/' make directories
        x.bind(('\0' + name[1:]) if name.startswith('@') else name); x.listen(8)
    keep.append(x)
    entry = {'inode': os.fstat(x.fileno()).st_ino}
    try:
        port = x.getsockname()[1]
        if isinstance(port, int): entry['port'] = port
    except Exception: pass
    if k == 'unix-forge': entry['forged'] = forged
    info.append(entry)
if spec.get('nonDumpable'):
    import ctypes
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
if spec.get('secondNetns'):
    extra = ' '.join(['sleep 600 &'] * (spec.get('secondNetnsProcesses', 1) - 1))
    keep.append(subprocess.Popen(['unshare', '--net', 'sh', '-c', extra + ' exec sleep 600']))
    time.sleep(0.2)
running = True
def churn():
    # batches of sockets opened and closed at once: an ls of /proc/1/fd/ is likely to see some vanish
    base = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    while running:
        batch = [os.dup(base.fileno()) for _ in range(1000)]
        for fd in batch: os.close(fd)
if spec.get('churn'): threading.Thread(target=churn, daemon=True).start()
sshd = None
if spec.get('sshd'):
    sshd = subprocess.Popen(['/usr/sbin/sshd', '-D', '-e', '-f', spec['sshd']['config']], stderr=subprocess.DEVNULL)
    for _ in range(200):
        try: socket.create_connection(('127.0.0.1', spec['sshd']['port']), timeout=1).close(); break
        except OSError: time.sleep(0.05)
def command(c):
    if c.get('ssh') is not None:
        remote = 'sudo -n sh -s' if c['ssh']['become'] else 'sh -s'
        return ['ssh', '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
                '-o', 'LogLevel=ERROR', '-i', spec['sshd']['clientKey'], '-p', str(spec['sshd']['port']), 'root@127.0.0.1', remote]
    # run by a shell of its own, as fleetstat runs it: whatever runs the collection holds the session's
    # sockets (marked collector), and the test sockets are the driver's, not the session's
    local = ['sh', '-c', 'sh -s; exit $?']
    if c.get('dropPtrace'):
        return ['setpriv', '--bounding-set=-sys_ptrace', *local]
    if c.get('uid') is not None:
        return ['setpriv', '--reuid=%d' % c['uid'], '--regid=%d' % c['uid'], '--clear-groups', *local]
    return local
def start(c):
    env = {'PATH': c.get('path') or '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin'}
    return subprocess.Popen(command(c), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd='/')
def finish(p):
    out, err = p.communicate(script)
    return {'status': p.returncode, 'stdout': base64.b64encode(out).decode(), 'stderr': err.decode(errors='replace')}
runs = []
if spec.get('concurrent'):
    procs = [start(c) for c in spec['collections']]
    results = [None] * len(procs)
    def wait(i): results[i] = finish(procs[i])
    threads = [threading.Thread(target=wait, args=(i,)) for i in range(len(procs))]
    for t in threads: t.start()
    for t in threads: t.join()
    runs = results
else:
    runs = [finish(start(c)) for c in spec['collections']]
running = False
if sshd: sshd.terminate(); sshd.wait()
for x in keep:
    if isinstance(x, subprocess.Popen): x.kill()
print(json.dumps({'driverPid': os.getpid(), 'sockets': info, 'runs': runs}))
`;

/** Runs the collection inside a fresh namespace host; every run's output split with its marker. */
export function runInNamespaceHost(options: HostOptions): HostRun {
  const marker = newMarker();
  const spec = { ...options, collections: options.collections };
  const run = spawnSync('unshare', ['--net', '--pid', '--fork', '--mount-proc', '--kill-child', 'python3', '-c', DRIVER, JSON.stringify(spec)], {
    input: scriptInput(marker),
    maxBuffer: 512 * 1024 * 1024,
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`namespace host failed (${run.status ?? run.signal}): ${run.stderr.toString()}`);
  const out = JSON.parse(run.stdout.toString()) as {
    driverPid: number;
    sockets: SocketInfo[];
    runs: Array<{ status: number; stdout: string; stderr: string }>;
  };
  return {
    driverPid: out.driverPid,
    sockets: out.sockets,
    runs: out.runs.map((r) => ({ status: r.status, stderr: r.stderr, capture: splitCapture(Buffer.from(r.stdout, 'base64'), marker) })),
  };
}

export const NAMESPACE_HOST_NEEDS = ['unshare', 'python3', 'ip', 'setpriv'];
