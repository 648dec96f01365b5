import { exitCodeFor } from '../../src/result/exit-code.js';
import type { HostStatus } from '../../src/model/index.js';

const hosts = (...statuses: HostStatus[]) => statuses.map((status) => ({ status }));

test.each([
  [[], 0],
  [['ok', 'partial'], 0],
  [['ok', 'unreachable'], 4],
  [['timeout'], 4],
  [['ok', 'hostkey'], 8],
  [['parse', 'truncated', 'exec', 'auth'], 8],
  [['unreachable', 'auth', 'ok'], 12],
] as Array<[HostStatus[], number]>)('%j → %i', (statuses, code) => {
  expect(exitCodeFor(hosts(...statuses))).toBe(code);
});
