// A namespace is read through one of its processes (/proc/PID/net/*). On a busy host that process
// may exit between the `ls` that found it and the reads of its tables: seen as an `unreadable`
// /proc/PID/net/raw6 issue (and a `partial` host) when other tests' namespaces came and went. The
// script is run for real with an `ls` that kills the chosen reader right after listing the links
// (it stays a zombie: no namespaces, no net/); the namespace must be read through its other process.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureSections } from '../../src/capture/sections.js';
import { splitCapture } from '../../src/capture/split.js';
import { unbatchSections } from '../../src/capture/unbatch.js';
import type { ParseIssue } from '../../src/model/index.js';
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { NAMESPACE_HOST_NEEDS, runInNamespaceHost, type HostRun } from './namespace-host.js';

const missing = [...(isRoot ? [] : ['root']), ...NAMESPACE_HOST_NEEDS.filter((c) => !hasCommand(c))];
const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

// Lists as ls does; when asked for the ns/net links, kills the first process (in ls's order) of a
// namespace other than pid 1's, i.e. the reader the script is about to pick, and says which.
const LS_KILLING_THE_READER = `#!/bin/sh
case "$*" in
  */ns/net*) ;;
  *) exec /bin/ls "$@" ;;
esac
out=$(/bin/ls "$@"); rc=$?
printf '%s\\n' "$out"
own=$(readlink /proc/1/ns/net)
printf '%s\\n' "$out" | while IFS= read -r line; do
  case $line in
    *" -> $own") ;;
    *" -> net:["*"]")
      pid=\${line#*/proc/}; pid=\${pid%%/*}
      kill -9 "$pid"
      while [ -e "/proc/$pid/net/dev" ]; do sleep 0.01; done
      echo "$pid" > @VICTIM@
      break ;;
  esac
done
exit $rc
`;

describeIf(missing, 'a namespace reader that exits before its tables are read', () => {
  let dir: string;
  let host: HostRun;
  let view: HostView;
  let victim: number;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-reader-'));
    const wrapper = join(dir, 'ls');
    writeFileSync(wrapper, LS_KILLING_THE_READER.replace('@VICTIM@', join(dir, 'victim')));
    chmodSync(wrapper, 0o755);
    host = runInNamespaceHost({
      sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }],
      secondNetns: true,
      secondNetnsProcesses: 2,
      collections: [{ path: `${dir}:${SYSTEM_PATH}` }],
    });
    expect(host.runs[0]!.status).toBe(0);
    view = buildHostView(host.runs[0]!.capture, bundledServices());
    victim = Number(readFileSync(join(dir, 'victim'), 'utf8'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the wrapper killed a process of the second namespace', () => {
    expect(victim).toBeGreaterThan(1);
  });

  test('the namespace is read through its other process: both namespaces, no issue', () => {
    expect(view.issues).toEqual([]);
    expect(view.facts?.netns).toHaveLength(2);
    const second = view.facts!.netns[1]!;
    expect(second.readerPid).not.toBe(victim);
    expect(second.readerPid).toBeGreaterThan(1);
  });

  test('its tables were read, not left unreadable', () => {
    const tables = unbatchSections(host.runs[0]!.capture.sections, true).sections.filter((s) => s.name.startsWith('net.') && s.arg !== 'self');
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.filter((s) => s.status === 'error' || s.status === 'gone')).toEqual([]);
    // not `absent` either: the killed reader's files no longer exist, the namespace's still do
    expect(tables.find((s) => s.name === 'net.tcp')?.status).toBe('ok');
  });
});

test('a table whose reader exited while it was read (`gone`) is a fact, not an issue; `error` is one', () => {
  const marker = 'M'.repeat(32);
  const section = (arg: string, rc: string) => `\n${marker} net.tcp ${arg}\nsl  local\n${marker} rc ${rc}`;
  const capture = splitCapture(Buffer.from(`${section('4026532001', 'gone')}${section('4026532002', 'error')}\n${marker} end\n`), marker);
  expect(capture.sections.map((s) => s.status)).toEqual(['gone', 'error']);
  const issues: ParseIssue[] = [];
  const sections = new CaptureSections(capture.sections, issues);
  expect(sections.table('tcp', '4026532001', '/proc/77/net/tcp')).toBeUndefined();
  expect(issues).toEqual([]);
  expect(sections.table('tcp', '4026532002', '/proc/78/net/tcp')).toBeUndefined();
  expect(issues).toEqual([expect.objectContaining({ kind: 'unreadable', file: '/proc/78/net/tcp' })]);
});
