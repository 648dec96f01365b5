// Every path out of `fleetstat scan`, with and without --json, ends with the exit status the README's
// table gives it; with --json, stdout is always one JSON document: the scan, or the error.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { schemaErrors } from '../helpers/schema.js';
import { refusedPort } from '../helpers/tarpit.js';
import { fleetstat, localInventory, repo, scratch, stderrLines, type CliOptions } from '../helpers/run-cli.js';

const { file } = scratch('exit');

interface Path {
  name: string;
  args: () => Promise<string[]>;
  code: number;
  /** what --json prints: the scan result, an error of this kind, or nothing (stdout unwritable) */
  json: 'scan' | 'usage' | 'input' | 'local' | 'none';
  options?: () => CliOptions & { cleanup?: () => void };
}

const unreachableHost = async (name: string) => `    ${name}:\n      ansible_host: 127.0.0.1\n      ansible_port: ${await refusedPort()}\n`;
// a host whose ssh_config asks for a ProxyCommand: never contacted, status `config`
const proxyConfig = () => file('proxy_config', 'Host proxied\n  HostName 127.0.0.1\n  ProxyCommand nc %h %p\n');

const paths: Path[] = [
  { name: 'every host scanned', args: async () => ['scan', localInventory], code: 0, json: 'scan' },
  { name: 'a bad flag', args: async () => ['scan', localInventory, '--bogus'], code: 2, json: 'usage' },
  { name: 'a bad flag value', args: async () => ['scan', localInventory, '--command-timeout', '0'], code: 2, json: 'usage' },
  { name: 'an unknown command', args: async () => ['scna', localInventory], code: 2, json: 'usage' },
  { name: 'a missing inventory', args: async () => ['scan', `${repo}no-such-inventory.yml`], code: 2, json: 'input' },
  // a bad host variable costs that host alone status `config`; a file Ansible cannot read at all is input
  { name: 'an invalid inventory', args: async () => ['scan', file('bad.yml', 'all:\n  hosts:\n    h1: {\n')], code: 2, json: 'input' },
  { name: 'a missing -F ssh_config', args: async () => ['scan', localInventory, '-F', `${repo}no-such-config`], code: 2, json: 'input' },
  { name: 'an unreachable host', args: async () => ['scan', file('unreach.yml', `all:\n  hosts:\n${await unreachableHost('web01')}`), '-F', 'none'], code: 4, json: 'scan' },
  { name: 'a host that failed otherwise (config)', args: async () => ['scan', file('config.yml', 'all:\n  hosts:\n    proxied:\n'), '-F', proxyConfig()], code: 8, json: 'scan' },
  {
    name: 'both',
    args: async () => ['scan', file('both.yml', `all:\n  hosts:\n    proxied:\n${await unreachableHost('web01')}`), '-F', proxyConfig()],
    code: 12,
    json: 'scan',
  },
  {
    name: 'a local error (no file descriptors left)',
    args: async () => ['scan', file('many.yml', `all:\n  hosts:\n${Array.from({ length: 200 }, (_, i) => `    l${i}:\n      ansible_connection: local\n`).join('')}`), '-j', '200'],
    code: 16,
    json: 'local',
    options: () => ({ wrapper: ['prlimit', '--nofile=80:80'] }),
  },
  {
    name: 'stdout not writable (ENOSPC)',
    args: async () => ['scan', localInventory],
    code: 16,
    json: 'none',
    options: () => {
      const full = openSync('/dev/full', 'w');
      return { stdout: ['ignore', full, 'pipe'], cleanup: () => closeSync(full) };
    },
  },
];

describeIf(hasCommand('prlimit') ? [] : ['prlimit (util-linux)'], 'exit status', () => {
  test.each(paths.flatMap((p) => [[p.name, '', false, p] as const, [p.name, ' (--json)', true, p] as const]))('%s%s', async (_name, _label, json, path) => {
    const options = path.options?.() ?? {};
    try {
      // some paths scan this machine, which CI keeps busy (10k sockets): the default 30 s kill could end
      // one mid-scan on a loaded runner, and its SIGTERM path would then pass for the path tested
      const run = fleetstat([...(await path.args()), ...(json ? ['--json'] : [])], { timeoutMs: 180_000, ...options });
      expect([run.status, run.signal]).toEqual([path.code, null]);
      expect(run.stderr).not.toMatch(/\n\s+at /); // never a stack trace
      if (path.code === 2 || path.code === 16) expect(stderrLines(run).at(-1)).toMatch(/^fleetstat: /);
      if (!json || path.json === 'none') return;
      const doc = JSON.parse(run.stdout);
      if (path.json === 'scan') {
        expect(schemaErrors(doc)).toEqual([]);
      } else {
        expect(schemaErrors(doc, 'error')).toEqual([]);
        expect([doc.error.kind, doc.error.exitCode]).toEqual([path.json, path.code]);
      }
    } finally {
      options.cleanup?.();
    }
  }, 200_000);

  test("the README's table documents exactly the codes these paths end with (and 1, a bug)", () => {
    const readme = readFileSync(`${repo}README.md`, 'utf8');
    const section = readme.slice(readme.indexOf('## Exit status'), readme.indexOf('\n## ', readme.indexOf('## Exit status') + 1));
    const documented = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(documented.sort((a, b) => a - b)).toEqual([...new Set([1, ...paths.map((p) => p.code)])].sort((a, b) => a - b));
  });
});
