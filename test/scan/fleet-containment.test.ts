// The fleet loop keeps whatever goes wrong on one host on that host's row, and a stop (Ctrl-C,
// SIGTERM, --deadline) still gives every host a row: finished hosts as they were, the rest
// interrupted. Real local collections (sh), no SSH: what is tested is the loop, not a transport.
import { localTransport } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/transport.js';
import { TransportError } from '../../src/transport/transport.js';
import { scanLive, type HostOutput } from '../../src/scan/scan-job.js';
import { buildHostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import type { HostScan, HostSpec } from '../../src/model/index.js';
import type { FleetHost } from '../../src/scan/fleet.js';

const limits = { deadlineMs: 20_000, maxBytes: 64 * 1024 * 1024 };
const everything = { listeningOnly: false, protocols: [], addressFamilies: [] };

function fleetOf(names: string[]): FleetHost[] {
  return names.map((name, index) => ({ index, spec: { name, address: '127.0.0.1', groups: [], connection: 'local', become: false } satisfies HostSpec }));
}

/** Rows by index, as an output receives them. */
function collecting(): HostOutput & { rows: HostScan[]; order: number[] } {
  const rows: HostScan[] = [];
  const order: number[] = [];
  return {
    rows,
    order,
    start: async () => {},
    host: async (index, scan) => {
      rows[index] = scan;
      order.push(index);
    },
    end: async () => {},
  };
}

/** The local transport, but running `script` instead of the collection (`sleep 30`: a host that hangs). */
function running(script: string): Transport {
  const local = localTransport();
  return { exec: (command, _input, l) => local.exec(command, Buffer.from(script), l), close: local.close };
}

describe('containment: one host\'s failure is that host\'s row', () => {
  test('a parser that throws on one host\'s capture costs only that host', async () => {
    const output = collecting();
    const tally = await scanLive(fleetOf(['a', 'b', 'c']), { concurrency: 3, limits, transportFor: () => localTransport() }, {
      services: bundledServices(),
      filter: everything,
      output,
      // the merge step, throwing for host b's capture only (its hostname is this machine's, so count calls)
      buildView: (() => {
        let calls = 0;
        return (capture, services) => {
          if (++calls === 2) throw new RangeError('Maximum call stack size exceeded');
          return buildHostView(capture, services);
        };
      })(),
    });
    const statuses = output.rows.map((r) => r.status);
    expect(statuses.filter((s) => s === 'parse')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'ok' || s === 'partial')).toHaveLength(2);
    const broken = output.rows.find((r) => r.status === 'parse')!;
    expect(broken.error?.message).toMatch(/^fleetstat could not read this host's capture \(a bug: please report it\): RangeError: Maximum call stack/);
    expect(tally.hosts.map((h) => h.name).sort()).toEqual(['a', 'b', 'c']);
  });

  test('a transport that throws something other than a host outcome costs only that host', async () => {
    const output = collecting();
    const throwing: Transport = {
      exec: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'writable')");
      },
      close: async () => {},
    };
    await scanLive(fleetOf(['a', 'b']), { concurrency: 2, limits, transportFor: (spec) => (spec.name === 'a' ? throwing : localTransport()) }, {
      services: bundledServices(),
      filter: everything,
      output,
    });
    expect(output.rows[0]).toMatchObject({ name: 'a', status: 'exec', error: { kind: 'exec', message: expect.stringMatching(/^fleetstat failed on this host \(please report it\): TypeError: Cannot read/) } });
    expect(['ok', 'partial']).toContain(output.rows[1]!.status);
  });

  test('a transport maker that throws costs only that host, as a config failure', async () => {
    const output = collecting();
    await scanLive(fleetOf(['a', 'b']), {
      concurrency: 1, limits,
      transportFor: (spec) => {
        if (spec.name === 'a') throw new Error('ssh_config walk fell over');
        return running('echo hi; exit 3\n');
      },
    }, { services: bundledServices(), filter: everything, output });
    expect(output.rows[0]).toMatchObject({ status: 'config', error: { message: expect.stringContaining('ssh_config walk fell over') } });
    expect(output.rows[1]).toMatchObject({ status: 'exec' });
  });
});

