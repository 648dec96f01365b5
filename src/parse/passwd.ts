// /etc/passwd lines (only those of uids that hold sockets): name:password:uid:gid:gecos:home:shell.
import type { ParseIssue, Parsed } from '../model/index.js';
import { excerpt, issueAt, parseDecimal, splitLines, FileIssues } from './lines.js';

export interface PasswdEntry {
  name: string;
  uid: number;
}

export function parsePasswd(text: string, file: string): Parsed<PasswdEntry> {
  const rows: PasswdEntry[] = [];
  const issues = new FileIssues(file);
  for (const line of splitLines(text)) {
    const fail = (kind: ParseIssue['kind'], field: string | undefined, why: string): void => {
      issues.push(
        issueAt(file, line.number, {
          kind: line.terminated ? kind : 'truncated-line',
          ...(field === undefined ? {} : { field }),
          message: `${why}: ${excerpt(line.text)}`,
        }),
      );
    };
    const fields = line.text.split(':');
    if (fields.length < 7) {
      fail('too-few-fields', ['name', 'password', 'uid', 'gid', 'gecos', 'home', 'shell'][fields.length], `${fields.length} fields, need 7`);
      continue;
    }
    if (fields.length > 7) {
      fail('bad-line', undefined, `${fields.length} fields, expected 7`);
      continue;
    }
    const [name = '', , uidText = ''] = fields;
    // NIS `+`/`-` entries and empty names are not users
    if (name === '' || name.startsWith('+') || name.startsWith('-')) {
      fail('bad-line', 'name', 'not a user name');
      continue;
    }
    const uid = parseDecimal(uidText);
    if (uid === null || uid > 0xffffffff) {
      fail('bad-number', 'uid', `bad uid "${uidText}"`);
      continue;
    }
    rows.push({ name, uid });
  }
  return { rows, issues: issues.done() };
}
