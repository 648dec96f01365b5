// Splits the script's output into sections. Pure: bytes in, RawCapture out.
import type { CaptureSection, RawCapture } from '../model/index.js';

/**
 * The output is `\n<M> <name> <arg>\n<bytes>\n<M> rc <status>` repeated, then `\n<M> end\n`.
 * The marker is random per run, so no file's bytes can forge a section boundary.
 */
export function splitCapture(output: Buffer, marker: string): RawCapture {
  const text = output.toString('utf8');
  const sections: CaptureSection[] = [];
  const open = `\n${marker} `;
  let complete = false;
  let at = text.indexOf(open);
  while (at !== -1) {
    const headerStart = at + open.length;
    const headerEnd = text.indexOf('\n', headerStart);
    const header = text.slice(headerStart, headerEnd === -1 ? undefined : headerEnd);
    if (header === 'end') {
      complete = true;
      break;
    }
    if (headerEnd === -1) break;
    const [name = '', arg = ''] = header.split(' ');
    const close = text.indexOf(`\n${marker} rc `, headerEnd);
    if (close === -1) {
      // cut off inside this section: keep what came, marked as an error
      sections.push({ name, arg, status: 'error', text: text.slice(headerEnd + 1) });
      break;
    }
    const statusStart = close + marker.length + 5;
    const next = text.indexOf(open, statusStart);
    const status = text.slice(statusStart, next === -1 ? undefined : next).trim();
    sections.push({
      name,
      arg,
      status: status === 'ok' || status === 'absent' || status === 'gone' ? status : 'error',
      text: text.slice(headerEnd + 1, close),
    });
    at = next;
  }
  return { sections, complete, bytes: output.length };
}
