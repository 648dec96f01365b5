// The zoo's tcp-many kind (test/helpers/socket-zoo.ts), which the scale bench's 10k-socket host uses:
// the connections really are ESTABLISHED, and past the usual fd soft limit the zoo still opens them all.
import { readFileSync } from 'node:fs';
import { startZoo } from '../helpers/socket-zoo.js';
import { hasCommand } from '../helpers/requirements.js';
import { run } from '../helpers/sshd-run.js';

const missing = ['ss', 'prlimit'].filter((c) => !hasCommand(c));

(missing.length === 0 ? describe : describe.skip)('socket zoo: tcp-many', () => {
  test('N connections to one listener: 2N ESTABLISHED ends and the listener, fd limit raised past 1024', async () => {
    const connections = 700; // 1401 sockets: more than a 1024 soft limit allows
    const zoo = await startZoo([{ kind: 'tcp-many', connections }]);
    try {
      const port = zoo.ports[0]!.listen!;
      // only this listener's port: other sockets on the machine do not count
      const ss = await run('ss', ['-tanH', 'state', 'established', `( sport = :${port} or dport = :${port} )`]);
      expect(ss.stdout.split('\n').filter((l) => l !== '').length).toBe(2 * connections);
      const listening = await run('ss', ['-tlnH', `( sport = :${port} )`]);
      expect(listening.stdout).toContain(`127.0.0.1:${port}`);
      const limit = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${zoo.pid}/limits`, 'utf8'));
      expect(Number(limit?.[1])).toBeGreaterThanOrEqual(2 * connections + 1);
    } finally {
      await zoo.stop();
    }
  });
});
