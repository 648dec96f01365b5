// The fleet's budget for output in flight: hosts flooding output wait for each other instead of all
// holding --max-bytes at once, and the fleet never deadlocks on it. Real processes (sh) flood real
// pipes through the local transport; the budget's own peak says what was held.
import { localTransport } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/transport.js';
import { OutputBudget } from '../../src/transport/output-budget.js';
import { runFleet, type EndedHost, type FleetHost } from '../../src/scan/fleet.js';
import type { HostSpec } from '../../src/model/index.js';

const MiB = 1024 * 1024;

function fleetOf(count: number): FleetHost[] {
  return Array.from({ length: count }, (_, index) => ({ index, spec: { name: `flood${index}`, address: '127.0.0.1', groups: [], connection: 'local', become: false } satisfies HostSpec }));
}

/** The local transport, flooding `bytes` of output instead of running the collection. */
function flooding(bytes: number): Transport {
  const local = localTransport();
  return { exec: (command, _input, l) => local.exec(command, Buffer.from(`head -c ${bytes} /dev/zero\n`), l), close: local.close };
}

describe('the budget for output in flight', () => {
  test('unit: past the limit only the first host to find it spent goes on; a release lets the others go', async () => {
    const budget = new OutputBudget(100);
    const [a, b, c] = [budget.allowance(), budget.allowance(), budget.allowance()];
    expect(a.took(60)).toBe(true);
    expect(b.took(60)).toBe(true); // over: b is the one that may overdraw
    expect(c.took(10)).toBe(false);
    expect(b.took(1000)).toBe(true);
    const woken = c.room();
    b.release();
    await woken;
    expect(budget.used).toBe(70);
    expect(c.took(10)).toBe(true); // back under the limit
    a.release();
    c.release();
    // c's refused chunk had arrived: it counts
    expect([budget.used, budget.overdrawn, budget.peak]).toEqual([0, null, 1130]);
  });

  test('12 hosts flooding 8 MiB each under a 4 MiB budget: all complete, far less held at once', async () => {
    const hosts = 12;
    const each = 8 * MiB;
    const budget = new OutputBudget(4 * MiB);
    const ended: EndedHost[] = [];
    await runFleet(fleetOf(hosts), {
      concurrency: hosts,
      limits: { deadlineMs: 60_000, maxBytes: 16 * MiB },
      budget,
      transportFor: () => flooding(each),
      onHostEnded: (host) => void ended.push(host),
    });
    expect(ended).toHaveLength(hosts);
    for (const { outcome } of ended) {
      expect(outcome.kind).toBe('ran');
      if (outcome.kind === 'ran') expect([outcome.exec.stdout.length, outcome.exec.truncated, outcome.exec.timedOut]).toEqual([each, false, false]);
    }
    // without the budget every host holds its 8 MiB at once (96 MiB); with it: the budget, one host
    // past it, and at most a pipe's chunk per paused host
    expect(budget.peak).toBeLessThanOrEqual(4 * MiB + each + hosts * 64 * 1024);
    expect(budget.peak).toBeLessThan(hosts * each);
    expect(budget.used).toBe(0);
  }, 90_000);
});

test('a host that ends while paused is never the one the others wait for', async () => {
  const budget = new OutputBudget(100);
  const [a, b, c] = [budget.allowance(), budget.allowance(), budget.allowance()];
  a.took(150); // a may overdraw
  expect(b.took(10)).toBe(false);
  void b.room();
  b.release(); // b's host timed out while paused
  expect(c.took(10)).toBe(false);
  const cGoes = c.room();
  a.release();
  await cGoes; // c, not the ended b, goes on
  expect(budget.overdrawn).toBe(null); // back under the limit: no one needs to overdraw
});
