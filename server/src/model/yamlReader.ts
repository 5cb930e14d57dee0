import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type YAMLMap, type YAMLSeq, type Scalar } from 'yaml';
import type { Located, ModelError, PortRef } from './manifest';
import type { Range, SourceText, Span } from './source';

/**
 * Typed, range-keeping access to one parsed YAML document. Values of the wrong type are
 * recorded as model errors and read as absent, so a bad field never stops the rest.
 */
export class YamlReader {
  constructor(
    readonly source: SourceText,
    private readonly doc: Document.Parsed,
    readonly errors: ModelError[],
    /** Offset in the source of the text the document was parsed from. */
    private readonly base = 0,
  ) {}

  /** Follows an alias to the node it names (one level: anchors cannot nest aliases usefully). */
  resolve(node: unknown): Node | undefined {
    if (isAlias(node)) {
      const target = this.aliasTarget(node);
      return isAlias(target) ? undefined : target;
    }
    return (node ?? undefined) as Node | undefined;
  }

  /** Aliases and anchored nodes in document order, gathered once (Alias.resolve walks the whole document each time). */
  private anchored: Node[] | undefined;

  /** What `alias.resolve(doc)` returns: the last node before the alias with its anchor. */
  private aliasTarget(alias: Alias): Node | undefined {
    if (!this.anchored) {
      // In the order of yaml's visit(), without its bookkeeping of paths: each node, then its items, a pair's key before its value.
      const anchored: Node[] = [];
      const walk = (node: unknown): void => {
        if (isAlias(node)) anchored.push(node);
        else if (isScalar(node)) {
          if (node.anchor) anchored.push(node);
        } else if (isMap(node) || isSeq(node)) {
          if (node.anchor) anchored.push(node);
          for (const item of node.items as unknown[]) {
            if (isPair(item)) {
              walk(item.key);
              walk(item.value);
            } else walk(item);
          }
        }
      };
      walk(this.doc.contents);
      this.anchored = anchored;
    }
    let found: Node | undefined;
    for (const node of this.anchored) {
      if (node === alias) break;
      if (node.anchor === alias.source) found = node;
    }
    return found;
  }

  isNull(node: unknown): boolean {
    const n = this.resolve(node);
    return n === undefined || (isScalar(n) && n.value === null);
  }

  get(map: YAMLMap | undefined, key: string): Node | undefined {
    if (!map) return undefined;
    for (const pair of map.items) {
      const k = this.resolve(pair.key);
      if (isScalar(k) && String(k.value) === key) return (pair.value ?? undefined) as Node | undefined;
    }
    return undefined;
  }

  /** The key node of `key` in `map`, for findings reported on a key. */
  keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
    if (!map) return undefined;
    for (const pair of map.items) {
      const k = this.resolve(pair.key);
      if (isScalar(k) && String(k.value) === key) return pair.key as Node;
    }
    return undefined;
  }

  map(node: Node | undefined, what: string): YAMLMap | undefined {
    const n = this.resolve(node);
    if (this.isNull(n)) return undefined;
    if (isMap(n)) return n;
    this.typeError(node, `${what} must be a mapping`);
    return undefined;
  }

  seq(node: Node | undefined, what: string): YAMLSeq | undefined {
    const n = this.resolve(node);
    if (this.isNull(n)) return undefined;
    if (isSeq(n)) return n;
    this.typeError(node, `${what} must be a list`);
    return undefined;
  }

  /** Items of a sequence, aliases resolved, nulls dropped. */
  items(seq: YAMLSeq | undefined): Node[] {
    if (!seq) return [];
    return seq.items.filter((item) => !this.isNull(item)) as Node[];
  }

  string(node: Node | undefined, what: string): Located<string> | undefined {
    const n = this.resolve(node);
    if (this.isNull(n)) return undefined;
    if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean')) {
      return this.located(node as Node, n, String(n.value));
    }
    this.typeError(node, `${what} must be a string`);
    return undefined;
  }

  integer(node: Node | undefined, what: string): Located<number> | undefined {
    const n = this.resolve(node);
    if (this.isNull(n)) return undefined;
    if (isScalar(n) && typeof n.value === 'number' && Number.isInteger(n.value)) {
      return this.located(node as Node, n, n.value);
    }
    // A quoted number is kept, marked quoted: the rules report it with a fix that unquotes it.
    if (isScalar(n) && typeof n.value === 'string' && /^\d+$/.test(n.value) && n.type !== 'PLAIN') {
      return this.located(node as Node, n, Number(n.value));
    }
    this.typeError(node, `${what} must be an integer`);
    return undefined;
  }

  boolean(node: Node | undefined, what: string): boolean {
    const n = this.resolve(node);
    if (this.isNull(n)) return false;
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    this.typeError(node, `${what} must be true or false`);
    return false;
  }

  /** A port written as a number or a name (Kubernetes' IntOrString). */
  portRef(node: Node | undefined, what: string): Located<PortRef> | undefined {
    const n = this.resolve(node);
    if (this.isNull(n)) return undefined;
    if (isScalar(n)) {
      if (typeof n.value === 'number' && Number.isInteger(n.value)) {
        return this.located(node as Node, n, { kind: 'number', number: n.value });
      }
      if (typeof n.value === 'string') return this.located(node as Node, n, { kind: 'name', name: n.value });
    }
    this.typeError(node, `${what} must be a port number or a port name`);
    return undefined;
  }

  /** A map of string to string (labels, selectors). */
  stringMap(node: Node | undefined, what: string): Map<string, string> {
    const result = new Map<string, string>();
    const map = this.map(node, what);
    if (!map) return result;
    for (const pair of map.items) {
      const key = this.resolve(pair.key);
      const value = this.resolve(pair.value as Node);
      if (!isScalar(key)) continue;
      if (isScalar(value) && value.value !== null && typeof value.value !== 'object') {
        result.set(String(key.value), String(value.value));
      } else if (!this.isNull(value)) {
        this.typeError(pair.value as Node, `${what} values must be strings`);
      } else {
        result.set(String(key.value), '');
      }
    }
    return result;
  }

  span(node: Node | undefined): Span {
    const r = node?.range;
    return r ? { start: this.base + r[0], end: this.base + r[1] } : { start: this.base, end: this.base };
  }

  range(node: Node | undefined): Range {
    return this.source.range(this.span(node));
  }

  private located<T>(written: Node, scalar: Scalar, value: T): Located<T> {
    const span = this.span(written);
    const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
    // For a quoted scalar written in place, a fix replaces the content and keeps the quotes.
    const valueSpan = quoted && written === scalar ? { start: span.start + 1, end: span.end - 1 } : span;
    return { value, range: this.source.range(span), valueRange: this.source.range(valueSpan), quoted };
  }

  private typeError(node: Node | undefined, message: string): void {
    this.errors.push({ message, range: this.range(node), kind: 'type' });
  }
}
