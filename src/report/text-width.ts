// How many terminal columns a string takes, for aligning table columns that hold remote Unicode.
// An approximation of wcwidth() good enough for alignment: combining marks and zero-width characters
// take 0 columns, East Asian wide/fullwidth characters and emoji take 2, everything else 1.
// Control characters never reach here: table cells are escaped first.

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200d\u2060\ufeff]$/u;
const EMOJI = /^\p{Extended_Pictographic}$/u;

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) || // Hangul Jamo
    (codePoint >= 0x2e80 && codePoint <= 0x303e) || // CJK radicals … CJK symbols
    (codePoint >= 0x3041 && codePoint <= 0x33ff) || // kana … CJK compatibility
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) || // CJK extension A
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) || // CJK unified ideographs
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) || // Yi
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) || // Hangul syllables
    (codePoint >= 0xf900 && codePoint <= 0xfaff) || // CJK compatibility ideographs
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) || // CJK compatibility forms
    (codePoint >= 0xff00 && codePoint <= 0xff60) || // fullwidth forms
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) || // pictographs, emoticons
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd) // CJK extensions B…
  );
}

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  const codePoint = ch.codePointAt(0) ?? 0;
  if (isWide(codePoint) || (codePoint >= 0x1f000 && EMOJI.test(ch))) return 2;
  return 1;
}

// printable ASCII takes one column a character: most cells of a table, measured without a look at each
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Terminal columns taken by `text` (which must hold no control characters). */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/** `text` cut to at most `maxWidth` columns, ending with `…` when something was cut. */
export function truncateToWidth(text: string, maxWidth: number): string {
  if (displayWidth(text) <= maxWidth) return text;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (width + w > maxWidth - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

/** `text` cut to at most `maxWidth` columns in its middle (`net:[40…32522]`): both ends stay readable. */
export function truncateMiddle(text: string, maxWidth: number): string {
  if (displayWidth(text) <= maxWidth) return text;
  const chars = [...text];
  const room = maxWidth - 1;
  let head = '';
  let tail = '';
  let width = 0;
  // alternate: a character from the end, then one from the start, while they fit
  for (let i = 0, j = chars.length - 1, fromEnd = true; i <= j; fromEnd = !fromEnd) {
    const ch = fromEnd ? chars[j]! : chars[i]!;
    const w = charWidth(ch);
    if (width + w > room) break;
    width += w;
    if (fromEnd) {
      tail = ch + tail;
      j--;
    } else {
      head += ch;
      i++;
    }
  }
  return `${head}…${tail}`;
}
