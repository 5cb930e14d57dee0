/**
 * The lines of a Helm template, read as patterns of the output they produce: literal text,
 * `{{ … }}` actions standing for any text, and lines that emit nothing of their own.
 */

export interface Piece {
  kind: 'literal' | 'action';
  /** Columns in the template line. */
  start: number;
  end: number;
}

export interface TemplateLine {
  text: string;
  /**
   * `content`: literal text, maybe with actions (`port: {{ .Values.x }}`);
   * `generator`: only actions that print (`{{- include "labels" . | nindent 4 }}`);
   * `silent`: blank, a comment, or only control actions (`{{- if … }}`, `{{- end }}`).
   */
  role: 'content' | 'generator' | 'silent';
  pieces: Piece[];
  /** For `content` lines: matches a rendered line; group k is piece k. */
  pattern?: RegExp;
  /** How much literal text the line pins down: a better match outweighs a vaguer one. */
  weight: number;
  /** The line ends in an action that may print more lines (`labels: {{- include … | nindent 4 }}`). */
  printsMore: boolean;
  /** A document separator (`---`). */
  separator: boolean;
}

const ACTION = /\{\{[\s\S]*?\}\}/g;
const CONTROL = /^\{\{-?\s*(?:if|else|end|range|with|define|block|break|continue|\/\*|\$[\w]*\s*:?=)/;
const MAX_PATTERN_LINE = 2000;

export function readTemplateLines(text: string): TemplateLine[] {
  return text.split(/\r?\n/).map(readLine);
}

function readLine(text: string): TemplateLine {
  const separator = /^---\s*$/.test(text);
  const pieces: Piece[] = [];
  let at = 0;
  for (const action of text.matchAll(ACTION)) {
    const start = action.index ?? 0;
    pushLiteral(pieces, text, at, start);
    pieces.push({ kind: 'action', start, end: start + action[0].length });
    at = start + action[0].length;
  }
  pushLiteral(pieces, text, at, text.length);

  const literals = pieces.filter((p) => p.kind === 'literal');
  const actions = pieces.filter((p) => p.kind === 'action');
  const trimmed = text.trim();
  const base = { text, pieces, weight: 0, printsMore: false, separator };
  if (trimmed === '' || trimmed.startsWith('#') || separator) return { ...base, role: 'silent' };
  if (literals.length === 0) {
    const prints = actions.some((a) => !CONTROL.test(text.slice(a.start, a.end)));
    return { ...base, role: prints ? 'generator' : 'silent' };
  }
  const last = pieces[pieces.length - 1];
  return {
    ...base,
    role: 'content',
    pattern: text.length <= MAX_PATTERN_LINE ? patternOf(text, pieces) : undefined,
    weight: 1 + literals.reduce((n, p) => n + text.slice(p.start, p.end).replace(/\s/g, '').length, 0),
    printsMore: last.kind === 'action' && !CONTROL.test(text.slice(last.start, last.end)),
  };
}

/** Literal text is split into words and the blanks between them, so each word is one piece. */
function pushLiteral(pieces: Piece[], text: string, from: number, to: number): void {
  for (const word of text.slice(from, to).matchAll(/\S+/g)) {
    const start = from + (word.index ?? 0);
    pieces.push({ kind: 'literal', start, end: start + word[0].length });
  }
}

function patternOf(text: string, pieces: Piece[]): RegExp {
  // `{{-` and `-}}` eat the blanks beside them, and indentation may differ (nindent): blanks match loosely.
  const parts = pieces.map((p) => (p.kind === 'action' ? '(.*?)' : `(${escape(text.slice(p.start, p.end))})`));
  return new RegExp(`^\\s*${parts.join('\\s*')}\\s*$`, 'd');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where each piece of `line` sits in a rendered line it matches, or undefined when it does not match. */
export function matchLine(line: TemplateLine, rendered: string): Array<[number, number]> | undefined {
  if (!line.pattern) return undefined;
  const match = line.pattern.exec(rendered);
  if (!match?.indices) return undefined;
  return line.pieces.map((_, k) => match.indices![k + 1] as [number, number]);
}

/** The text of a template action without its delimiters and trim markers. */
export function actionBody(action: string): string {
  return action
    .replace(/^\{\{-?/, '')
    .replace(/-?\}\}$/, '')
    .trim();
}
