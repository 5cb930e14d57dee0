import type { Position, Range } from '../model/source';
import { alignDocument, type Placement } from './alignment';
import type { RenderedDocument } from './renderedOutput';
import { readTemplateLines, type Piece, type TemplateLine } from './templateLines';

/** What an edit at a template range would change. */
export type EditTarget =
  | { kind: 'literal' }
  /** Exactly one `{{ … }}` action, on a line that printed once. */
  | { kind: 'action'; action: string };

interface PlacedDocument {
  /** Line of the joined text where the document starts. */
  base: number;
  lines: string[];
  placements: Array<Placement | undefined>;
}

/**
 * The rendered documents of one template file, joined into one text to parse, and the way back
 * from any position of that text to the template line and column that produced it.
 */
export class TemplateProjection {
  /** The documents, separated by `---`: what the analysis reads. */
  readonly text: string;
  private readonly template: TemplateLine[];
  private readonly documents: PlacedDocument[] = [];
  /** Template line → how many rendered lines it produced. */
  private readonly uses = new Map<number, number>();

  constructor(templateText: string, rendered: RenderedDocument[]) {
    this.template = readTemplateLines(templateText);
    const segments = segmentsOf(this.template);
    const joined: string[] = [];
    for (const document of rendered) {
      if (joined.length > 0) joined.push('---');
      let best: Array<Placement | undefined> = [];
      let bestScore = -1;
      for (const [from, to] of segments) {
        const { placements, score } = alignDocument(document.lines, this.template, from, to);
        if (score > bestScore) [best, bestScore] = [placements, score];
      }
      this.documents.push({ base: joined.length, lines: document.lines, placements: best });
      joined.push(...document.lines);
      for (const p of best) if (p) this.uses.set(p.line, (this.uses.get(p.line) ?? 0) + 1);
    }
    this.text = joined.join('\n') + '\n';
  }

  mapRange(range: Range): Range {
    const start = this.toTemplate(range.start, 'start');
    const end = this.toTemplate(range.end, 'end');
    const ordered = end.line > start.line || (end.line === start.line && end.character >= start.character);
    return { start, end: ordered ? end : start };
  }

  /** The template position that produced a position of the joined text. */
  toTemplate(position: Position, bias: 'start' | 'end'): Position {
    const found = this.placementAt(position.line);
    if (!found) return { line: 0, character: 0 };
    const { placement, rendered, exact } = found;
    const t = this.template[placement.line];
    if (!exact) return { line: placement.line, character: bias === 'start' ? 0 : t.text.length };
    if (placement.via === 'printed' || !placement.columns) {
      const actions = t.pieces.filter((p) => p.kind === 'action');
      const span = t.role === 'content' ? actions.slice(-1) : actions;
      if (span.length === 0) return { line: placement.line, character: bias === 'start' ? 0 : t.text.length };
      return { line: placement.line, character: bias === 'start' ? span[0].start : span[span.length - 1].end };
    }
    return { line: placement.line, character: columnOf(t, placement.columns, rendered, position.character, bias) };
  }

  /** How far the template line indents relative to the rendered line it produced. */
  indentShift(renderedLine: number): number {
    const found = this.placementAt(renderedLine);
    if (!found?.exact) return 0;
    return indentOf(this.template[found.placement.line].text) - indentOf(found.rendered);
  }

  /** Whether `range` (template coordinates) can be edited: literal text of lines that printed once. */
  editTarget(range: Range): EditTarget | undefined {
    const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
    let literal = true;
    for (let line = range.start.line; line <= last && literal; line++) {
      const t = this.template[line];
      if (!t) return undefined;
      if (t.role !== 'content') {
        literal = t.role === 'silent' && !t.text.includes('{{');
        continue;
      }
      if (this.uses.get(line) !== 1) return undefined;
      const from = line === range.start.line ? range.start.character : 0;
      const to = line === range.end.line ? range.end.character : t.text.length;
      literal = !t.pieces.some((p) => p.kind === 'action' && overlaps(p, from, to));
    }
    if (literal) return { kind: 'literal' };
    if (range.start.line !== range.end.line || this.uses.get(range.start.line) !== 1) return undefined;
    const t = this.template[range.start.line];
    const action = t.pieces.find((p) => p.kind === 'action' && p.start === range.start.character && p.end === range.end.character);
    return action ? { kind: 'action', action: t.text.slice(action.start, action.end) } : undefined;
  }

  /** The `{{ … }}` action written at a template position, if any. */
  actionAt(position: Position): { action: string; range: Range } | undefined {
    const t = this.template[position.line];
    const piece = t?.pieces.find((p) => p.kind === 'action' && p.start <= position.character && position.character <= p.end);
    if (!piece) return undefined;
    return {
      action: t.text.slice(piece.start, piece.end),
      range: { start: { line: position.line, character: piece.start }, end: { line: position.line, character: piece.end } },
    };
  }

  private placementAt(line: number): { placement: Placement; rendered: string; exact: boolean } | undefined {
    const document = [...this.documents].reverse().find((d) => d.base <= line) ?? this.documents[0];
    if (!document) return undefined;
    if (line >= document.base + document.lines.length) {
      // Past the document's end (the separator after it): the end of its last placed line.
      const k = document.placements.map((p, n) => (p ? n : -1)).reduce((a, b) => Math.max(a, b), -1);
      return k === -1 ? undefined : { placement: document.placements[k]!, rendered: document.lines[k], exact: false };
    }
    const i = Math.max(line - document.base, 0);
    const placement = document.placements[i];
    if (placement) return { placement, rendered: document.lines[i], exact: true };
    // An unplaced line (helm's comments, a separator): the nearest placed line stands for it.
    for (let d = 1; d < document.lines.length; d++) {
      for (const k of [i - d, i + d]) {
        const p = document.placements[k];
        if (p) return { placement: p, rendered: document.lines[k], exact: false };
      }
    }
    return undefined;
  }
}

/** Runs of template lines between `---` separators. */
function segmentsOf(template: TemplateLine[]): Array<[number, number]> {
  const segments: Array<[number, number]> = [];
  let from = 0;
  template.forEach((t, i) => {
    if (!t.separator) return;
    if (i > from) segments.push([from, i]);
    from = i + 1;
  });
  if (template.length > from) segments.push([from, template.length]);
  return segments.length > 0 ? segments : [[0, template.length]];
}

function columnOf(t: TemplateLine, columns: Array<[number, number]>, rendered: string, c: number, bias: 'start' | 'end'): number {
  if (c === 0) return 0;
  if (c >= rendered.length) return t.text.length;
  const pieces = t.pieces;
  for (let k = 0; k < pieces.length; k++) {
    const [a, b] = columns[k];
    const inside = bias === 'start' ? a <= c && c < b : a < c && c <= b;
    if (!inside) continue;
    const piece = pieces[k];
    if (piece.kind === 'action') return bias === 'start' ? piece.start : piece.end;
    return Math.min(piece.start + (c - a), piece.end);
  }
  // Between pieces: the blank before the next piece, or after the previous one.
  if (bias === 'start') {
    const next = pieces.findIndex((_, k) => columns[k][0] >= c);
    return next === -1 ? t.text.length : pieces[next].start;
  }
  const previous = pieces
    .map((_, k) => k)
    .reverse()
    .find((k) => columns[k][1] <= c);
  return previous === undefined ? 0 : pieces[previous].end;
}

const overlaps = (p: Piece, from: number, to: number) => (from === to ? p.start < from && from < p.end : p.start < to && from < p.end);
const indentOf = (line: string) => /^ */.exec(line)![0].length;
