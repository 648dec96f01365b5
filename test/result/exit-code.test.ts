import { exitCodeFor, withFindingBit } from '../../src/result/exit-code.js';
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

test('drift, check and scan --baseline: their finding is the 1 bit beside the scan\'s 4/8; an interrupted scan keeps its code', () => {
  expect([withFindingBit(false, 0), withFindingBit(true, 0), withFindingBit(true, 4), withFindingBit(true, 12), withFindingBit(false, 8)]).toEqual([0, 1, 5, 13, 8]);
  expect([withFindingBit(true, 130), withFindingBit(false, 143)]).toEqual([130, 143]);
});
