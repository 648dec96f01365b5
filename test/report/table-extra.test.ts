// --extra-columns: the socket table can show each Internet socket's service and direction (netstat has
// neither); without it the table is netstat's (the goldens hold that), and unix sockets never get them.
import { formatTable } from '../../src/report/table.js';
import { fleet } from './scan-fixtures.js';

const rowOf = (text: string, pattern: RegExp) => text.split('\n').find((l) => pattern.test(l)) ?? '';

test('Service and Direction after PID/Program name, for Internet sockets only', () => {
  const text = formatTable(fleet(), { color: false, extraColumns: ['service', 'direction'] });
  expect(rowOf(text, /^Host +Netns +Proto +Recv-Q/)).toMatch(/PID\/Program name +Service +Direction$/);
  expect(rowOf(text, /^web1 .*0\.0\.0\.0:22 /)).toMatch(/ ssh +listen$/);
  expect(rowOf(text, /^Host +Netns +Proto +Type/)).not.toMatch(/Service|Direction/);
});

test('one of them alone; and neither unless asked', () => {
  const direction = formatTable(fleet(), { color: false, extraColumns: ['direction'] });
  expect(rowOf(direction, /^Host +Netns +Proto +Recv-Q/)).toMatch(/PID\/Program name +Direction$/);
  const plain = formatTable(fleet(), { color: false });
  expect(plain).not.toMatch(/Direction|Service/);
});

test('within a width, no line is longer with them', () => {
  const text = formatTable(fleet(), { color: false, width: 100, extraColumns: ['service', 'direction'] });
  for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
});
