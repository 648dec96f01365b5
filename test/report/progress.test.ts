import { failureSummary, progressLine } from '../../src/report/progress.js';
import type { HostScan, HostStatus } from '../../src/model/index.js';

const host = (name: string, status: HostStatus): HostScan => ({ name, address: name, port: 22, groups: [], status, sockets: [], issues: [] });

describe('progressLine', () => {
  test('counts, bar and ETA from the pace so far', () => {
    expect(progressLine({ total: 100, done: 25, failed: 2, inFlight: 10 }, 5000, 80)).toBe(
      '[########.......................]  25/100 done, 2 failed, 10 in flight, ETA 15s', // 79 columns
    );
  });
  test('no ETA before the first host is done, nor after the last', () => {
    expect(progressLine({ total: 4, done: 0, failed: 0, inFlight: 4 }, 100, 60)).not.toContain('ETA');
    expect(progressLine({ total: 4, done: 4, failed: 0, inFlight: 0 }, 100, 60)).not.toContain('ETA');
  });
  test('fits a narrow terminal', () => {
    expect(progressLine({ total: 5000, done: 1234, failed: 56, inFlight: 64 }, 60_000, 50).length).toBeLessThan(50);
  });
});

describe('failureSummary', () => {
  test('ok first, then partial, then each failure with its hosts', () => {
    const hosts = [host('a', 'ok'), host('b', 'unreachable'), host('c', 'ok'), host('d', 'hostkey'), host('e', 'partial'), host('f', 'unreachable')];
    expect(failureSummary(hosts)).toBe('6 hosts: 2 ok, 1 partial, 1 hostkey (d), 2 unreachable (b, f)');
  });
  test('long lists are cut, and host names are escaped for the terminal', () => {
    const hosts = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h\x1b[2J'].map((n) => host(n, 'timeout'));
    expect(failureSummary(hosts)).toBe('7 hosts: 7 timeout (h1, h2, h3, h4, h5, +2 more)');
    expect(failureSummary([host('h\x1b[2J', 'auth')])).toBe('1 host: 1 auth (h\\x1b[2J)');
  });
});
