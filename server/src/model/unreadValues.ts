/**
 * The keys the analysis reads in each mapping of a document, by the mapping's path from the root:
 * keys joined by `.`, `[]` for the items of a block sequence (`spec.template.spec.containers[]`).
 * In a mapping listed here, the value of any other key is never looked at; mappings not listed
 * (labels, selectors, port entries) are read whole.
 */
export type ReadKeys = ReadonlyMap<string, ReadonlySet<string>>;

/** A plain key: resolves to a string (no number, boolean or null), so equal keys are equal text. */
const KEY = /([A-Za-z_][A-Za-z0-9_./-]*):(?= |$)/y;
const NON_STRING_KEY = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
const BLOCK_SCALAR_HEADER = /[|>][-+]?(?: +#.*)? *$/y;
const DOUBLE_QUOTED = /"(?:[^"\\]|\\[\\"/ntr0abefv ])*"(?: +#.*)? *$/y;
const SINGLE_QUOTED = /'(?:[^']|'')*'(?: +#.*)? *$/y;
const TRAILING_COMMENT = /(?: +#.*)? *$/y;
/** Characters yaml rejects or treats specially; a tab, too, is left to the parser. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it looks for
const UNSAFE_CHAR = /[\x00-\x1f\x7f-\x9f\ufeff]/;
const FLOW_PLAIN = /[A-Za-z0-9_./=+~$()^]|-(?=[A-Za-z0-9_./=+~$()^-])/y;
const FLOW_PLAIN_REST = /[^,[\]{}:#"'\s]*(?: [^,[\]{}:#"'\s]+)*/y;
const FLOW_DOUBLE = /"(?:[^"\\]|\\[\\"/ntr0abefv ])*"/y;
const FLOW_SINGLE = /'(?:[^']|'')*'/y;
/** Deeper nesting in a value is left to the parser (and keeps the validator's recursion short). */
const MAX_DEPTH = 64;
const FLOW_KEY = /([A-Za-z_][A-Za-z0-9_./-]*): /y;

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** Offset where its content ends (before `\r\n` or `\n`). */
  end: number;
  indent: number;
  /** Only spaces. */
  blank: boolean;
  comment: boolean;
}

/**
 * The document [start, end) of `text` with the values of unread keys replaced by spaces (line
 * breaks included: a value and its lines become trailing spaces of its key's line), so yaml has
 * nothing to build there while every other node keeps its offsets. Undefined when nothing could
 * be blanked. Only values written in a plain subset of YAML that yaml surely reads without an error
 * are blanked (plain keys, single-line scalars and flow collections, block scalars, consistent
 * indentation, no tabs, anchors, aliases, tags or duplicate keys), so blanking never hides an
 * error. Of the value that ends the document, its last line is kept (all of it, unless that line
 * holds a node of its own), so the root mapping keeps its range. A document whose structure the
 * scan cannot follow is left as it is.
 */
export function blankUnreadValues(text: string, start: number, end: number, readKeys: ReadKeys): string | undefined {
  const lines = splitLines(text, start, end);
  const blanks = new UnreadScan(text, lines, readKeys).run();
  if (!blanks || blanks.length === 0) return undefined;
  let out = '';
  let at = start;
  for (const [from, to] of blanks) {
    out += text.slice(at, from) + ' '.repeat(to - from);
    at = to;
  }
  return out + text.slice(at, end);
}

function splitLines(text: string, start: number, end: number): Line[] {
  const lines: Line[] = [];
  for (let pos = start; pos < end;) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1 || eol > end) eol = end;
    const contentEnd = eol > pos && text.charCodeAt(eol - 1) === 0x0d ? eol - 1 : eol;
    let i = pos;
    while (i < contentEnd && text.charCodeAt(i) === 0x20) i++;
    lines.push({ start: pos, end: contentEnd, indent: i - pos, blank: i === contentEnd, comment: text.charCodeAt(i) === 0x23 });
    pos = eol + 1;
  }
  return lines;
}

