// What a host's row says when its output is not a capture: the real local transport runs another
// script in the collection's place (as a ForceCommand, a login shell that is not sh, or sudo refusing
// would), and the message says what came back — never "exit status 0" as if that were the failure.
import { localTransport } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/transport.js';
import { scanHost } from '../../src/scan/host.js';
import { bundledServices } from '../../src/merge/services.js';
import type { HostSpec } from '../../src/model/index.js';

const limits = { deadlineMs: 10_000, maxBytes: 1024 * 1024 };
const spec: HostSpec = { name: 'here', address: 'localhost', groups: [], connection: 'local', become: false };

/** The local transport running `script` instead of the collection; `marker` stands for the real one. */
function replacedBy(script: (marker: string) => string): Transport {
  const local = localTransport();
  return {
    exec: (command, input, l) => {
      const marker = /^M=(\S+)/.exec(input.toString('utf8'))?.[1] ?? 'none';
      return local.exec(command, Buffer.from(script(marker)), l);
    },
    close: local.close,
  };
}

const messageOf = async (script: (marker: string) => string) => {
  const scan = await scanHost(spec, replacedBy(script), limits, bundledServices());
  return [scan.status, scan.error?.message];
};

describe('a host whose output is not a capture', () => {
  test.each([
    ['a forced command that prints a banner', () => 'echo "This account is restricted"; echo more\n',
      ['exec', 'the output is not a fleetstat capture (no start marker; exit status 0): This account is restricted']],
    ['a command that prints nothing', () => 'exit 0\n',
      ['exec', 'the output is not a fleetstat capture (no start marker; exit status 0): it printed nothing']],
    ['sudo -n refusing', () => 'echo "sudo: a password is required" >&2; exit 1\n',
      ['exec', 'the collection failed before its first section (exit status 1): sudo: a password is required']],
    ['a capture that stops after its first section', (m: string) => `printf '\\n%s hostname -\\nh1\\n%s rc ok' ${m} ${m}; exit 0\n`,
      ['exec', 'the capture stops after 1 section, before its end marker (exit status 0)']],
    ['a script that dies half way', (m: string) => `printf '\\n%s hostname -\\nh1\\n%s rc ok' ${m} ${m}; echo "sh: 1: od: not found" >&2; exit 127\n`,
      ['exec', 'the capture stops after 1 section, before its end marker (exit status 127): sh: 1: od: not found']],
  ])('%s', async (_what, script, expected) => {
    expect(await messageOf(script)).toEqual(expected);
  });

  test('a deadline and the byte cap name the flag that sets them', async () => {
    const slow = await scanHost(spec, replacedBy(() => 'sleep 30\n'), { ...limits, deadlineMs: 1500 }, bundledServices());
    expect(slow.error?.message).toBe('the collection did not finish within 1.5 s (--command-timeout)');
    const flood = await scanHost(spec, replacedBy(() => 'while :; do echo x; done\n'), { ...limits, maxBytes: 4096 }, bundledServices());
    expect(flood.error?.message).toBe('the output passed the cap of 4096 bytes (--max-bytes); nothing was parsed');
  });
});
