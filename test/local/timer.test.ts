// Timeouts longer than a Node timer holds (2^31-1 ms) used to become 1 ms: every host "timed out".
import { MAX_TIMER_MS, MAX_TIMER_SECONDS, timerMs } from '../../src/local/timer.js';
import { configFromText } from '../../src/openssh/config/index.js';
import { sshConfigLookup } from '../../src/transport/index.js';
import { planConnection } from '../../src/transport/plan.js';

describe('timers', () => {
  test('the longest timeout a timer holds', () => {
    expect([MAX_TIMER_MS, MAX_TIMER_SECONDS]).toEqual([2147483647, 2147483]);
    expect([timerMs(10), timerMs(MAX_TIMER_SECONDS), timerMs(MAX_TIMER_SECONDS + 1), timerMs(1e12)]).toEqual([10_000, 2147483000, MAX_TIMER_MS, MAX_TIMER_MS]);
  });

  test("ssh_config's ConnectTimeout and ServerAliveInterval past it wait the longest a timer holds, not 1 ms", () => {
    const local = { localUser: 'me', homeDir: '/home/me' };
    const config = configFromText('Host *\n  ConnectTimeout 99999999\n  ServerAliveInterval 3000000\n', '/home/me/.ssh/config');
    const plan = planConnection({ name: 'web01', address: '127.0.0.1', groups: [], connection: 'ssh', become: false }, sshConfigLookup(config, local), local);
    expect([plan.connectTimeoutMs, plan.keepaliveIntervalMs]).toEqual([MAX_TIMER_MS, MAX_TIMER_MS]);
  });
});
