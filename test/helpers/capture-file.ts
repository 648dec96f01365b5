// A whole-host capture saved by scripts/capture-fixture.sh: a first line `marker <M>`, then the
// collection script's raw output, split exactly as a live scan splits it.
import { readFileSync } from 'node:fs';
import { splitCapture } from '../../src/capture/split.js';
import type { RawCapture } from '../../src/model/index.js';

/** The saved file as the collection gave it: its marker, and the output bytes after the marker line. */
export function readCaptureBytes(url: URL): { marker: string; stdout: Buffer } {
  const bytes = readFileSync(url);
  const firstLine = bytes.subarray(0, bytes.indexOf(10)).toString();
  return { marker: firstLine.replace(/^marker /, ''), stdout: bytes.subarray(firstLine.length) };
}

export function readCaptureFile(url: URL): RawCapture {
  const { marker, stdout } = readCaptureBytes(url);
  return splitCapture(stdout, marker);
}