interface Level {
  /** Column of the mapping's keys or of the sequence's dashes. */
  column: number;
  sequence: boolean;
  path: string;
}

/** Follows the block structure of a document line by line, collecting the spans to blank. */
class UnreadScan {
  private readonly blanks: Array<[number, number]> = [];
  /** The last blanked value: its key's line, its last line, and whether that line holds a whole node of its own. */
  private lastBlanked: { key: number; last: number; ownLine: boolean } | undefined;

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
    private readonly readKeys: ReadKeys,
  ) {}

  run(): Array<[number, number]> | undefined {
    const { text, lines } = this;
    const levels: Level[] = [{ column: 0, sequence: false, path: '' }];
    /** After `key:` or `-` with nothing more: the node on the next lines, if deeper. */
    let pending: { column: number; path: string; dash: boolean } | undefined;
    /** Lines deeper than this column continue the value before them (a scalar, a flow collection). */
    let continuation = -1;
    let lastContent = -1;
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n];
      if (line.blank || line.comment) continue;
      lastContent = n;
      if (continuation >= 0) {
        if (line.indent > continuation) continue;
        continuation = -1;
      }
      if (line.indent === 0 && text.startsWith('---', line.start)) continue;
      if (text.charCodeAt(line.start + line.indent) === 0x09) return undefined;
      const dash = this.isDash(line.start + line.indent, line.end);
      if (pending) {
        if (line.indent > pending.column || (line.indent === pending.column && !pending.dash && dash)) {
          levels.push({ column: line.indent, sequence: dash, path: pending.path });
        }
        pending = undefined;
      }
      let top = levels.at(-1);
      while (top && (top.column > line.indent || (top.column === line.indent && top.sequence && !dash))) {
        levels.pop();
        top = levels.at(-1);
      }
      if (!top || top.column !== line.indent || top.sequence !== dash) return undefined;
      let column = line.indent;
      let mapPath = top.path;
      if (dash) {
        const itemPath = top.path + '[]';
        column = this.skipSpaces(line.start + column + 1, line.end) - line.start;
        const at = line.start + column;
        if (at === line.end || text.charCodeAt(at) === 0x23) {
          pending = { column: line.indent, path: itemPath, dash: true };
          continue;
        }
        if (this.isDash(at, line.end)) return undefined;
        KEY.lastIndex = at;
        if (!KEY.test(text.slice(0, line.end))) {
          if (!this.flowClosed(at, line.end)) return undefined;
          continuation = line.indent;
          continue;
        }
        levels.push({ column, sequence: false, path: itemPath });
        mapPath = itemPath;
      }
      const keyAt = line.start + column;
      const content = text.slice(0, line.end);
      KEY.lastIndex = keyAt;
      const key = KEY.exec(content);
      if (!key) return undefined;
      const afterColon = KEY.lastIndex;
      const valueAt = this.skipSpaces(afterColon, line.end);
      const read = this.readKeys.get(mapPath);
      if (read && !read.has(key[1])) {
        const value = this.valueLines(n, column, valueAt);
        if (value !== undefined) {
          const { last, ownLine } = value;
          this.blanks.push([afterColon, lines[last].end]);
          this.lastBlanked = { key: n, last, ownLine };
          n = last;
          lastContent = last;
          continue;
        }
      }
      const childPath = mapPath === '' ? key[1] : `${mapPath}.${key[1]}`;
      if (valueAt === line.end || text.charCodeAt(valueAt) === 0x23) pending = { column, path: childPath, dash: false };
      else if (this.flowClosed(valueAt, line.end)) continuation = column;
      else return undefined;
    }
    // The last value of the document ends its root mapping's range: keep it, or at least its last
    // line when that holds a node of its own (`name: x`, `- x`): the range ends with it all the same.
    if (this.lastBlanked && this.lastBlanked.last >= lastContent) {
      const { key, last, ownLine } = this.lastBlanked;
      const [from] = this.blanks.pop()!;
      if (ownLine && last > key + 1) this.blanks.push([from, lines[last - 1].end]);
    }
    return this.blanks;
  }

  /**
   * The last line of the value of the key on line `n` (at `column`), if it is written in the
   * subset that surely parses without an error; undefined if it is not, or is empty.
   */
  private valueLines(n: number, column: number, valueAt: number): { last: number; ownLine: boolean } | undefined {
    const { text, lines } = this;
    const line = lines[n];
    if (UNSAFE_CHAR.test(text.slice(valueAt, line.end))) return undefined;
    const empty = valueAt === line.end || text.charCodeAt(valueAt) === 0x23;
    if (!empty) {
      let last: number | undefined = n;
      if (isBlockScalarHeader(text, valueAt, line.end)) last = new Validator(text, lines, n + 1).blockScalar(column);
      else if (!isInlineValue(text, valueAt, line.end)) return undefined;
      if (last === undefined) return undefined;
      // What follows is shallower or a sibling key (a dash there would become the blanked key's value).
      const next = nextContent(lines, last + 1);
      const followed =
        next === undefined ||
        lines[next].indent < column ||
        (lines[next].indent === column && !isDashAt(text, lines[next].start + column, lines[next].end));
      return followed ? { last, ownLine: false } : undefined;
    }
    // The lines below that belong to the value: deeper ones, and a compact sequence at the key's column.
    let last = n;
    for (let m = n + 1; m < lines.length; m++) {
      const l = lines[m];
      if (l.blank || l.comment) continue;
      if (l.indent > column || (l.indent === column && isDashAt(text, l.start + l.indent, l.end))) last = m;
      else break;
    }
    if (last === n) return undefined;
    for (let m = n + 1; m <= last; m++) if (UNSAFE_CHAR.test(text.slice(lines[m].start, lines[m].end))) return undefined;
    const validator = new Validator(text, lines, n + 1, last + 1);
    return validator.block(column, true) && validator.done() ? { last, ownLine: validator.ownLine === last } : undefined;
  }

  private isDash(at: number, end: number): boolean {
    return isDashAt(this.text, at, end);
  }

  private skipSpaces(at: number, end: number): number {
    while (at < end && this.text.charCodeAt(at) === 0x20) at++;
    return at;
  }

  /** A value on a structural line: a flow collection must close on it (else it runs on in ways not followed here). */
  private flowClosed(at: number, end: number): boolean {
    const c = this.text.charCodeAt(at);
    if (c !== 0x5b && c !== 0x7b) return true;
    let last = end - 1;
    while (last > at && this.text.charCodeAt(last) === 0x20) last--;
    const close = this.text.charCodeAt(last);
    return close === 0x5d || close === 0x7d;
  }
}

