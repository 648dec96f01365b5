// Acceptance for the transport's fault handling on real OpenSSH hosts (test/helpers/sshd-fleet.ts):
// a jump connection killed mid-scan costs only the targets using it at that moment, and later
// targets reconnect.
import { readFileSync } from 'node:fs';
import { REMOTE_COMMAND } from '../../src/capture/script.js';
import { JumpPool, sshTransport } from '../../src/transport/ssh.js';
import type { SshEndpoint } from '../../src/transport/ssh-endpoint.js';
import type { ExecResult } from '../../src/transport/transport.js';
import { fakeEndpoint } from '../helpers/fake-ssh.js';
import { describeIf } from '../helpers/requirements.js';
import { sshFleetMissing, startSshFleet, type SshFleet } from '../helpers/sshd-fleet.js';
import { signal, tcpSocketOwners, waitFor } from '../helpers/sshd-run.js';

const settle = (p: Promise<ExecResult>) => p.then((r) => r, (e: unknown) => e);

describeIf(sshFleetMissing(), 'transport faults on real OpenSSH hosts', () => {
  let fleet: SshFleet;
  beforeAll(async () => {
    fleet = await startSshFleet({ hosts: 3 });
  }, 60_000);
  afterAll(async () => {
    await fleet?.stop();
  });

  /** An endpoint of the fleet as root with its ed25519 key, the fleet's host keys accepted. */
  function endpoint(address: string, overrides: Partial<SshEndpoint> = {}): SshEndpoint {
    const known = fleet.hostKeys.map((k) => Buffer.from(k.publicKey.split(/\s+/)[1]!, 'base64'));
    return fakeEndpoint(fleet.port, {
      host: address,
      user: 'root',
      hostKey: { verify: (blob) => (known.some((k) => k.equals(blob)) ? { accept: true } : { accept: false, reason: 'not a fleet key' }) },
      auth: [{ type: 'publickey', key: readFileSync(fleet.keys.ed25519.path), source: fleet.keys.ed25519.path }],
      connectTimeoutMs: 20_000,
      ...overrides,
    });
  }
  const viaJump = (index: number) => endpoint(fleet.hosts[index]!.address, { via: endpoint(fleet.jump.address, { label: 'jump host jump' }) });

  test('a jump connection killed mid-scan costs only the target using it; a direct host is untouched; later targets reconnect', async () => {
    const jumps = new JumpPool();
    const connectionsBefore = await fleet.connectionsTo('jump');
    const limits = { deadlineMs: 30_000, maxBytes: 1 << 20 };
    const started = Date.now();
    const throughJump = settle(sshTransport(viaJump(0), jumps).exec(REMOTE_COMMAND, Buffer.from('echo started; sleep 25\n'), limits));
    const direct = settle(sshTransport(endpoint(fleet.hosts[2]!.address), jumps).exec(REMOTE_COMMAND, Buffer.from('sleep 3; echo fine\n'), limits));
    // the target's command runs: its session went through the jump host
    await waitFor('the command on host1', async () => ((await fleet.sessionsOn(0)) > 0 ? true : undefined), 20_000).catch(async (e: Error) => {
      const early = await Promise.race([throughJump, new Promise((r) => setTimeout(() => r('still running'), 100))]);
      throw new Error(`${e.message}; the exec: ${early instanceof Error ? early.message : JSON.stringify(early)}`);
    });
    const jumpSession = await waitFor('the jump host\'s sshd session', async () => {
      const owners = await tcpSocketOwners(fleet.jump.address, fleet.port);
      return owners.length > 0 ? owners : undefined;
    }, 5000);
    for (const pid of jumpSession) signal(pid, 'SIGKILL');

    const lost = await throughJump;
    expect(Date.now() - started).toBeLessThan(20_000); // its connection went with the jump, not at its deadline
    expect(lost).toMatchObject({ exitCode: null, timedOut: false });
    expect(await direct).toMatchObject({ exitCode: 0, stdout: Buffer.from('fine\n') });

    const later = await settle(sshTransport(viaJump(1), jumps).exec(REMOTE_COMMAND, Buffer.from('echo later\n'), limits));
    expect(later).toMatchObject({ exitCode: 0, stdout: Buffer.from('later\n') });
    expect((await fleet.connectionsTo('jump')) - connectionsBefore).toBe(2);
    await jumps.closeAll();
  }, 60_000);
});
