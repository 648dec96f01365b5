// Laying text out in terminal columns, for every table: padding and cutting a cell to its width, and
// wrapping free text (notes, legends) into lines that fit.
import { displayWidth, truncateMiddle, truncateToWidth } from './text-width.js';

/** `3 hosts`, `1 host`: a count and its noun (English, regular plurals only). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `text` padded with spaces to `width` columns, on its right (left-aligned) or its left. */
export function padToWidth(text: string, width: number, align: 'left' | 'right'): string {
  const room = Math.max(0, width - displayWidth(text));
  return align === 'left' ? text + ' '.repeat(room) : ' '.repeat(room) + text;
}

/** `text` cut to `width` columns (with `…`) at its end, or in its middle (names whose end tells them apart). */
export function fitToWidth(text: string, width: number, cut: 'end' | 'middle'): string {
  return cut === 'middle' ? truncateMiddle(text, width) : truncateToWidth(text, width);
}

/**
 * `text` in lines of at most `width` columns, broken after commas (a nodeset's own separators), the
 * lines after the first indented by `indent` spaces: a host name is never cut, so none can pass for
 * another. A piece with no comma that is still too long is broken where the width ends.
 */
export function wrapAtCommas(text: string, width: number | undefined, indent: number): string[] {
  if (width === undefined || displayWidth(text) <= width) return [text];
  const room = Math.max(8, width - indent);
  const pieces = text.split(/(?<=,)/);
  const lines: string[] = [];
  let line = '';
  const limit = () => (lines.length === 0 ? width : room);
  for (let piece of pieces) {
    while (displayWidth(line + piece) > limit()) {
      if (line !== '') {
        lines.push(line);
        line = '';
        continue;
      }
      // one piece wider than a whole line: as much of it as fits, the rest on the next line
      const head = truncateToWidth(piece, limit() + 1).slice(0, -1);
      const cut = head.length > 0 ? head : [...piece][0]!;
      lines.push(cut);
      piece = piece.slice(cut.length);
    }
    line += piece;
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

/**
 * A note in lines of at most `width` columns, broken at spaces. A word wider than a line is given to
 * `longWord` (default: broken after its commas, so a long nodeset loses no host; table notes cut it).
 */
export function wrapAtSpaces(text: string, width: number | undefined, longWord: (word: string, width: number) => string[] = (word, w) => wrapAtCommas(word, w, 0)): string[] {
  if (width === undefined || displayWidth(text) <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (displayWidth(next) <= width) {
      line = next;
      continue;
    }
    if (line !== '') lines.push(line);
    const pieces = displayWidth(word) > width ? longWord(word, width) : [word];
    lines.push(...pieces.slice(0, -1));
    line = pieces[pieces.length - 1] ?? '';
  }
  if (line !== '') lines.push(line);
  return lines;
}

