// Match blocks: host (after HostName), originalhost, user, localuser, all, negation, canonical
// and final (a second pass), checked against ssh -G; `Match exec` is never run.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { configFromText, resolveSshConfig, type SshTarget } from '../../../src/openssh/config/index.js';
import { describeIf, hasCommand } from '../../helpers/requirements.js';
import { fromResolved, fromSshG, sshG, type CommandLine } from './openssh.js';

const me = userInfo();
const base: SshTarget = { host: 'x', localUser: me.username, homeDir: me.homedir, env: {} };

const configs: Array<{ why: string; text: string; hosts: Array<[string, CommandLine?]>; port: Record<string, number | undefined> }> = [
  {
    why: 'Match host sees the HostName set before it, Match originalhost the name as typed',
    text: 'Host alias\n  HostName Real.Example.TEST\nMatch host real.example.test\n  Port 1001\nMatch originalhost ALIAS\n  Port 1002\n',
    hosts: [['alias'], ['real.example.test'], ['other']],
    port: { alias: 1001, 'real.example.test': 1001, other: undefined },
  },
  {
    why: 'negated criteria, several criteria, criteria=value',
    text: 'Match !host a*,b* user=' + me.username + '\n  Port 1003\nMatch host=a*\n  Port 1004\n',
    hosts: [['a1'], ['c1'], ['c1', { user: 'someone-else' }]],
    port: { a1: 1004, c1: 1003 },
  },
  {
    why: 'Match user sees -l, then User lines above it',
    text: 'Host u1\n  User alice\nMatch user alice\n  Port 1005\n',
    hosts: [['u1'], ['u2'], ['u2', { user: 'alice' }]],
    port: { u1: 1005, u2: undefined },
  },
  {
    why: 'Match localuser',
    text: `Match localuser ${me.username}\n  Port 1006\nMatch all\n  Port 1007\n`,
    hosts: [['x']],
    port: { x: 1006 },
  },
  {
    why: 'Match all, Match canonical all, !all',
    text: 'Host x\n  Port 1008\nMatch !all\n  Port 1009\nMatch canonical all\n  Port 1010\nMatch all\n  User everyone\n',
    hosts: [['x'], ['y']],
    port: { x: 1008, y: undefined },
  },
  {
    why: 'Match host x all: `all` after one criterion is allowed by 9.2',
    text: 'Match host x all\n  Port 1011\n',
    hosts: [['x'], ['y']],
    port: { x: 1011, y: undefined },
  },
  {
    why: 'without a final line there is one pass: canonical and final never match',
    text: 'Match canonical\n  Port 1012\nMatch !canonical\n  User first-pass\n',
    hosts: [['x']],
    port: { x: undefined },
  },
  {
    why: 'Match final asks for a second pass; canonical matches in it too; first-value-wins across passes',
    text: 'Match !final\n  User first-pass\nMatch final\n  User final-pass\n  ServerAliveCountMax 9\nMatch canonical\n  Port 1013\n',
    hosts: [['x']],
    port: { x: 1013 },
  },
  {
    why: 'in the final pass Host lines are matched against the resolved HostName',
    text: 'Host short\n  HostName Long.Example.Test\nHost long.example.test\n  Port 1014\nMatch final host nothing\n',
    hosts: [['short'], ['long.example.test']],
    port: { short: 1014, 'long.example.test': 1014 },
  },
  {
    why: 'a Match line ends at a comment',
    text: 'Match host x # user nobody\n  Port 1015\n',
    hosts: [['x']],
    port: { x: 1015 },
  },
];

describe('Match: written-out ports', () => {
  test.each(configs)('$why', ({ text, hosts, port }) => {
    for (const [host, cli] of hosts) {
      if (cli) continue;
      const r = resolveSshConfig(configFromText(text, 'cfg'), { ...base, host });
      expect([host, r.errors, r.port]).toEqual([host, [], port[host]]);
    }
  });

  test('a final pass keeps the first pass values and adds the final ones', () => {
    const r = resolveSshConfig(configFromText(configs[7]!.text, 'cfg'), base);
    expect([r.user, r.serverAliveCountMax, r.port]).toEqual(['first-pass', 9, 1013]);
  });
});

describeIf(hasCommand('ssh') ? [] : ['ssh (openssh-client)'], 'Match against ssh -G', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-sshmatch-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(configs)('$why', ({ text, hosts }) => {
    const file = join(dir, 'cfg');
    writeFileSync(file, text);
    for (const [host, cli] of hosts) {
      const g = sshG(file, host, cli);
      expect(g.status).toBe(0);
      const r = resolveSshConfig(configFromText(text, file), { ...base, host, ...cli });
      expect(fromResolved(r, me.username)).toEqual(fromSshG(g, host, me.homedir, me.username));
    }
  });
});

describe('Match exec is never run', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-sshexec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('neither `exec` nor `!exec`: a warning naming file:line, and the block does not apply', () => {
    const ran = join(dir, 'ran');
    const text = `Match exec "touch ${ran}"\n  Port 2001\nMatch !exec "touch ${ran}"\n  Port 2002\nHost *\n  User after\n`;
    const r = resolveSshConfig(configFromText(text, 'cfg'), base);
    expect(existsSync(ran)).toBe(false);
    expect(r.port).toBeUndefined();
    expect(r.user).toBe('after');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      `cfg:1: Match exec is never run by fleetstat ("touch ${ran}"): the block does not apply`,
      `cfg:3: Match exec is never run by fleetstat ("touch ${ran}"): the block does not apply`,
    ]);
  });

  test('no warning where OpenSSH would not have run it either (an earlier criterion failed)', () => {
    const r = resolveSshConfig(configFromText('Match host other exec "false"\n  Port 2003\n', 'cfg'), base);
    expect([r.port, r.warnings]).toEqual([undefined, []]);
  });

  test('criteria newer than OpenSSH 9.2: a warning, the block does not apply', () => {
    const r = resolveSshConfig(configFromText('Match localnetwork 10.0.0.0/8\n  Port 2004\nMatch tagged prod\n  Port 2005\n', 'cfg'), base);
    expect(r.port).toBeUndefined();
    expect(r.warnings).toEqual([
      expect.stringMatching(/^cfg:1: Match localnetwork is not supported/),
      expect.stringMatching(/^cfg:3: Match tagged is not supported/),
    ]);
  });
});
