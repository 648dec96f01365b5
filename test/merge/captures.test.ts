// Whole-host captures of a real machine (fixtures/captures/*, made by scripts/capture-fixture.sh),
// read offline and compared with the ss output saved beside each at the same moment.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readCaptureFile } from '../helpers/capture-file.js';
import { buildHostView, type HostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { fleetstatRow, parseSs, rowKey, ssTuanLists } from '../helpers/ss.js';

const root = new URL('../../fixtures/captures/', import.meta.url);

function loadCapture(name: string): { view: HostView; ssBefore: string; ssAfter: string } {
  const capture = readCaptureFile(new URL(`${name}/capture.out`, root));
  expect(capture.complete).toBe(true);
  return {
    view: buildHostView(capture, bundledServices()),
    ssBefore: readFileSync(new URL(`${name}/ss.before.txt`, root), 'utf8'),
    ssAfter: readFileSync(new URL(`${name}/ss.txt`, root), 'utf8'),
  };
}

// ss -tuan: tcp and udp of the namespace it ran in (other engineers' test namespaces may have been up too)
const inet = (view: HostView) => view.sockets.filter((s) => s.netns === 'default' && ssTuanLists(s));

// every capture with ss's view beside it (version-1/ is an old-format capture, read by format-version.test.ts)
describe.each(readdirSync(root).filter((d) => existsSync(new URL(`${d}/ss.txt`, root))))('capture %s', (name) => {
  const { view, ssBefore, ssAfter } = loadCapture(name);
  const asRoot = view.facts?.collectorUid === 0;
  // without root, ss (run as root) knows owners the capture cannot: compare without them
  const key = (row: ReturnType<typeof fleetstatRow>) => rowKey(asRoot ? row : { ...row, processes: [] });

  test('parses without issues', () => {
    expect(view.issues).toEqual([]);
  });

  test('every socket ss saw before and after is there, and nothing ss never saw', () => {
    const ours = inet(view).map(fleetstatRow).map(key);
    const before = new Set(parseSs(ssBefore).map(key));
    const after = new Set(parseSs(ssAfter).map(key));
    expect([...before].filter((k) => after.has(k) && !ours.includes(k))).toEqual([]);
    expect(ours.filter((k) => !before.has(k) && !after.has(k))).toEqual([]);
  });

  test('attribution: partial, and it says why: pid 1 of this VM hides its fd links even from root; without root, other users\' processes', () => {
    expect(view.facts?.attribution).toBe('partial');
    const unreadable = view.facts?.unreadableProcesses ?? [];
    expect(unreadable[0]).toEqual({ pid: 1, name: 'process_api', count: asRoot ? expect.any(Number) : null });
    // without root, the only processes named are the collector's own uid's
    if (!asRoot) expect(view.sockets.flatMap((s) => s.processes).every((p) => p.uid === view.facts?.collectorUid)).toBe(true);
  });
});
