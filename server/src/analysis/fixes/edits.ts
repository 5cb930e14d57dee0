import type { Located, PortEntry, Protocol } from '../../model/manifest';
import type { TextEdit } from '../rules/findings';

/** Replaces a scalar's content; quotes, comments and the rest of the line stay as written. */
export function changeValue(uri: string, value: Located<unknown>, newText: string): TextEdit {
  return { uri, range: value.valueRange, newText };
}

/** Deletes a policy port entry from its list, or nothing when the list's layout makes that unsafe. */
export function removeEntry(uri: string, entry: PortEntry): TextEdit | undefined {
  return entry.removal ? { uri, range: entry.removal, newText: '' } : undefined;
}

/** Changes the entry's protocol, writing the key when the protocol was implied. */
export function setProtocol(uri: string, entry: PortEntry, protocol: Protocol): TextEdit[] {
  if (entry.protocolValue) return [changeValue(uri, entry.protocolValue, protocol)];
  if (!entry.keyInsertion) return [];
  const { at, prefix } = entry.keyInsertion;
  return [{ uri, range: { start: at, end: at }, newText: `${prefix}protocol: ${protocol}` }];
}

/**
 * Declared names that differ from `name` only by a prefix or a suffix (`fabric` → `server-fabric`,
 * `http-metrics` → `http`): the evident meaning of a name that matches nothing.
 */
export function nearNames(name: string, declared: Iterable<string>): string[] {
  const result = new Set<string>();
  for (const candidate of declared) {
    if (candidate === name) continue;
    const [short, long] = candidate.length < name.length ? [candidate, name] : [name, candidate];
    if (short.length >= 3 && (long.endsWith(`-${short}`) || long.startsWith(`${short}-`))) result.add(candidate);
  }
  return [...result].sort();
}

/**
 * Names close to `name`: those at most two edits away where the name is long enough for that to
 * mean a typo (`metrcs` → `metrics`, not `tcp` → `http`); failing those, the names that differ by
 * a prefix or a suffix (nearNames).
 */
export function similarNames(name: string, candidates: Iterable<string>): string[] {
  const names = [...new Set(candidates)].filter((c) => c !== name);
  const limit = Math.min(2, Math.floor(name.length / 3));
  const typos = names.filter((c) => editDistance(name, c) <= limit);
  return typos.length > 0 ? typos.sort() : nearNames(name, names);
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
