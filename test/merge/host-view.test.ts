// The host view built from a real capture (fixtures/captures/root-zoo) changed in one way at a time.
import { readCaptureFile } from '../helpers/capture-file.js';
import { buildHostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import type { CaptureSection, RawCapture } from '../../src/model/index.js';

function realCapture(): RawCapture {
  return readCaptureFile(new URL('../../fixtures/captures/root-zoo/capture.out', import.meta.url));
}

function changed(change: (sections: CaptureSection[]) => CaptureSection[]): RawCapture {
  const capture = realCapture();
  return { ...capture, sections: change(capture.sections) };
}

const view = (capture: RawCapture) => buildHostView(capture, bundledServices());

describe('buildHostView', () => {
  const original = view(realCapture());

  test('the real capture: no issues, listeners found, owners joined', () => {
    expect(original.issues).toEqual([]);
    const listeners = original.sockets.filter((s) => s.direction === 'listen' && s.proto === 'tcp');
    expect(listeners.length).toBeGreaterThan(0);
    expect(original.sockets.some((s) => s.processes.some((p) => p.name === 'python3' && p.user === 'root'))).toBe(true);
  });

  test('a host without IPv6 (no tcp6/udp6/raw6 files): a fact, not an issue', () => {
    const noV6 = view(changed((sections) => sections.map((s) => (s.name.endsWith('6') ? { ...s, status: 'absent', text: '' } : s))));
    expect(noV6.issues).toEqual([]);
    expect(noV6.sockets.some((s) => s.proto.endsWith('6'))).toBe(false);
    expect(noV6.sockets.filter((s) => s.proto === 'tcp')).toEqual(original.sockets.filter((s) => s.proto === 'tcp'));
  });

  test('addresses are decoded in the captured host\'s byte order, not this machine\'s', () => {
    const big = view(changed((sections) => sections.map((s) => (s.name === 'meta.byteorder' ? { ...s, text: '   256\n' } : s))));
    expect(big.facts?.byteOrder).toBe('big');
    const local = (v: typeof big) => v.sockets.filter((s) => s.proto === 'tcp').map((s) => (s.local !== null && 'address' in s.local ? s.local.address : ''));
    expect(local(original)).toContain('127.0.0.1');
    expect(local(big)).toContain('1.0.0.127');
    expect(local(big)).not.toContain('127.0.0.1');
  });

  test('no byte order at all: nothing is decoded, and the issue says why', () => {
    const none = view(changed((sections) => sections.filter((s) => s.name !== 'meta.byteorder')));
    expect(none.sockets).toEqual([]);
    expect(none.issues.map((i) => i.kind)).toEqual(['missing-section']);
  });

  test('a table that could not be read is an issue naming the file; the others are still read', () => {
    const broken = view(changed((sections) => sections.map((s) => (s.name === 'net.udp' && s.arg === 'self' ? { ...s, status: 'error', text: '' } : s))));
    expect(broken.issues).toEqual([expect.objectContaining({ kind: 'unreadable', file: '/proc/net/udp', line: 0 })]);
    expect(broken.sockets.some((s) => s.proto === 'udp')).toBe(false);
    expect(broken.sockets.some((s) => s.proto === 'tcp')).toBe(true);
  });

  test('a bad line becomes an issue with file, line and field; its neighbours stay', () => {
    const bad = view(
      changed((sections) =>
        sections.map((s) => (s.name === 'net.tcp' && s.arg === 'self' ? { ...s, text: s.text.replace(/\n(\s+1: )([0-9A-F]{8}):/, '\n$1XYZ00000:') } : s)),
      ),
    );
    expect(bad.issues).toEqual([expect.objectContaining({ kind: 'bad-address', file: '/proc/net/tcp', line: 3, field: 'local_address' })]);
    expect(bad.sockets.filter((s) => s.proto === 'tcp')).toHaveLength(original.sockets.filter((s) => s.proto === 'tcp').length - 1);
  });

  test('a process that held sockets and exited before its comm was read keeps its pid', () => {
    const gone = view(changed((sections) => sections.map((s) => (s.name.startsWith('proc.') ? { ...s, status: 'error', text: '' } : s))));
    const held = gone.sockets.filter((s) => s.processes.length > 0);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((s) => s.processes.every((p) => p.name === '' && p.uid === null))).toBe(true);
  });
});
