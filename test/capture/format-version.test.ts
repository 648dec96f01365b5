// A capture written in another format version is reported as such, never read as if it were this one.
import { readCaptureFile } from '../helpers/capture-file.js';
import { buildHostView } from '../../src/merge/host-view.js';
import { bundledServices } from '../../src/merge/services.js';
import { scannedHost } from '../../src/result/host-result.js';
import type { HostSpec } from '../../src/model/index.js';

const spec: HostSpec = { name: 'old', address: '127.0.0.1', groups: [], connection: 'local', become: false };

describe('capture format version', () => {
  test('a capture from before versions were written (the old root-zoo fixture): status parse, nothing misread', () => {
    const capture = readCaptureFile(new URL('../../fixtures/captures/version-1/capture.out', import.meta.url));
    const view = buildHostView(capture, bundledServices());
    expect(view.sockets).toEqual([]);
    expect(view.issues).toEqual([expect.objectContaining({ kind: 'format-version', line: 0 })]);
    const host = scannedHost(spec, { port: 22 }, view);
    expect(host.status).toBe('parse');
    expect(host.error?.message).toMatch(/format/);
  });
});
