// The script and the capture format (src/capture/format.ts) agree: every section the script writes is
// one the format names, with the argument it says, in its order; the version comes first; every table
// the format names is read in every namespace, and the host view has a parser for each.
import { CAPTURE_FORMAT_VERSION, NET_TABLES, OWN_NETNS, SECTION, WIRE_SECTIONS } from '../../src/capture/format.js';
import { unbatchSections } from '../../src/capture/unbatch.js';
import { TABLE_READERS } from '../../src/merge/tables.js';
import type { CaptureSection } from '../../src/model/index.js';
import { describeIf, hasCommand, isRoot } from '../helpers/requirements.js';
import { NAMESPACE_HOST_NEEDS, runInNamespaceHost } from './namespace-host.js';

const missing = [...(isRoot ? [] : ['root']), ...NAMESPACE_HOST_NEEDS.filter((c) => !hasCommand(c))];

test('the host view has exactly one parser for every table of the format', () => {
  expect(TABLE_READERS.map((r) => r.table)).toEqual([...NET_TABLES]);
});

describeIf(missing, 'the script writes the capture format', () => {
  let sections: CaptureSection[];
  beforeAll(() => {
    const host = runInNamespaceHost({ sockets: [{ kind: 'tcp-listen', host: '127.0.0.1' }], secondNetns: true, collections: [{}] });
    expect(host.runs[0]!.status).toBe(0);
    expect(host.runs[0]!.capture.complete).toBe(true);
    sections = host.runs[0]!.capture.sections;
  });

  test('the version first', () => {
    expect(sections[0]).toEqual({ name: SECTION.format, arg: '', status: 'ok', text: CAPTURE_FORMAT_VERSION });
  });

  test('every section is one the format names, with the argument it says', () => {
    const argOf = new Map(WIRE_SECTIONS.map((s) => [s.name, s.arg]));
    for (const { name, arg } of sections) {
      expect({ name, kind: argOf.get(name) }).toEqual({ name, kind: expect.any(String) });
      const ok = { none: arg === '', netns: arg === OWN_NETNS || /^[0-9]+$/.test(arg), pid: /^[1-9][0-9]*$/.test(arg) }[argOf.get(name)!];
      expect({ name, arg, ok }).toEqual({ name, arg, ok: true });
    }
  });

  test('in the format\'s order, and every section written on every run is there', () => {
    const order = WIRE_SECTIONS.map((s) => s.name);
    const firsts = [...new Set(sections.map((s) => s.name))];
    expect(firsts).toEqual(order.filter((name) => firsts.includes(name)));
    const always = WIRE_SECTIONS.filter((s) => s.always).map((s) => s.name);
    expect(always.filter((name) => !firsts.includes(name))).toEqual([]);
    // this run has a process holding sockets and a second namespace: the others are there too, but
    // for the listening-only tcp tables (only with L=1) and per-pid cmdlines (only where grep has no
    // -z; this machine's has)
    expect(order.filter((name) => !firsts.includes(name))).toEqual([SECTION.netListening, SECTION.procCmdline]);
  });

  test('every table in every namespace: its own (`self`) and the other one, through its reader', () => {
    const readers = sections.filter((s) => s.name === SECTION.netnsReader).map((s) => s.arg);
    expect(readers).toHaveLength(1);
    const unbatched = unbatchSections(sections, true);
    expect(unbatched.issues).toEqual([]);
    for (const ns of [OWN_NETNS, ...readers]) {
      const tables = unbatched.sections.filter((s) => s.name.startsWith('net.') && s.arg === ns).map((s) => s.name);
      expect(tables).toEqual(NET_TABLES.map((t) => `net.${t}`));
    }
  });
});
