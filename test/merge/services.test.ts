import { bundledServices, serviceName } from '../../src/merge/services.js';

const table = bundledServices();

test.each([
  ['tcp', 22, 'ssh'],
  ['tcp6', 443, 'https'],
  ['udp', 53, 'domain'],
  ['udp6', 123, 'ntp'],
  ['tcp', 0, undefined],
  ['tcp', 47999, undefined],
  ['raw', 1, undefined], // a raw socket's "port" is a protocol number, not a service
  ['unix', 22, undefined],
] as const)('%s/%i → %s', (proto, port, name) => {
  expect(serviceName(table, proto, port)).toBe(name);
});

test('the bundled table credits its source', () => {
  expect(JSON.stringify(table)).toContain('IANA');
});
