import type { WorkloadKind } from './manifest';

const WORKLOAD_KINDS: Record<WorkloadKind, true> = {
  Pod: true,
  Deployment: true,
  ReplicaSet: true,
  ReplicationController: true,
  StatefulSet: true,
  DaemonSet: true,
  Job: true,
  CronJob: true,
};

/** The kinds of Gateway API routes whose `backendRefs` name Service ports. */
export const ROUTE_KINDS: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

/** Kinds that name Service or pod ports by reference (SPEC §10). */
export const REFERENCE_KINDS: ReadonlySet<string> = new Set(['Ingress', ...ROUTE_KINDS, 'ServiceMonitor', 'PodMonitor']);

/** Cilium's and Calico's policy kinds (Calico's namespaced one shares Kubernetes' NetworkPolicy). */
const DIALECT_KINDS = new Set(['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy']);

/** The kinds whose objects the analysis reads; `List` and every `…List` are unpacked. */
export function isReadKind(kind: string): boolean {
  return (
    Object.hasOwn(WORKLOAD_KINDS, kind) ||
    kind === 'Service' ||
    kind === 'NetworkPolicy' ||
    kind === 'Namespace' ||
    REFERENCE_KINDS.has(kind) ||
    DIALECT_KINDS.has(kind) ||
    kind.endsWith('List')
  );
}

/** One YAML document of a file, as offsets [start, end) from its `---` line (or the file start). */
export interface DocumentSlice {
  start: number;
  end: number;
  /** The document surely holds nothing the analysis reads: it can be left unparsed. */
  skippable: boolean;
  /** Its kind, when it was read from its lines: a block mapping at column 0 of plain keys, with one plain `kind`. */
  kind?: string;
}

