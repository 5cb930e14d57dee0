import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar } from 'yaml';

/** A step into a YAML tree: a map key or a sequence index. */
export type PathStep = string | number;

/** A node found in a tree, and whether the key of its pair was meant rather than its value. */
export interface Found {
  node: Node;
  key: boolean;
}

export function parseYamlDocuments(text: string): Document.Parsed[] {
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
    return Array.isArray(parsed) ? parsed.filter((d) => d.errors.length === 0) : [];
  } catch {
    return [];
  }
}

/** The deepest node covering [start, end), with the path to it. */
export function nodeAt(root: unknown, start: number, end: number): { path: PathStep[]; found: Found } | undefined {
  const path: PathStep[] = [];
  let node = root as Node | undefined;
  let key = false;
  const covers = (n: unknown) => !!n && (n as Node).range !== undefined && (n as Node).range![0] <= start && end <= (n as Node).range![1];
  if (!covers(node)) return undefined;
  for (;;) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => covers(p.key) || covers(p.value));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      if (covers(pair.key)) {
        node = pair.key as Node;
        key = true;
        break;
      }
      node = pair.value as Node;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => covers(item));
      if (index < 0) break;
      path.push(index);
      node = node.items[index] as Node;
    } else break;
  }
  return node ? { path, found: { node, key } } : undefined;
}

export function mapGet(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

function mapPair(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return (node.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
}

export const scalarText = (node: unknown): string | undefined =>
  isScalar(node) && node.value !== null && typeof node.value !== 'object' ? String(node.value) : undefined;

/**
 * Follows `path` of the built object through a source tree (a resource or a patch), using the built
 * tree to tell which sequence item is which: a strategic merge patch lists items in its own order.
 */
export function follow(source: unknown, built: unknown, path: readonly PathStep[], key: boolean): Found | undefined {
  let node = source as Node | undefined;
  let out = built as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (typeof step === 'string') {
      const last = i === path.length - 1;
      if (last && key) {
        const pair = mapPair(node, step);
        return pair ? { node: pair.key as Node, key: true } : undefined;
      }
      node = mapGet(node, step);
      out = mapGet(out, step);
    } else {
      if (!isSeq(node) || !isSeq(out)) return undefined;
      const target = out.items[step];
      const index = matchingItem(node.items, target, step, out.items.length);
      if (index === undefined) return undefined;
      node = node.items[index] as Node;
      out = target as Node;
    }
    if (!node) return undefined;
  }
  return node ? { node, key: false } : undefined;
}

/** The source item that became built item `target`: equal scalars, or a map whose scalar fields all agree. */
function matchingItem(items: unknown[], target: unknown, index: number, builtLength: number): number | undefined {
  const agrees = (item: unknown) => {
    if (isScalar(item)) return scalarText(item) === scalarText(target);
    if (!isMap(item) || !isMap(target)) return false;
    return (item.items as Pair[]).every(
      (p) => !isScalar(p.value) || scalarText(mapGet(target, String((p.key as Scalar).value))) === scalarText(p.value),
    );
  };
  if (index < items.length && agrees(items[index])) return index;
  const other = items.findIndex(agrees);
  if (other >= 0) return other;
  return items.length === builtLength && index < items.length ? index : undefined;
}

/** The offsets of a scalar's content (inside its quotes): what an edit replaces. */
export function contentSpan(node: Node): { start: number; end: number } | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const [start, end] = node.range;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return { start: start + 1, end: end - 1 };
  if (node.type === 'PLAIN') return { start, end };
  return undefined;
}
