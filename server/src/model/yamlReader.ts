import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
  type Scalar,
} from 'yaml';
import type { Located, ModelError, PortRef } from './manifest';
import type { Range, SourceText, Span } from './source';
import { intern } from './intern';

/** A key and its value, as written (aliases not followed). */
export interface KeyValue {
  key: Node;
  value: Node | undefined;
}

const STR_TAG = 'tag:yaml.org,2002:str';
const STR_TAG_BEFORE = /(?:!!str|!<tag:yaml\.org,2002:str>)\s+$/;

/** `<<` written plain (a quoted "<<" is an ordinary key). */
function isMergeKey(key: Scalar): boolean {
  return (key.value === '<<' && key.type === 'PLAIN') || (typeof key.value === 'symbol' && key.source === '<<');
}

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

  /**
   * Told of every key a reader asks a mapping for (tests check the asks against READ_KEYS, the
   * table of what blanking keeps); undefined in production.
   */
  static keyAudit: ((reader: YamlReader, map: YAMLMap, key: string) => void) | undefined;

  /** The parsed document, for tests that relate asks to their place in it. */
  get document(): Document.Parsed {
    return this.doc;
  }

  get(map: YAMLMap | undefined, key: string): Node | undefined {
    if (map) YamlReader.keyAudit?.(this, map, key);
    return (map && this.pairs(map).get(key)?.value) ?? undefined;
  }

  /** The key node of `key` in `map`, for findings reported on a key. */
  keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
    if (map) YamlReader.keyAudit?.(this, map, key);
    return (map && this.pairs(map).get(key)?.key) ?? undefined;
  }

  private readonly effectivePairs = new WeakMap<YAMLMap, Map<string, KeyValue>>();

  /**
   * The pairs of a mapping as Kubernetes reads it (YAML 1.1, like kubectl): merge keys (`<<: *x`,
   * `<<: [*a, *b]`) bring in the keys the mapping does not write itself, the first merged mapping
   * winning; of a key written twice the last one counts. Keyed by the key's text.
   */
  pairs(map: YAMLMap): ReadonlyMap<string, KeyValue> {
    return this.pairsOf(map, 0);
  }

  private pairsOf(map: YAMLMap, depth: number): Map<string, KeyValue> {
    let result = this.effectivePairs.get(map);
    if (result) return result;
    result = new Map();
    this.effectivePairs.set(map, result);
    const merged: Array<Map<string, KeyValue>> = [];
    for (const pair of map.items as Array<Pair<unknown, unknown>>) {
      const key = this.resolve(pair.key);
      if (!isScalar(key)) continue;
      if (isMergeKey(key)) {
        merged.push(...this.mergedMaps(pair.value as Node, depth));
        continue;
      }
      const name = String(key.value);
      // The last of a key written twice counts (duplicateKeys reports the second).
      result.delete(name);
      result.set(name, { key: pair.key as Node, value: (pair.value ?? undefined) as Node | undefined });
    }
    for (const pairs of merged) for (const [name, pair] of pairs) if (!result.has(name)) result.set(name, pair);
    return result;
  }

  /** The mappings a merge key's value names: one mapping or a list of them (an anchor's own merges included). */
  private mergedMaps(value: Node | undefined, depth: number): Array<Map<string, KeyValue>> {
    const node = this.resolve(value);
    // Anchors can only name earlier nodes, so merges cannot loop; the depth only bounds the work.
    if (isMap(node) && depth < 32) return [this.pairsOf(node, depth + 1)];
    if (isSeq(node)) {
      const maps = node.items.map((item) => this.resolve(item));
      if (maps.every(isMap)) return maps.map((m) => this.pairsOf(m as YAMLMap, depth + 1));
    }
    this.typeError(value, 'a merge key (<<) must name a mapping or a list of mappings');
    return [];
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
      return this.located(node as Node, n, intern(String(n.value)));
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
    if (isScalar(n) && typeof n.value === 'string' && /^\d+$/.test(n.value) && (n.type !== 'PLAIN' || n.tag === STR_TAG)) {
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
      if (typeof n.value === 'string') return this.located(node as Node, n, { kind: 'name', name: intern(n.value) });
    }
    this.typeError(node, `${what} must be a port number or a port name`);
    return undefined;
  }

  /** A map of string to string (labels, selectors). */
  stringMap(node: Node | undefined, what: string): Map<string, string> {
    const result = new Map<string, string>();
    const map = this.map(node, what);
    if (!map) return result;
    for (const [key, pair] of this.pairs(map)) {
      const value = this.resolve(pair.value);
      if (isScalar(value) && value.value !== null && typeof value.value !== 'object') {
        result.set(intern(key), intern(String(value.value)));
      } else if (!this.isNull(value)) {
        this.typeError(pair.value, `${what} values must be strings`);
      } else {
        result.set(intern(key), '');
      }
    }
    return result;
  }

  /**
   * Reports every key written a second time in a mapping of the document (kubectl apply rejects
   * the object), once, on the second key. Aliases are not followed: their anchor is reported.
   */
  reportDuplicateKeys(): void {
    const stack: unknown[] = [this.doc.contents];
    while (stack.length > 0) {
      const node = stack.pop();
      if (isSeq(node)) stack.push(...node.items);
      if (!isMap(node)) continue;
      const seen = new Set<string>();
      for (const pair of node.items as Array<Pair<unknown, unknown>>) {
        stack.push(pair.value);
        const key = this.resolve(pair.key);
        if (!isScalar(key) || isMergeKey(key)) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (!seen.has(id)) {
          seen.add(id);
          continue;
        }
        this.errors.push({
          message: `"${String(key.value)}" is written twice in this mapping: kubectl apply rejects the object. The last one is read.`,
          range: this.range(pair.key as Node),
          kind: 'syntax',
        });
      }
    }
  }

  span(node: Node | undefined): Span {
    const r = node?.range;
    return r ? { start: this.base + r[0], end: this.base + r[1] } : { start: this.base, end: this.base };
  }

  range(node: Node | undefined): Range {
    return this.source.range(this.span(node));
  }

  private located<T>(written: Node, scalar: Scalar, value: T): Located<T> {
    let span = this.span(written);
    const quotes = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
    // For a quoted scalar written in place, a fix replaces the content and keeps the quotes.
    const valueSpan = quotes && written === scalar ? { start: span.start + 1, end: span.end - 1 } : span;
    // `!!int "8008"` is a number; `!!str 9000` a string, reported with its tag (which a fix removes).
    const tag =
      written === scalar && scalar.tag === STR_TAG
        ? STR_TAG_BEFORE.exec(this.source.text.slice(Math.max(0, span.start - 64), span.start))
        : null;
    if (tag) span = { start: span.start - tag[0].length, end: span.end };
    const range = this.source.range(span);
    // One Range object where the value is the whole scalar (nothing writes to ranges).
    const located: Located<T> = {
      value,
      range,
      valueRange: valueSpan === span ? range : this.source.range(valueSpan),
      quoted: (quotes || tag !== null) && typeof scalar.value === 'string',
    };
    if (tag) located.stringTag = true;
    return located;
  }

  private typeError(node: Node | undefined, message: string): void {
    this.errors.push({ message, range: this.range(node), kind: 'type' });
  }
}