function isDashAt(text: string, at: number, end: number): boolean {
  return text.charCodeAt(at) === 0x2d && (at + 1 === end || text.charCodeAt(at + 1) === 0x20);
}

function nextContent(lines: Line[], from: number, to = lines.length): number | undefined {
  for (let m = from; m < to; m++) if (!lines[m].blank && !lines[m].comment) return m;
  return undefined;
}

function isBlockScalarHeader(text: string, at: number, end: number): boolean {
  BLOCK_SCALAR_HEADER.lastIndex = at;
  return BLOCK_SCALAR_HEADER.test(text.slice(0, end));
}

/** A scalar or flow collection on one line (with an optional comment) that yaml reads without an error. */
function isInlineValue(text: string, at: number, end: number): boolean {
  const content = text.slice(0, end);
  const c = text.charCodeAt(at);
  if (c === 0x22) {
    DOUBLE_QUOTED.lastIndex = at;
    return DOUBLE_QUOTED.test(content);
  }
  if (c === 0x27) {
    SINGLE_QUOTED.lastIndex = at;
    return SINGLE_QUOTED.test(content);
  }
  if (c === 0x5b || c === 0x7b) {
    const after = flowNode(content, at, 0);
    if (after === undefined) return false;
    TRAILING_COMMENT.lastIndex = after;
    return TRAILING_COMMENT.test(content);
  }
  return isPlain(content, at);
}

