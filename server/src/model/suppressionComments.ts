import type { Range } from './source';

/** One code named by a suppression, where it is written. */
export interface SuppressedCode {
  code: string;
  range: Range;
}

/** `# port-lens: ignore <code>[, <code>…]`: the codes it names and the line it silences. */
export interface SuppressionComment {
  codes: SuppressedCode[];
  /** The comment itself, from `#` to the end of its line. */
  range: Range;
  /** The line it silences: its own, or the next one when the comment is alone on its line. */
  target: Range;
}

const MARKER = 'port-lens:';
const COMMENT = /(^|\s)#\s*port-lens:\s*ignore\b(.*)$/;
const CODE = /[^\s,]+/g;

/** Every suppression comment of a file's text. */
export function suppressionComments(text: string): SuppressionComment[] {
  if (!text.includes(MARKER)) return [];
  const comments: SuppressionComment[] = [];
  const lines = text.split(/\r?\n|\r/);
  for (let line = 0; line < lines.length; line++) {
    const match = COMMENT.exec(lines[line]);
    if (!match) continue;
    const hash = match.index + match[1].length;
    const listStart = lines[line].length - match[2].length;
    const codes: SuppressedCode[] = [];
    for (const code of match[2].matchAll(CODE)) {
      const start = listStart + code.index;
      codes.push({ code: code[0], range: lineRange(line, start, start + code[0].length) });
    }
    const alone = lines[line].slice(0, hash).trim() === '';
    const targetLine = alone ? line + 1 : line;
    comments.push({
      codes,
      range: lineRange(line, hash, lines[line].length),
      target: lineRange(targetLine, 0, alone ? (lines[targetLine]?.length ?? 0) : hash),
    });
  }
  return comments;
}

/** The codes of a `port-lens.io/ignore` annotation value, as written, with their ranges. */
export function annotationCodes(value: string, valueRange: Range): SuppressedCode[] {
  const codes: SuppressedCode[] = [];
  const singleLine = valueRange.start.line === valueRange.end.line;
  for (const code of value.matchAll(CODE)) {
    const start = valueRange.start.character + code.index;
    // A value spread over lines is marked whole; on one line each code gets its own range.
    codes.push({ code: code[0], range: singleLine ? lineRange(valueRange.start.line, start, start + code[0].length) : valueRange });
  }
  return codes;
}

/**
 * The edit that silences `code` on `line`: appends it to the line's suppression comment, or
 * writes one at the end of the line.
 */
export function ignoreEdit(lineText: string, line: number, code: string): { range: Range; newText: string } {
  const end = lineText.length;
  const existing = COMMENT.exec(lineText);
  if (existing) return { range: lineRange(line, end, end), newText: existing[2].trim() === '' ? ` ${code}` : `, ${code}` };
  const padding = lineText === '' || /\s$/.test(lineText) ? '' : ' ';
  return { range: lineRange(line, end, end), newText: `${padding}# port-lens: ignore ${code}` };
}

function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}
