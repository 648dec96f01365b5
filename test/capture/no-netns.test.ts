// A kernel without network namespaces (CONFIG_NET_NS=n) has no /proc/PID/ns/net. The script is run
// for real with an `ls` that behaves as it would there: those links do not exist (the script reads
// them with ls only). The host's own tables must still be read, as the default namespace.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { NAMESPACE_HOST_NEEDS, runInNamespaceHost, type HostRun } from './namespace-host.js';

const missing = [...(isRoot ? [] : ['root']), ...NAMESPACE_HOST_NEEDS.filter((c) => !hasCommand(c))];
const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

// Drops every /proc/*/ns/net operand with ls's own error; with no operand left, fails as ls does.
const LS_WITHOUT_NETNS = `#!/bin/sh
dropped=0 kept=0 n=$#
while [ "$n" -gt 0 ]; do
  a=$1; shift; n=$((n - 1))
  case $a in
    /proc/*/ns/net) echo "ls: cannot access '$a': No such file or directory" >&2; dropped=1 ;;
    -*) set -- "$@" "$a" ;;
    *) set -- "$@" "$a"; kept=1 ;;
  esac
done
if [ "$dropped" = 1 ] && [ "$kept" = 0 ]; then exit 2; fi
exec ls "$@"
`;

describeIf(missing, 'a kernel without network namespaces', () => {
  let dir: string;
  let host: HostRun;
  let view: HostView;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-nonetns-'));
    const wrapper = join(dir, 'ls');
    writeFileSync(wrapper, LS_WITHOUT_NETNS.replace('exec ls', `exec ${join('/', 'bin', 'ls')}`));
    chmodSync(wrapper, 0o755);
    host = runInNamespaceHost({ sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }], collections: [{ path: `${dir}:${SYSTEM_PATH}` }] });
    expect(host.runs[0]!.status).toBe(0);
    view = buildHostView(host.runs[0]!.capture, bundledServices());
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('the wrapper really hides the links', () => {
    const own = host.runs[0]!.capture.sections.find((s) => s.name === 'meta.netns');
    expect(own).toBeDefined();
    expect(`${own!.arg} ${own!.text}`).not.toMatch(/[0-9]/);
  });

  test('no issues, and the own tables are read as the default namespace', () => {
    expect(view.issues).toEqual([]);
    expect(view.facts?.netns).toEqual([{ label: 'default', inode: null, readerPid: null }]);
  });

  test('the listener is there, with its process', () => {
    const { port, inode } = host.sockets[0]!;
    const listener = view.sockets.find((s) => s.inode === inode);
    expect(listener).toMatchObject({ proto: 'tcp', state: 'LISTEN', local: { address: '127.0.0.1', port }, netns: 'default' });
    expect(listener!.processes.map((p) => p.pid)).toEqual([host.driverPid]);
  });
});