/** A plain scalar in block context: no indicator first, no `: ` or final `:` (a mapping), ` #` starts a comment. */
function isPlain(content: string, at: number): boolean {
  const c = content.charCodeAt(at);
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  if ('?:,[]{}#&*!|>\'"%@`'.includes(content[at])) return false;
  if (c === 0x2d && (at + 1 === content.length || content.charCodeAt(at + 1) === 0x20)) return false;
  const comment = content.indexOf(' #', at);
  const value = (comment === -1 ? content.slice(at) : content.slice(at, comment)).trimEnd();
  return !value.includes(': ') && !value.endsWith(':');
}

/** The offset after a flow node on one line (nested at most a few levels), or undefined if it is not a simple one. */
function flowNode(content: string, at: number, depth: number): number | undefined {
  const c = content.charCodeAt(at);
  if (c === 0x5b || c === 0x7b) {
    if (depth > 3) return undefined;
    const map = c === 0x7b;
    const close = map ? 0x7d : 0x5d;
    const keys = new Set<string>();
    let pos = skip(content, at + 1);
    if (content.charCodeAt(pos) === close) return pos + 1;
    for (;;) {
      if (map) {
        FLOW_KEY.lastIndex = pos;
        const key = FLOW_KEY.exec(content);
        if (!key || NON_STRING_KEY.test(key[1]) || keys.has(key[1])) return undefined;
        keys.add(key[1]);
        pos = skip(content, FLOW_KEY.lastIndex);
      }
      const after = flowNode(content, pos, depth + 1);
      if (after === undefined) return undefined;
      pos = skip(content, after);
      const next = content.charCodeAt(pos);
      if (next === close) return pos + 1;
      if (next !== 0x2c) return undefined;
      pos = skip(content, pos + 1);
      if (content.charCodeAt(pos) === close) return undefined;
    }
  }
  if (c === 0x22 || c === 0x27) {
    const quoted = c === 0x22 ? FLOW_DOUBLE : FLOW_SINGLE;
    quoted.lastIndex = at;
    return quoted.test(content) ? quoted.lastIndex : undefined;
  }
  FLOW_PLAIN.lastIndex = at;
  if (!FLOW_PLAIN.test(content)) return undefined;
  FLOW_PLAIN_REST.lastIndex = at + 1;
  FLOW_PLAIN_REST.test(content);
  return FLOW_PLAIN_REST.lastIndex;
}

function skip(content: string, at: number): number {
  while (content.charCodeAt(at) === 0x20) at++;
  return at;
}

/**
 * Checks that lines [from, to) hold one block node in the safe subset, line by line: mappings of
 * plain, distinct keys; sequences; inline values as above; block scalars — all consistently indented.
 */
class Validator {
  private n: number;
  private depth = 0;
  /** The last line that holds a whole node of its own: `key: value`, `key:` with nothing below, `- value`. */
  ownLine = -1;

  constructor(
    private readonly text: string,
    private readonly lines: Line[],
    from: number,
    private readonly to = lines.length,
  ) {
    this.n = from;
  }

  /** Every content line was taken. */
  done(): boolean {
    return nextContent(this.lines, this.n, this.to) === undefined;
  }

  private peek(): Line | undefined {
    const m = nextContent(this.lines, this.n, this.to);
    if (m === undefined) return undefined;
    this.n = m;
    return this.lines[m];
  }

  private dash(line: Line): boolean {
    return isDashAt(this.text, line.start + line.indent, line.end);
  }

  /** The node below a key at `parent` (or a dash): deeper, or a compact sequence at the key's column. */
  block(parent: number, compact: boolean): boolean {
    const line = this.peek();
    if (!line || ++this.depth > MAX_DEPTH || UNSAFE_CHAR.test(this.text.slice(line.start, line.end))) return false;
    let valid: boolean;
    if (line.indent > parent) valid = this.dash(line) ? this.sequence(line.indent) : this.mapping(line.indent);
    else valid = compact && line.indent === parent && this.dash(line) && this.sequence(parent);
    this.depth--;
    return valid;
  }