describe('a stop still gives every host a row', () => {
  test('Ctrl-C: finished hosts kept, hosts in flight and not started interrupted, at once', async () => {
    const output = collecting();
    const stop = new AbortController();
    const started = Date.now();
    const tally = await scanLive(
      fleetOf(['quick', 'hangs', 'later1', 'later2']),
      {
        concurrency: 2, limits, stop: stop.signal,
        transportFor: (spec) => (spec.name === 'hangs' ? running('sleep 30\n') : localTransport()),
      },
      {
        services: bundledServices(), filter: everything, output,
        // stop as soon as the quick host is done: `hangs` is in flight, one later host may have started
        onHostDone: (scan) => {
          if (scan.name === 'quick') setTimeout(() => stop.abort({ signal: 'SIGINT' }), 50);
        },
      },
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    const byName = new Map(output.rows.map((r) => [r.name, r]));
    expect(['ok', 'partial']).toContain(byName.get('quick')!.status);
    expect(byName.get('hangs')).toMatchObject({ status: 'interrupted', error: { message: 'interrupted (SIGINT) while this host was being scanned' } });
    // the later hosts: each either finished before the stop or was interrupted; none is lost
    for (const name of ['later1', 'later2']) expect(['ok', 'partial', 'interrupted']).toContain(byName.get(name)!.status);
    expect(output.rows.filter((r) => r.error?.message.startsWith('not scanned: interrupted (SIGINT) before this host started')).length).toBeGreaterThanOrEqual(1);
    expect(tally.hosts).toHaveLength(4);
  });

  test('--deadline: hosts still running end as timeouts, hosts not started say so', async () => {
    const output = collecting();
    await scanLive(
      fleetOf(['hangs', 'waits']),
      { concurrency: 1, limits, deadlineAt: Date.now() + 1500, transportFor: () => running('sleep 30\n') },
      { services: bundledServices(), filter: everything, output },
    );
    expect(output.rows[0]).toMatchObject({ status: 'timeout' });
    expect(output.rows[1]).toMatchObject({ status: 'timeout', error: { message: "not scanned: the scan's --deadline passed before this host started" } });
  });

  test('a transport that ends itself on the stop (TransportError interrupted) is worded by the stop', async () => {
    const output = collecting();
    const stop = new AbortController();
    const obeys: Transport = {
      exec: (_c, _i, l) =>
        new Promise((_resolve, reject) => l.signal?.addEventListener('abort', () => reject(new TransportError('interrupted', 'connection destroyed')))),
      close: async () => {},
    };
    setTimeout(() => stop.abort({ signal: 'SIGTERM' }), 100);
    await scanLive(fleetOf(['a']), { concurrency: 1, limits, stop: stop.signal, transportFor: () => obeys }, { services: bundledServices(), filter: everything, output });
    expect(output.rows[0]).toMatchObject({ status: 'interrupted', error: { message: 'interrupted (SIGTERM) while this host was being scanned' } });
  });
});

describe('memory: hosts that end together wait as captures, not as parsed rows', () => {
  test('one host at a time is between parsed and handed on, whatever the concurrency', async () => {
    // every host's collection ends at the same moment (a barrier), and the output is slow to take each
    const count = 6;
    let arrived = 0;
    let openBarrier!: () => void;
    const barrier = new Promise<void>((resolve) => (openBarrier = resolve));
    const local = localTransport();
    const together: Transport = {
      exec: async (command, input, l) => {
        const result = await local.exec(command, input, l);
        if (++arrived === count) openBarrier();
        await barrier;
        return result;
      },
      close: local.close,
    };
    let parsedNotHandedOn = 0;
    let most = 0;
    const output: HostOutput = {
      start: async () => {},
      host: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        parsedNotHandedOn -= 1;
      },
      end: async () => {},
    };
    await scanLive(fleetOf(Array.from({ length: count }, (_, i) => `h${i}`)), { concurrency: count, limits, transportFor: () => together }, {
      services: bundledServices(),
      filter: everything,
      output,
      buildView: (capture, services) => {
        parsedNotHandedOn += 1;
        most = Math.max(most, parsedNotHandedOn);
        return buildHostView(capture, services);
      },
    });
    expect(arrived).toBe(count);
    expect(most).toBe(1);
  }, 60_000);
});
