import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

/**
 * A reader for the plain block-style subset of YAML that manifests are written in: block
 * mappings of plain keys, block sequences, one-line plain and quoted scalars and one-line flow
 * collections. It builds the nodes `yaml` builds for the same text (same classes, values, scalar
 * types and the ranges the readers take), several times faster, and answers undefined on
 * anything outside the subset — anchors, aliases, tags, merge keys, block scalars, multi-line
 * scalars, escapes, tabs, CR, duplicate keys, keys that are not plain strings, numbers other than
 * plain decimal integers, comments among the content, a `Source:` comment, directives — which
 * the caller then leaves to `yaml`. Differential tests compare both on generated and real files.
 */
export function readBlockDocument(text: string, base = 0): YAMLMap | undefined {
  if (!text.endsWith('\n')) return undefined;
  try {
    const map = new BlockReader(text).document();
    if (map && base !== 0) shift(map, base);
    return map;
  } catch {
    // Outside the subset, or nested deeper than the stack allows: yaml reads it (and says what is wrong).
    return undefined;
  }
}

const OUTSIDE = new Error('outside the block subset');
const outside = (): never => {
  throw OUTSIDE;
};

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;
/** What core schema reads as a number in another form (octal, hex, float, signed, leading zeros): left to yaml. */
const OTHER_NUMBER = new RegExp(
  `^(?:${[
    /[-+]?[0-9]+/,
    /0o[0-7]+/,
    /0x[0-9a-fA-F]+/,
    /[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?/,
    /[-+]?\.(?:inf|Inf|INF)/,
    /\.nan|\.NaN|\.NAN/,
  ]
    .map((r) => r.source)
    .join('|')})$`,
);
const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Characters that cannot start a plain scalar here (indicators, or ones the subset leaves to yaml). */
const PLAIN_FIRST = /[-?:,[\]{}#&*!|>'"%@`\s]/;
const HELM_SOURCE = /Source:/;

interface Line {
  start: number;
  /** Offset of the line break (or the end). */
  end: number;
  indent: number;
}

class BlockReader {
  private readonly lines: Line[] = [];
  private i = 0;

  constructor(private readonly text: string) {
    if (/[\t\r]/.test(text)) outside();
    const start = 0;
    let at = start;
    let content = false;
    while (at < text.length) {
      const lineEnd = text.indexOf('\n', at);
      let indent = 0;
      while (text.charCodeAt(at + indent) === 32) indent++;
      const first = text[at + indent];
      if (at + indent === lineEnd) {
        // blank
      } else if (first === '#') {
        // A comment before the content may carry Helm's source; among the content it may move ranges.
        if (content || HELM_SOURCE.test(text.slice(at, lineEnd))) outside();
      } else if (!content && text.startsWith('---', at) && at === start) {
        if (!/^---[ ]*$/.test(text.slice(at, lineEnd))) outside();
      } else if (first === '%' || (indent === 0 && (text.startsWith('---', at) || text.startsWith('...', at)))) {
        outside();
      } else {
        content = true;
        this.lines.push({ start: at, end: lineEnd, indent });
      }
      at = lineEnd + 1;
    }
  }

  document(): YAMLMap | undefined {
    if (this.lines.length === 0 || this.lines[0].indent !== 0) return undefined;
    const map = this.map(0, this.lines[0].start);
    if (this.i < this.lines.length) outside();
    return map;
  }

  /** A block mapping whose keys are at `column`; its first key starts at `first` (after "- " in a sequence). */
  private map(column: number, first: number): YAMLMap {
    const map = new YAMLMap();
    const keys = new Set<string>();
    let at = first;
    for (;;) {
      const line = this.lines[this.i];
      const colon = this.text.indexOf(':', at);
      if (colon === -1 || colon >= line.end) outside();
      const key = this.text.slice(at, colon);
      if (!KEY.test(key) || NULL.test(key) || BOOL.test(key) || keys.has(key)) outside();
      keys.add(key);
      const keyNode = scalar(key, 'PLAIN', at, colon, colon);
      const after = colon + 1;
      if (after < line.end && this.text[after] !== ' ') outside();
      let valueStart = after;
      while (valueStart < line.end && this.text.charCodeAt(valueStart) === 32) valueStart++;
      let value: Node;
      this.i++;
      if (valueStart === line.end) {
        const next = this.lines[this.i];
        if (next && next.indent > column) value = this.block(next.indent);
        else if (next && next.indent === column && this.isItem(next)) value = this.seq(column);
        else value = scalar(null, 'PLAIN', line.end, line.end, line.end);
      } else {
        value = this.inline(valueStart, line.end);
        const next = this.lines[this.i];
        if (next && next.indent > column) outside();
      }
      map.items.push(new Pair(keyNode, value));
      const next = this.lines[this.i];
      if (!next || next.indent < column) break;
      if (next.indent > column || this.isItem(next)) outside();
      at = next.start + column;
    }
    setRange(map, first, endOf(map.items.at(-1)!.value as Node));
    return map;
  }

  private isItem(line: Line): boolean {
    return this.text.charCodeAt(line.start + line.indent) === 45 /* - */ && this.text.charCodeAt(line.start + line.indent + 1) === 32;
  }

  /** The block collection starting at the current line, indented by `column`. */
  private block(column: number): Node {
    const line = this.lines[this.i];
    if (this.isItem(line)) return this.seq(column);
    return this.map(column, line.start + column);
  }

  private seq(column: number): YAMLSeq {
    const seq = new YAMLSeq();
    const first = this.lines[this.i].start + column;
    for (;;) {
      const line = this.lines[this.i];
      const itemStart = line.start + column + 2;
      const c = this.text[itemStart];
      if (c === ' ' || itemStart >= line.end) outside();
      if (this.startsPair(itemStart, line.end)) {
        seq.items.push(this.map(column + 2, itemStart));
      } else {
        seq.items.push(this.inline(itemStart, line.end));
        this.i++;
        const next = this.lines[this.i];
        if (next && next.indent > column) outside();
      }
      const next = this.lines[this.i];
      if (!next || next.indent < column) break;
      if (next.indent > column || !this.isItem(next)) {
        // A mapping key at the sequence's column ends it when the sequence is a mapping's value.
        if (next.indent === column) break;
        outside();
      }
    }
    setRange(seq, first, endOf(seq.items.at(-1) as Node));
    return seq;
  }

  /** Does a plain key followed by ": " (or ":" at the end) start at `at`? */
  private startsPair(at: number, lineEnd: number): boolean {
    if (PLAIN_FIRST.test(this.text[at])) return false;
    for (let k = at; k < lineEnd; k++) {
      const c = this.text[k];
      if (c === ':' && (k + 1 === lineEnd || this.text[k + 1] === ' ')) return true;
      if (c === ' ' && this.text[k + 1] === '#') return false;
    }
    return false;
  }

  /** A one-line value: plain, quoted or flow, with an optional comment after it. */
  private inline(start: number, lineEnd: number): Node {
    const text = this.text;
    const c = text[start];
    let node: Node;
    let valueEnd: number;
    if (c === '"' || c === "'") {
      valueEnd = this.quotedEnd(start, lineEnd);
      node = quoted(text, start, valueEnd);
    } else if (c === '[' || c === '{') {
      const flow = new FlowReader(text, start, lineEnd);
      node = flow.collection();
      valueEnd = flow.at;
    } else {
      if (PLAIN_FIRST.test(c)) outside();
      let e = start;
      while (e < lineEnd && !(text[e] === ' ' && text[e + 1] === '#')) {
        if (text[e] === ':' && (e + 1 === lineEnd || text[e + 1] === ' ')) outside();
        e++;
      }
      while (text[e - 1] === ' ') e--;
      valueEnd = e;
      node = plain(text.slice(start, e), start, e);
    }
    // Only spaces or a comment may follow.
    let k = valueEnd;
    while (k < lineEnd && text[k] === ' ') k++;
    if (k < lineEnd && !(text[k] === '#' && k > valueEnd)) outside();
    setRange(node, node.range![0], node.range![1], lineEnd + 1);
    return node;
  }

  private quotedEnd(start: number, lineEnd: number): number {
    const q = this.text[start];
    for (let k = start + 1; k < lineEnd; k++) {
      const c = this.text[k];
      if (c === '\\' && q === '"') outside();
      if (c === q) {
        if (q === "'" && this.text[k + 1] === "'") {
          k++;
          continue;
        }
        return k + 1;
      }
    }
    return outside();
  }
}

/** A one-line flow collection: `[a, "b", {c: 1}]`. */
class FlowReader {
  constructor(
    private readonly text: string,
    public at: number,
    private readonly lineEnd: number,
  ) {}

  collection(): Node {
    const open = this.text[this.at];
    const start = this.at;
    this.at++;
    const node = open === '[' ? new YAMLSeq() : new YAMLMap();
    node.flow = true;
    const close = open === '[' ? ']' : '}';
    const keys = new Set<string>();
    this.spaces();
    if (this.text[this.at] === close) {
      this.at++;
      setRange(node, start, this.at);
      return node;
    }
    for (;;) {
      if (open === '[') (node as YAMLSeq).items.push(this.value(false));
      else {
        const keyStart = this.at;
        while (this.at < this.lineEnd && this.text[this.at] !== ':' && !',[]{}'.includes(this.text[this.at])) this.at++;
        const key = this.text.slice(keyStart, this.at).trimEnd();
        if (
          this.text[this.at] !== ':' ||
          this.text[this.at + 1] !== ' ' ||
          !KEY.test(key) ||
          NULL.test(key) ||
          BOOL.test(key) ||
          keys.has(key)
        )
          outside();
        keys.add(key);
        const keyNode = scalar(key, 'PLAIN', keyStart, keyStart + key.length, keyStart + key.length);
        this.at++;
        this.spaces();
        (node as YAMLMap).items.push(new Pair(keyNode, this.value(true)));
      }
      this.spaces();
      const c = this.text[this.at];
      if (c === close) {
        this.at++;
        setRange(node, start, this.at);
        return node;
      }
      if (c !== ',') outside();
      this.at++;
      this.spaces();
      if (this.text[this.at] === close) outside(); // a trailing comma
    }
  }

  private value(inMap: boolean): Node {
    const c = this.text[this.at];
    if (c === '[' || c === '{') return this.collection();
    const start = this.at;
    if (c === '"' || c === "'") {
      for (let k = start + 1; k < this.lineEnd; k++) {
        const d = this.text[k];
        if (d === '\\' && c === '"') outside();
        if (d === c) {
          if (c === "'" && this.text[k + 1] === "'") {
            k++;
            continue;
          }
          this.at = k + 1;
          return quoted(this.text, start, this.at);
        }
      }
      outside();
    }
    if (PLAIN_FIRST.test(c ?? ' ')) outside();
    while (this.at < this.lineEnd && !',[]{}:#'.includes(this.text[this.at])) this.at++;
    if (this.text[this.at] === ':' || this.text[this.at] === '#') outside();
    let e = this.at;
    while (this.text[e - 1] === ' ') e--;
    if (inMap && e === start) outside();
    return plain(this.text.slice(start, e), start, e);
  }

  private spaces(): void {
    while (this.at < this.lineEnd && this.text[this.at] === ' ') this.at++;
  }
}

function scalar(value: unknown, type: Scalar.Type, start: number, valueEnd: number, end: number): Scalar {
  const node = new Scalar(value);
  node.type = type;
  node.range = [start, valueEnd, end];
  return node;
}

function plain(source: string, start: number, end: number): Scalar {
  if (NULL.test(source)) return scalar(null, 'PLAIN', start, end, end);
  if (BOOL.test(source)) return scalar(TRUE.test(source), 'PLAIN', start, end, end);
  if (DECIMAL.test(source)) return scalar(Number(source), 'PLAIN', start, end, end);
  if (OTHER_NUMBER.test(source)) outside();
  return scalar(source, 'PLAIN', start, end, end);
}

function quoted(text: string, start: number, end: number): Scalar {
  const double = text[start] === '"';
  const inner = text.slice(start + 1, end - 1);
  return scalar(double ? inner : inner.replace(/''/g, "'"), double ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', start, end, end);
}

function setRange(node: Node, start: number, valueEnd: number, end = valueEnd): void {
  node.range = [start, valueEnd, end];
}

/** Where a node's text ends, as yaml counts it for the collection holding it last. */
function endOf(node: Node): number {
  return node.range![2];
}

/** Moves every range by `base` (the document's offset in its file). */
function shift(node: Node, base: number): void {
  const r = node.range!;
  node.range = [r[0] + base, r[1] + base, r[2] + base];
  if (node instanceof YAMLMap) {
    for (const pair of node.items) {
      shift(pair.key as Node, base);
      shift(pair.value as Node, base);
    }
  } else if (node instanceof YAMLSeq) for (const item of node.items) shift(item as Node, base);
}