  private sequence(column: number): boolean {
    const { text } = this;
    for (let line = this.peek(); line && line.indent === column && this.dash(line); line = this.peek()) {
      if (UNSAFE_CHAR.test(text.slice(line.start, line.end))) return false;
      const at = skip(text, line.start + column + 1);
      if (at === line.end || text.charCodeAt(at) === 0x23) {
        const own = this.n++;
        const next = this.peek();
        if (next && next.indent > column) {
          if (!this.block(column, false)) return false;
        } else this.ownLine = own;
        continue;
      }
      if (isDashAt(text, at, line.end)) return false;
      KEY.lastIndex = at;
      if (KEY.test(text.slice(0, line.end))) {
        if (!this.mapping(at - line.start)) return false;
        continue;
      }
      if (!this.value(line, at, column, true)) return false;
    }
    return true;
  }

  /** A mapping whose keys are at `column`; its first key may follow a dash on the current line. */
  private mapping(column: number): boolean {
    const { text } = this;
    const keys = new Set<string>();
    for (
      let line = this.peek(), first = true;
      line && (first || (line.indent === column && !this.dash(line)));
      line = this.peek(), first = false
    ) {
      if (UNSAFE_CHAR.test(text.slice(line.start, line.end))) return false;
      const content = text.slice(0, line.end);
      KEY.lastIndex = line.start + column;
      const key = KEY.exec(content);
      if (!key || key[1].length > 1000 || NON_STRING_KEY.test(key[1]) || keys.has(key[1])) return false;
      keys.add(key[1]);
      const at = skip(text, KEY.lastIndex);
      if (at === line.end || text.charCodeAt(at) === 0x23) {
        const own = this.n++;
        const next = this.peek();
        if (next && (next.indent > column || (next.indent === column && this.dash(next)))) {
          if (!this.block(column, true)) return false;
        } else this.ownLine = own;
        continue;
      }
      if (!this.value(line, at, column)) return false;
    }
    return true;
  }

  /** An inline value or a block scalar after a key or (`item`) a dash at `column`. */
  private value(line: Line, at: number, column: number, item = false): boolean {
    const own = this.n++;
    if (isBlockScalarHeader(this.text, at, line.end)) {
      const last = this.blockScalar(column);
      if (last === undefined) return false;
      this.n = last + 1;
      return true;
    }
    if (!isInlineValue(this.text, at, line.end)) return false;
    this.ownLine = own;
    const next = this.peek();
    // Deeper lines would continue the value; after a key, a dash at its column would be an error.
    return !next || next.indent < column || (next.indent === column && (item || !this.dash(next)));
  }

  /**
   * The last line of a block scalar's content starting at the current line (under a key or dash
   * at `parent`), if it has no tab, no explicit indentation and no leading blank line deeper than
   * its first line; undefined otherwise or if it is empty.
   */
  blockScalar(parent: number): number | undefined {
    const { text, lines } = this;
    let contentIndent = -1;
    let maxLeadingBlank = 0;
    let last: number | undefined;
    for (let m = this.n; m < this.to; m++) {
      const l = lines[m];
      if (text.slice(l.start, l.end).includes('\t')) return undefined;
      if (l.blank) {
        if (contentIndent < 0) maxLeadingBlank = Math.max(maxLeadingBlank, l.indent);
        continue;
      }
      if (l.indent <= parent) break;
      if (contentIndent < 0) contentIndent = l.indent;
      else if (l.indent < contentIndent) return undefined;
      if (UNSAFE_CHAR.test(text.slice(l.start, l.end))) return undefined;
      last = m;
    }
    if (last === undefined || maxLeadingBlank > contentIndent) return undefined;
    return last;
  }
}
