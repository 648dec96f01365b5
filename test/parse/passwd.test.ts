import { parsePasswd } from '../../src/parse/passwd.js';
import { issueShape } from './fixtures.js';

const FILE = '/etc/passwd';

describe('parsePasswd', () => {
  test('name and uid of each well-formed line', () => {
    const text = 'root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nsystemd-resolve:x:101:103:systemd Resolver,,,:/run/systemd:/usr/sbin/nologin\n';
    expect(parsePasswd(text, FILE)).toEqual({
      rows: [
        { name: 'root', uid: 0 },
        { name: 'www-data', uid: 33 },
        { name: 'systemd-resolve', uid: 101 },
      ],
      issues: [],
    });
  });

  test.each([
    ['', []],
    ['nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin', [{ name: 'nobody', uid: 65534 }]],
    ['empty:x:7:7:::', [{ name: 'empty', uid: 7 }]],
  ])('%j', (text, rows) => {
    expect(parsePasswd(text, FILE)).toEqual({ rows, issues: [] });
  });

  test.each([
    ['root:x:0:0:root:/root', 'too-few-fields', 'shell'],
    ['root', 'too-few-fields', 'password'],
    ['', 'too-few-fields', 'password'],
    ['root:x:0:0:root:/root:/bin/sh:extra', 'bad-line', undefined],
    ['root:x:zero:0:root:/root:/bin/sh', 'bad-number', 'uid'],
    ['root:x::0:root:/root:/bin/sh', 'bad-number', 'uid'],
    ['root:x:-1:0:root:/root:/bin/sh', 'bad-number', 'uid'],
    [':x:0:0:root:/root:/bin/sh', 'bad-line', 'name'],
    ['+@admins:::::: ', 'bad-line', 'name'],
  ])('%j → %s (%s)', (bad, kind, field) => {
    const text = `daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n${bad}\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n`;
    const { rows, issues } = parsePasswd(text, FILE);
    expect(issueShape(issues)).toEqual([{ kind, line: 2, field, file: FILE }]);
    expect(rows.map((r) => r.name)).toEqual(['daemon', 'bin']);
  });

  test('a cut last line is truncated-line', () => {
    const { rows, issues } = parsePasswd('daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2', FILE);
    expect(rows.map((r) => r.name)).toEqual(['daemon']);
    expect(issueShape(issues)).toEqual([{ kind: 'truncated-line', line: 2, field: 'gecos', file: FILE }]);
  });
});
