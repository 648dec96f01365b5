// No file descriptors left (EMFILE) is this machine's problem: the run ends with one line and exit
// 16, instead of every host being reported "unreachable" or a crash. The limit is lowered for the
// fleetstat process alone (prlimit), and more hosts are scanned at once than it allows.
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { schemaErrors } from '../helpers/schema.js';
import { refusedPort } from '../helpers/tarpit.js';
import { fleetstat, scratch, stderrLines } from '../helpers/run-cli.js';

const { file } = scratch('emfile');
const HOSTS = 200;
// enough for node and fleetstat's modules, far too few for HOSTS connections or children at once
const lowLimit = { wrapper: ['prlimit', '--nofile=80:80'] };

function inventory(name: string, host: (i: number) => string): string {
  return file(name, `all:\n  hosts:\n${Array.from({ length: HOSTS }, (_, i) => host(i)).join('')}`);
}

describeIf(hasCommand('prlimit') ? [] : ['prlimit (util-linux)'], 'out of file descriptors', () => {
  test('connecting over SSH: exit 16, one line saying so, no host reported unreachable', async () => {
    const port = await refusedPort();
    const inv = inventory('ssh.yml', (i) => `    h${i}:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n`);
    const run = fleetstat(['scan', inv, '-F', 'none', '-j', String(HOSTS)], lowLimit);
    expect([run.status, run.stdout]).toEqual([16, '']);
    expect(stderrLines(run)).toEqual([
      `fleetstat: this process has no file descriptors left (EMFILE) while connecting to 127.0.0.1:${port}: raise the limit (ulimit -n) or lower --concurrency`,
    ]);
  });

  test('starting sh for local hosts, with --json: the error document, kind local', () => {
    const inv = inventory('local.yml', (i) => `    l${i}:\n      ansible_connection: local\n`);
    const run = fleetstat(['scan', inv, '-j', String(HOSTS), '--json'], lowLimit);
    expect(run.status).toBe(16);
    const doc = JSON.parse(run.stdout);
    expect(schemaErrors(doc, 'error')).toEqual([]);
    expect(doc.error).toEqual({
      kind: 'local',
      exitCode: 16,
      command: 'scan',
      message: 'this process has no file descriptors left (EMFILE) while starting sh: raise the limit (ulimit -n) or lower --concurrency',
    });
  });

  test('the same fleet within the limit (-j 4) is scanned', async () => {
    const port = await refusedPort();
    const inv = inventory('ssh-slow.yml', (i) => `    h${i}:\n      ansible_host: 127.0.0.1\n      ansible_port: ${port}\n`);
    const run = fleetstat(['scan', inv, '-F', 'none', '-j', '4', '--json'], lowLimit);
    expect(run.status).toBe(4);
    expect(new Set(JSON.parse(run.stdout).hosts.map((h: { status: string }) => h.status))).toEqual(new Set(['unreachable']));
  });
});
