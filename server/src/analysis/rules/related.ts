import type { ObjectRef } from '../../model/manifest';
import { objectName, shortPath } from '../index/describe';
import type { RelatedLocation } from './findings';

/**
 * The related rows for a set of pod templates: one per kind (the first of each), so that a finding
 * over twenty workloads brings two or three rows, not twenty; the omitted ones are counted on the
 * row of their kind (`selected pods: StatefulSet demo/a and 2 more StatefulSets`).
 */
export function podRows(refs: ObjectRef[], label: string): RelatedLocation[] {
  const byKind = new Map<string, ObjectRef[]>();
  for (const ref of refs) {
    const list = byKind.get(ref.kind) ?? [];
    if (!list.includes(ref)) list.push(ref);
    byKind.set(ref.kind, list);
  }
  return [...byKind].map(([kind, list]) => {
    const more = list.length > 1 ? ` and ${list.length - 1} more ${kind}${list.length > 2 ? 's' : ''}` : '';
    // Two copies of one name (two installs in one folder): the row says which file it leads to.
    const sameName = list.slice(1).some((other) => objectName(other) === objectName(list[0]));
    const file = sameName ? ` (in ${shortPath(list[0].uri)})` : '';
    return { uri: list[0].uri, range: list[0].nameRange, message: `${label}: ${objectName(list[0])}${file}${more}` };
  });
}

/** At most `keep` rows, the last one counting the rest (`… and 3 more Services`). */
export function firstRows(rows: RelatedLocation[], keep: number, what: string): RelatedLocation[] {
  if (rows.length <= keep) return rows;
  const kept = rows.slice(0, keep);
  const last = kept[kept.length - 1];
  const rest = rows.length - keep;
  kept[kept.length - 1] = { ...last, message: `${last.message} (and ${rest} more ${what}${rest > 1 ? 's' : ''})` };
  return kept;
}
