// Attribution facts from sections built in code: who could not be read, who is hidden, and what is normal.
import { CaptureSections } from '../../src/capture/sections.js';
import { readAttribution } from '../../src/merge/attribution.js';
import type { CaptureSection, ParseIssue } from '../../src/model/index.js';

const section = (name: string, text: string, arg = ''): CaptureSection => ({ name, arg, status: 'ok', text });
const PROC = '22 27 0:21 / /proc rw,relatime - proc proc rw\n';

function attribution(parts: Record<string, string>, uid: number | null = 1000) {
  const issues: ParseIssue[] = [];
  const defaults: Record<string, string> = { fdlinks: '', 'fd.denied': '', 'fd.unreadable': '', 'fd.unreadable.status': '', 'meta.procmounts': PROC, 'meta.pid1': '1', 'meta.groups': '1000\n', passwd: '' };
  const sections = new CaptureSections(Object.entries({ ...defaults, ...parts }).map(([name, text]) => section(name, text)), issues);
  return { ...readAttribution(sections, uid, issues), issues };
}

describe('readAttribution', () => {
  test('closed fd directories: named; a kernel thread (no VmSize) and a pid gone by the time of grep (no status) are not', () => {
    const a = attribution({
      'fd.unreadable': '1\n2\n77\n',
      'fd.unreadable.status': '/proc/1/status:Name:\tsystemd\n/proc/1/status:VmSize:\t 1 kB\n/proc/2/status:Name:\tkthreadd\n',
    });
    expect(a.unreadable).toEqual([{ pid: 1, name: 'systemd', count: null }]);
    expect(a.issues).toEqual([]);
  });

  test('refused links, with their count', () => {
    const a = attribution({ 'fd.denied': '1 281\n', 'fd.unreadable.status': '/proc/1/status:Name:\tinit\n/proc/1/status:VmSize:\t 9 kB\n' }, 0);
    expect(a.unreadable).toEqual([{ pid: 1, name: 'init', count: 281 }]);
  });

  test('under hidepid=noaccess no status can be read: a closed process is kept, nameless', () => {
    const a = attribution({ 'fd.unreadable': '1\n', 'meta.procmounts': '22 27 0:21 / /proc rw - proc proc rw,hidepid=noaccess\n' });
    expect(a.unreadable).toEqual([{ pid: 1, name: '', count: null }]);
  });

  test.each([
    ['hidepid=invisible, not root', 'rw,hidepid=invisible', 1000, '1000\n', 'hidepid'],
    ['hidepid=2, not root', 'rw,hidepid=2', 1000, '1000\n', 'hidepid'],
    ['hidepid=ptraceable, not root', 'rw,hidepid=ptraceable', 1000, '1000\n', 'hidepid'],
    ['hidepid=invisible, root', 'rw,hidepid=invisible', 0, '0\n', null],
    ['hidepid=invisible, in its gid= group', 'rw,hidepid=invisible,gid=27', 1000, '1000 27\n', null],
    ['hidepid=noaccess: listed, closed (fd.unreadable says so)', 'rw,hidepid=noaccess', 1000, '1000\n', null],
  ])('%s', (_, options, uid, groups, reason) => {
    const a = attribution({ 'meta.procmounts': `22 27 0:21 / /proc rw - proc proc ${options}\n`, 'meta.groups': groups }, uid);
    expect(a.hidden?.reason ?? null).toBe(reason);
  });

  test('the /proc on top counts: a later mount over /proc wins', () => {
    const a = attribution({ 'meta.procmounts': `${PROC}40 22 0:50 / /proc rw - proc proc rw,hidepid=invisible\n` });
    expect(a.hidden?.reason).toBe('hidepid');
  });

  test('pid 1 not visible, whatever the options say', () => {
    expect(attribution({ 'meta.pid1': '0' }).hidden).toEqual({ reason: 'pid1', detail: expect.stringContaining('/proc/1') });
  });
});
