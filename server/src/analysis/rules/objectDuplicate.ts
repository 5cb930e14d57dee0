import { objectsOf, type FileModel, type ObjectRef } from '../../model/manifest';
import { objectName, shortPath } from '../index/describe';
import { namespaceKey } from '../index/workspaceIndex';
import type { Finding } from './findings';

const CLUSTER_SCOPED = new Set(['Namespace', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy']);

/** A Calico NetworkPolicy shares its kind's name with Kubernetes' own: the API group tells them apart. */
function refsOf(model: FileModel): Array<{ ref: ObjectRef; group: string }> {
  const dialect = new Map(model.dialectPolicies.map((p) => [p.ref, p.dialect]));
  return objectsOf(model).map(({ ref }) => ({ ref, group: dialect.get(ref) ?? '' }));
}

function keyOf({ ref, group }: { ref: ObjectRef; group: string }): string {
  return `${group}\0${ref.kind}\0${CLUSTER_SCOPED.has(ref.kind) ? '' : namespaceKey(ref.namespace)}\0${ref.name}`;
}

const nameOf = (ref: ObjectRef) => (CLUSTER_SCOPED.has(ref.kind) ? `${ref.kind} ${ref.name}` : objectName(ref));

/** Copies in a fixed order (file, then line), so the copy reported does not depend on the order files were read in. */
function byPlace(a: ObjectRef, b: ObjectRef): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.range.start.line - b.range.start.line;
}

/**
 * `object-duplicate`: the objects of one world (a PortLens: the workspace's plain manifests and
 * chart renders, or one Kustomize root) that share kind, namespace and name. Kubernetes keeps one;
 * each copy after the first (by file and line) is reported once, naming the first.
 */
export class DuplicateObjects {
  private readonly copies = new Map<string, ObjectRef[]>();

  /** Indexes a file's objects (after `remove` of its previous model); returns the files whose duplicates may have changed. */
  add(model: FileModel): Set<string> {
    const touched = new Set<string>();
    for (const entry of refsOf(model)) {
      const { ref } = entry;
      const key = keyOf(entry);
      const list = this.copies.get(key);
      if (!list) {
        this.copies.set(key, [ref]);
        continue;
      }
      list.push(ref);
      list.sort(byPlace);
      for (const copy of list) touched.add(copy.uri);
    }
    return touched;
  }

  remove(model: FileModel): Set<string> {
    const touched = new Set<string>();
    for (const entry of refsOf(model)) {
      const { ref } = entry;
      const key = keyOf(entry);
      const list = this.copies.get(key);
      if (!list) continue;
      const rest = list.filter((r) => r !== ref);
      if (rest.length === 0) this.copies.delete(key);
      else {
        this.copies.set(key, rest);
        for (const copy of rest) touched.add(copy.uri);
      }
    }
    return touched;
  }

  findings(model: FileModel): Finding[] {
    const findings: Finding[] = [];
    for (const entry of refsOf(model)) {
      const ref = entry.ref;
      const list = this.copies.get(keyOf(entry));
      if (!list || list.length < 2 || list[0] === ref) continue;
      const first = list[0];
      const where = first.uri === ref.uri ? `line ${first.range.start.line + 1}` : `${shortPath(first.uri)}:${first.range.start.line + 1}`;
      const others = list.length > 2 ? ` (${list.length} copies in all)` : '';
      findings.push({
        uri: ref.uri,
        range: ref.nameRange,
        severity: 'information',
        code: 'object-duplicate',
        message:
          `${nameOf(ref)} is also defined at ${where}${others}. Kubernetes keeps one of them; findings about it may mix ` +
          'the two (give each install its own namespace or release name, or remove one).',
        related: [{ uri: first.uri, range: first.nameRange, message: `the first ${nameOf(first)}` }],
        fixes: [],
      });
    }
    return findings;
  }
}