const MARKER_END = /^[ \t]*(#.*)?\r?$/;
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*[ \t]*:(?:[ \t]|\r?$)/;
const SEQUENCE_ITEM = /^-(?:[ \t]|\r?$)/;
const KIND_LINE = /^kind[ \t]*:/;
const KIND_VALUE = /^kind[ \t]*:[ \t]+(?:"([A-Za-z][A-Za-z0-9]*)"|'([A-Za-z][A-Za-z0-9]*)'|([A-Za-z][A-Za-z0-9]*))[ \t]*(?:#.*)?\r?$/;
const BLANK = /^[ \t]*\r?$/;
const BLOCK_SCALAR = /(?:^|[ \t])[|>][-+1-9]{0,2}[ \t]*\r?$/;
const ITEM_PREFIX = /^[ \t]*(?:-[ \t]+)*/;

/** A cheap test before BLOCK_SCALAR: the line's last character (before spaces) is one a block scalar header ends with. */
function mayEndBlockScalarHeader(text: string, pos: number, eol: number): boolean {
  let i = eol - 1;
  let c = text.charCodeAt(i);
  while (i > pos && (c === 0x20 || c === 0x09 || c === 0x0d)) c = text.charCodeAt(--i);
  // | > - + 1…9
  return c === 0x7c || c === 0x3e || c === 0x2d || c === 0x2b || (c >= 0x31 && c <= 0x39);
}

/** Does a quoted scalar start on [pos, eol) without closing there? Errs on the side of yes. */
function opensQuote(text: string, pos: number, eol: number): boolean {
  for (let i = pos; i < eol; i++) {
    const c = text.charCodeAt(i);
    const previous = i === pos ? 0x20 : text.charCodeAt(i - 1);
    const afterSpace = previous === 0x20 || previous === 0x09;
    if (c === 0x23 /* # */ && afterSpace) return false;
    if ((c !== 0x22 && c !== 0x27) || !(afterSpace || previous === 0x5b || previous === 0x7b || previous === 0x2c || previous === 0x3a))
      continue;
    let j = i + 1;
    for (; j < eol; j++) {
      const d = text.charCodeAt(j);
      if (c === 0x22 && d === 0x5c /* \ */) j++;
      else if (d === c) {
        if (c === 0x27 && text.charCodeAt(j + 1) === 0x27) j++;
        else break;
      }
    }
    if (j >= eol) return true;
    i = j;
  }
  return false;
}

/**
 * Splits a file into its YAML documents and tells, from the lines at column 0 alone, which ones
 * cannot matter: a block mapping of plain keys whose one `kind:` is a plain word the analysis does
 * not read, or that has no `kind` at all. Anything else (flow style, tags, anchors or quotes at
 * the top level, a kind that goes on over several lines) is left to the parser. Undefined when the
 * file has directives or `...` end markers, where documents are not delimited by `---` alone.
 */
export function splitDocuments(text: string): DocumentSlice[] | undefined {
  const slices: DocumentSlice[] = [];
  let current = new DocumentScan(0);
  let nextDouble = -1;
  let nextSingle = -1;
  for (let pos = 0; pos <= text.length;) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    if (current.inBlockScalar(text, pos, eol)) {
      pos = eol + 1;
      continue;
    }
    if (nextDouble !== Infinity && nextDouble < pos) nextDouble = indexOrInfinity(text, '"', pos);
    if (nextSingle !== Infinity && nextSingle < pos) nextSingle = indexOrInfinity(text, "'", pos);
    const first = text.charCodeAt(pos);
    if (first === 0x2d /* - */ && text.startsWith('---', pos) && MARKER_END.test(text.slice(pos + 3, eol))) {
      // Comments before the first marker belong to the first document, as yaml reads them.
      const leadingComments = slices.length === 0 && !current.hasContent;
      slices.push(current.finish(pos));
      current = new DocumentScan(leadingComments ? 0 : pos);
      if (leadingComments) slices.pop();
    } else if (first === 0x2d && text.startsWith('---', pos) && /^[ \t]/.test(text.slice(pos + 3, pos + 4))) {
      // Content after the marker (`--- |`, `--- !tag`, `--- {…}`): a new document, read by the parser.
      slices.push(current.finish(pos));
      current = new DocumentScan(pos);
      current.clean = false;
    } else if ((first === 0x2e /* . */ && text.startsWith('...', pos)) || first === 0x25 /* % */) {
      return undefined;
    } else {
      current.line(text, pos, eol, first, nextDouble < eol || nextSingle < eol);
    }
    pos = eol + 1;
  }
  slices.push(current.finish(text.length));
  return slices.filter((s) => s.end > s.start);
}

function indexOrInfinity(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? Infinity : at;
}

/** What the column-0 lines of one document say so far. */
class DocumentScan {
  clean = true;
  /** A line other than blanks and comments was seen. */
  hasContent = false;
  private kinds = 0;
  private kind: string | undefined;
  /** The last non-blank line was the kind line: an indented line now would continue its value. */
  private afterKind = false;
  /** A line at column 0 was seen: the top level is a block at column 0, not an indented one. */
  private started = false;

  /** Inside the content of a block scalar (`key: |`): lines indented more than this column. */
  private blockColumn = -1;

  constructor(private readonly start: number) {}

  /** The line [pos, eol) is content of the block scalar the document is in (the bulk of a ConfigMap): nothing to look at. */
  inBlockScalar(text: string, pos: number, eol: number): boolean {
    if (this.blockColumn < 0 || !this.clean) return false;
    let i = pos;
    while (text.charCodeAt(i) === 0x20) i++;
    return i - pos > this.blockColumn || i >= eol || text.charCodeAt(i) === 0x0d;
  }

  line(text: string, pos: number, eol: number, first: number, hasQuote: boolean): void {
    if (!this.clean) return;
    let indent = 0;
    while (text.charCodeAt(pos + indent) === 0x20) indent++;
    if (this.blockColumn >= 0) {
      if (indent > this.blockColumn || pos + indent >= eol || text.charCodeAt(pos + indent) === 0x0d) return;
      this.blockColumn = -1;
    }
    // yaml reads an unclosed quoted scalar on over `---` lines, so its document's end is not known.
    if (hasQuote && opensQuote(text, pos + indent, eol)) {
      this.clean = false;
      return;
    }
    if (mayEndBlockScalarHeader(text, pos, eol) && BLOCK_SCALAR.test(text.slice(Math.max(pos, eol - 12), eol)))
      this.blockColumn = ITEM_PREFIX.exec(text.slice(pos, Math.min(eol, pos + 200)))![0].length;
    if (first === 0x20 || first === 0x09 || first === 0x0d || pos === eol) {
      if ((this.afterKind || !this.started) && !BLANK.test(text.slice(pos, eol))) this.clean = false;
      return;
    }
    this.afterKind = false;
    if (first === 0x23 /* # */) return;
    this.started = true;
    this.hasContent = true;
    const line = text.slice(pos, Math.min(eol, pos + 200));
    if (SEQUENCE_ITEM.test(line)) return;
    if (!PLAIN_KEY.test(line)) {
      this.clean = false;
      return;
    }
    if (!KIND_LINE.test(line)) return;
    const value = KIND_VALUE.exec(line);
    this.kinds++;
    if (!value || this.kinds > 1 || eol - pos > 200) {
      this.clean = false;
      return;
    }
    this.kind = value[1] ?? value[2] ?? value[3];
    this.afterKind = true;
  }

  finish(end: number): DocumentSlice {
    const skippable = this.clean && (this.kind === undefined || !isReadKind(this.kind));
    return this.clean && this.kind !== undefined
      ? { start: this.start, end, skippable, kind: this.kind }
      : { start: this.start, end, skippable };
  }
}

/** Whether a document's own text (from its `---` line, if any) can be left unparsed. */
export function isSkippableDocument(docText: string): boolean {
  const slices = splitDocuments(docText);
  return slices !== undefined && slices.length > 0 && slices.every((s) => s.skippable);
}
