// A capture written in another format version is reported as such, never read as if it were this one;
// an older version this fleetstat still reads (2) is read as before, without what it never collected.
import { readCaptureFile } from '../helpers/capture-file.js';
import { CAPTURE_FORMAT_VERSION, SECTION } from '../../src/capture/format.js';
import { buildHostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { scannedHost } from '../../src/result/host-result.js';
import type { CaptureSection, HostSpec, RawCapture } from '../../src/model/index.js';

const spec: HostSpec = { name: 'old', address: '127.0.0.1', groups: [], connection: 'local', become: false };
const fixture = (name: string) => readCaptureFile(new URL(`../../fixtures/captures/${name}/capture.out`, import.meta.url));
const view = (capture: RawCapture) => buildHostView(capture, bundledServices());
const relabelled = (capture: RawCapture, version: string, extra: CaptureSection[] = []): RawCapture => ({
  ...capture,
  sections: [...capture.sections.map((s) => (s.name === SECTION.format ? { ...s, text: version } : s)), ...extra],
});

describe('capture format version', () => {
  test('a capture from before versions were written (the old root-zoo fixture): status parse, nothing misread', () => {
    const v = view(fixture('version-1'));
    expect(v.sockets).toEqual([]);
    expect(v.issues).toEqual([expect.objectContaining({ kind: 'format-version', line: 0 })]);
    const host = scannedHost(spec, { port: 22 }, v);
    expect(host.status).toBe('parse');
    expect(host.error?.message).toMatch(/format/);
  });

  test('this fleetstat writes format 4', () => {
    expect(CAPTURE_FORMAT_VERSION).toBe('4');
  });

  test('a version this fleetstat does not know (5) is not read', () => {
    const v = view(relabelled(fixture('root-zoo'), '5'));
    expect(v.sockets).toEqual([]);
    expect(v.issues).toEqual([{ kind: 'format-version', file: '(capture)', line: 0, message: 'capture format "5": this fleetstat reads capture formats 2, 3 and 4' }]);
  });

  describe('a format-2 capture (root-zoo): read, with fds, without exe or cwd (format 2 did not collect them)', () => {
    const v = view(fixture('root-zoo'));
    const holders = v.sockets.flatMap((s) => s.processes);

    test('no issues: its lacking proc.links is no missing section', () => {
      expect(v.issues).toEqual([]);
      expect(holders.length).toBeGreaterThan(0);
    });

    test('every holder has its fds (from fdlinks, which format 2 has), none an exe or cwd', () => {
      expect(holders.filter((p) => !Array.isArray(p.fds) || p.fds.length === 0)).toEqual([]);
      expect(holders.filter((p) => 'exe' in p || 'exeDeleted' in p || 'cwd' in p)).toEqual([]);
    });

    test('relabelled format 3 without proc.links: that section is missing', () => {
      const three = view(relabelled(fixture('root-zoo'), '3'));
      expect(three.issues).toEqual([{ kind: 'missing-section', file: '/proc/*/{exe,cwd}', line: 0, message: 'the capture has no "proc.links" section' }]);
    });

    test('relabelled format 3 with a proc.links section: each holder gets its own exe and cwd', () => {
      const pid = holders.find((p) => p.name === 'python3')!.pid;
      const links: CaptureSection = {
        name: SECTION.procLinks,
        arg: '',
        status: 'ok',
        text: `lrwxrwxrwx 1 0 0 0 Dec  2 10:00 /proc/${pid}/cwd -> /tmp/.x\nlrwxrwxrwx 1 0 0 0 Dec  2 10:00 /proc/${pid}/exe -> /tmp/.x/python3 (deleted)\n`,
      };
      const three = view(relabelled(fixture('root-zoo'), '3', [links]));
      expect(three.issues).toEqual([]);
      const refs = three.sockets.flatMap((s) => s.processes);
      expect(refs.filter((p) => p.pid === pid).length).toBeGreaterThan(0);
      expect(refs.filter((p) => p.pid === pid).map(({ exe, exeDeleted, cwd }) => ({ exe, exeDeleted, cwd }))).toEqual(
        refs.filter((p) => p.pid === pid).map(() => ({ exe: '/tmp/.x/python3', exeDeleted: true, cwd: '/tmp/.x' })),
      );
      expect(refs.filter((p) => p.pid !== pid && ('exe' in p || 'cwd' in p))).toEqual([]);
      // nothing else changed
      const without = (p: (typeof refs)[number]) => ({ ...p, exe: undefined, exeDeleted: undefined, cwd: undefined });
      expect(refs.map(without)).toEqual(holders.map(without));
    });
  });
});
