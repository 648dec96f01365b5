// A whole-host capture saved by scripts/capture-fixture.sh: a first line `marker <M>`, then the
// collection script's raw output, split exactly as a live scan splits it.
import { readFileSync } from 'node:fs';
import { splitCapture } from '../../src/capture/split.js';
import type { RawCapture } from '../../src/model/index.js';

export function readCaptureFile(url: URL): RawCapture {
  const bytes = readFileSync(url);
  const firstLine = bytes.subarray(0, bytes.indexOf(10)).toString();
  return splitCapture(bytes.subarray(firstLine.length), firstLine.replace(/^marker /, ''));
}
