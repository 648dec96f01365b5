import { CSV_COLUMNS, formatCsv } from '../../src/report/csv.js';
import { ESC_RED, FORMULA, fleet, gw1, inet, proc, scan, web1 } from './scan-fixtures.js';

// csv-parse is not installed: a small RFC 4180 reader (quoted fields, "" for a quote, newlines inside quotes).
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch === '"') {
      throw new Error(`stray quote at offset ${i}`);
    } else {
      cell += ch;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (cell !== '' || row.length > 0) throw new Error('last record does not end with a newline');
  return rows;
}

/** The CSV as objects keyed by header, after checking every row has as many cells as the header. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((cells) => {
    expect(cells).toHaveLength(CSV_COLUMNS.length);
    return Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, cells[i] ?? '']));
  });
}

describe('formatCsv', () => {
  it('writes the header row, in the documented order', () => {
    expect(formatCsv(scan([]))).toBe(
      'host,address,status,host_key_check,netns,proto,state,local_address,local_port,remote_address,remote_port,direction,collector,service,' +
        'pids,programs,users,cmdlines,recv_q,send_q,uid,user,inode,error\n',
    );
  });

  it('writes one row per socket per host, and one row for a host without sockets', () => {
    const rows = records(formatCsv(fleet()));
    expect(rows.map((r) => r['host'])).toEqual([...Array(6).fill('web1'), ...Array(5).fill('db1'), 'gw1']);
  });

  it('writes a tcp listener exactly', () => {
    const [sshd] = records(formatCsv(scan([web1()])));
    expect(sshd).toEqual({
      host: 'web1', address: '10.0.0.5', status: 'ok', host_key_check: '', netns: 'default', proto: 'tcp', state: 'LISTEN',
      local_address: '0.0.0.0', local_port: '22', remote_address: '0.0.0.0', remote_port: '0', direction: 'listen', collector: '',
      service: 'ssh', pids: '812', programs: 'sshd', users: 'root', cmdlines: '/usr/sbin/sshd -D',
      recv_q: '0', send_q: '128', uid: '0', user: '', inode: '11', error: '',
    });
  });

  it('marks the scan\'s own sockets in `collector` (yes), as the JSON does; `user` is the socket owner\'s name', () => {
    const host = web1();
    host.sockets = [inet({ proto: 'tcp', state: 'ESTABLISHED', local: { address: '10.0.0.5', port: 22 }, remote: { address: '192.0.2.9', port: 40022 }, uid: 0, user: 'root', collector: true })];
    expect(records(formatCsv(scan([host])))[0]).toMatchObject({ collector: 'yes', remote_port: '40022', uid: '0', user: 'root' });
  });

  it('joins several processes of one socket with `;`, in the same order in every column', () => {
    const nginx = records(formatCsv(scan([web1()])))[1];
    expect(nginx).toMatchObject({
      proto: 'tcp6', local_address: '::', local_port: '80',
      pids: '1234;1235', programs: 'nginx;nginx', users: 'root;www-data',
      cmdlines: 'nginx: master process /usr/sbin/nginx;nginx: worker process',
    });
  });

  it('puts a unix path in local_address and leaves ports, remote and uid empty', () => {
    const rows = records(formatCsv(scan([web1()])));
    expect(rows[4]).toMatchObject({ proto: 'unix', state: 'LISTEN', local_address: '/run/systemd/private', local_port: '', remote_address: '', remote_port: '', uid: '', inode: '15' });
    expect(rows[5]).toMatchObject({ proto: 'unix', local_address: '', pids: '', programs: '' }); // unbound, no process known
  });

  it('says on every row of a host how its host key was taken', () => {
    const rows = records(formatCsv(scan([{ ...web1(), hostKey: { type: 'ssh-ed25519', fingerprint: `SHA256:${'A'.repeat(43)}`, check: 'unchecked' } }])));
    expect(new Set(rows.map((r) => r['host_key_check']))).toEqual(new Set(['unchecked']));
  });

  it('gives a failed host one row: status, error, and empty socket columns', () => {
    const [row] = records(formatCsv(scan([gw1()])));
    expect(row).toEqual({
      ...Object.fromEntries(CSV_COLUMNS.map((c) => [c, ''])),
      host: 'gw1', address: '10.0.0.1', status: 'unreachable', error: 'connect ECONNREFUSED 10.0.0.1:22\\x1b[2J',
    });
  });

  it('neutralises formulas in remote text, element by element in joined cells', () => {
    const host = web1();
    host.name = '@evil-host';
    host.sockets = [
      inet({
        proto: 'tcp', state: 'LISTEN', local: { address: '0.0.0.0', port: 9000 }, netns: '+ns', service: '-svc',
        processes: [proc(10, 'nginx', 'root', 0, ['nginx']), proc(11, '=evil', '-user', 0, [FORMULA, '-x'])],
      }),
    ];
    const [row] = records(formatCsv(scan([host])));
    expect(row).toMatchObject({
      host: "'@evil-host", netns: "'+ns", service: "'-svc",
      programs: "nginx;'=evil", users: "root;'-user", cmdlines: `nginx;'${FORMULA} -x`,
      pids: '10;11', local_port: '9000', recv_q: '0', uid: '0',
    });
  });

  it('never leaves a formula trigger at the start of any cell of a hostile fleet', () => {
    const host = web1();
    host.sockets.push(unixAt('=HYPERLINK("http://x","y")'), unixAt("\tTAB"), unixAt("\rCR"));
    for (const row of records(formatCsv(scan([host, ...fleet().hosts])))) {
      for (const [column, cell] of Object.entries(row)) {
        expect([column, /^[=+\-@\t\r\n]/.test(cell)]).toEqual([column, false]);
      }
    }
  });

  it('quotes quotes and commas; writes a newline as \\n, so that one record is one line', () => {
    const text = formatCsv(fleet());
    expect(text).toContain('"/tmp/evil\\nsock ""quoted"", here"');
    const unixRow = records(text).find((r) => r['inode'] === '25');
    expect(unixRow?.['local_address']).toBe('/tmp/evil\\nsock "quoted", here');
    expect(unixRow?.['cmdlines']).toBe('sh -c line1\\nline2');
    expect(text.split('\n')).toHaveLength(records(text).length + 2); // header + records + the final empty string
  });

  it('keeps Unicode; writes control characters as the table does (\\x1b, a backslash doubled)', () => {
    const row = records(formatCsv(fleet())).find((r) => r['inode'] === '22');
    expect(row).toMatchObject({ netns: 'ctr1', programs: '\\x1b[31mevil', users: '1000' }); // no passwd entry: the uid
    expect(records(formatCsv(fleet())).find((r) => r['inode'] === '21')).toMatchObject({ programs: '日本db', users: 'δ-user' });
    const host = web1();
    host.sockets = [unixAt('C:\\x1b[0m real\x07bell\u009b2J\u202egnp.exe')];
    expect(records(formatCsv(scan([host])))[0]?.['local_address']).toBe('C:\\\\x1b[0m real\\x07bell\\x9b2J\\u202egnp.exe');
  });

  it('lets no control character of a remote string through: ESC, BEL, C1, bidi, CR, TAB', () => {
    const host = web1();
    host.name = 'web\x1b]0;pwned\x07';
    host.sockets.push(unixAt('\rCR\tTAB\u2028LS\u2066bidi\u0085NEL'));
    const text = formatCsv(scan([host, ...fleet().hosts]));
    expect(text.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u);
  });
});

function unixAt(path: string) {
  return { ...web1().sockets[4]!, local: { path } };
}
