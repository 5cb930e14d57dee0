import { matchLine, type TemplateLine } from './templateLines';

/** Which template line a rendered line came from, and how. */
export interface Placement {
  line: number;
  /**
   * `match`: the line's pattern, the only output of that template line;
   * `repeat`: the line's pattern again (a `range` loop) — the template line is shared;
   * `printed`: text printed by an action (`include`, `toYaml`) — no column of its own.
   */
  via: 'match' | 'repeat' | 'printed';
  /** For `match` and `repeat`: where each template piece sits in the rendered line. */
  columns?: Array<[number, number]>;
}

export interface Alignment {
  placements: Array<Placement | undefined>;
  score: number;
}

const PRINTED = 0.001;

/**
 * Aligns the lines of one rendered document with a template segment (`from`..`to`), keeping
 * order: the highest total weight of matched literal text wins. Lines a `range` repeats and
 * lines an action prints are placed afterwards.
 */
export function alignDocument(rendered: string[], template: TemplateLine[], from: number, to: number): Alignment {
  const n = rendered.length;
  const m = to - from;
  const width = m + 1;
  // best[(i * width + j) * 2 + s]: the best score for rendered[i..] against template[from + j..];
  // s = 1 when template line j has been entered and may go on printing.
  const best = new Float64Array((n + 1) * width * 2);
  const matches = new Int8Array(n * m); // 0 unknown, 1 yes, -1 no
  const at = (i: number, j: number, s: number) => best[(i * width + j) * 2 + s];
  const lineMatches = (i: number, j: number): boolean => {
    const k = i * m + j;
    if (matches[k] === 0) matches[k] = quickMatch(template[from + j], rendered[i]) ? 1 : -1;
    return matches[k] === 1;
  };
  const prints = (t: TemplateLine) => t.role === 'generator' || t.printsMore;

  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const t = template[from + j];
      for (const s of [1, 0]) {
        let v = Math.max(at(i, j + 1, 0), at(i + 1, j, s));
        if (s === 0) {
          if (t.role === 'content' && lineMatches(i, j)) v = Math.max(v, t.weight + at(i + 1, j, 1));
          if (t.role === 'generator') v = Math.max(v, at(i, j, 1));
        } else if (prints(t)) {
          v = Math.max(v, PRINTED + at(i + 1, j, 1));
        }
        best[(i * width + j) * 2 + s] = v;
      }
    }
  }

  const placements: Array<Placement | undefined> = new Array(n).fill(undefined);
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < n && j < m) {
    const t = template[from + j];
    const v = at(i, j, s);
    if (s === 0 && t.role === 'content' && lineMatches(i, j) && v === t.weight + at(i + 1, j, 1)) {
      placements[i] = { line: from + j, via: 'match', columns: matchLine(t, rendered[i]) };
      i++;
      s = 1;
    } else if (s === 0 && t.role === 'generator' && v === at(i, j, 1) && v > at(i, j + 1, 0)) {
      s = 1;
    } else if (s === 1 && prints(t) && v === PRINTED + at(i + 1, j, 1)) {
      const columns = t.role === 'content' ? matchLine(t, rendered[i]) : undefined;
      placements[i] = columns ? { line: from + j, via: 'repeat', columns } : { line: from + j, via: 'printed' };
      i++;
    } else if (v === at(i, j + 1, 0)) {
      j++;
      s = 0;
    } else {
      i++;
    }
  }
  placeRepeats(rendered, template, from, to, placements);
  return { placements, score: at(0, 0, 0) };
}

/** Lines left over by a loop: the best-matching template line between their placed neighbours. */
function placeRepeats(
  rendered: string[],
  template: TemplateLine[],
  from: number,
  to: number,
  placements: Array<Placement | undefined>,
): void {
  const original = placements.slice();
  for (let i = 0; i < rendered.length; i++) {
    if (original[i] || rendered[i].trim() === '' || rendered[i].trimStart().startsWith('#')) continue;
    const before =
      original
        .slice(0, i)
        .reverse()
        .find((p) => p)?.line ?? from;
    const after = original.slice(i + 1).find((p) => p)?.line ?? to - 1;
    const candidate =
      bestMatch(rendered[i], template, Math.min(before, after), Math.max(before, after)) ?? bestMatch(rendered[i], template, from, to - 1);
    if (candidate) placements[i] = candidate;
  }
  // A template line that produced more than one rendered line is a shared one.
  const uses = new Map<number, number>();
  for (const p of placements) if (p) uses.set(p.line, (uses.get(p.line) ?? 0) + 1);
  for (const p of placements) if (p && p.via === 'match' && (uses.get(p.line) ?? 0) > 1) p.via = 'repeat';
}

function bestMatch(rendered: string, template: TemplateLine[], from: number, to: number): Placement | undefined {
  let found: Placement | undefined;
  let weight = 0;
  for (let j = from; j <= to; j++) {
    const t = template[j];
    if (t.role !== 'content' || t.weight <= weight || !quickMatch(t, rendered)) continue;
    found = { line: j, via: 'repeat', columns: matchLine(t, rendered) };
    weight = t.weight;
  }
  return found;
}

function quickMatch(t: TemplateLine, rendered: string): boolean {
  if (!t.pattern) return t.text.trim() === rendered.trim();
  const anchor = t.pieces.find((p) => p.kind === 'literal');
  if (anchor && !rendered.includes(t.text.slice(anchor.start, anchor.end))) return false;
  return t.pattern.test(rendered);
}
