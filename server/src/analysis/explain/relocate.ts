import type { Range } from '../../model/source';
import type { Explanation } from './explain';

/** Moves a location of built Kustomize output to the file that wrote it (undefined: no such file to point at). */
export type Relocate = (uri: string, range: Range) => { uri: string; range: Range; content?: Range } | undefined;

/** Fixes whose edits all land on a literal of some file, moved there; the others are dropped. */
export function relocateFixes(fixes: Explanation['fixes'], relocate: Relocate): Explanation['fixes'] {
  const result: Explanation['fixes'] = [];
  for (const fix of fixes) {
    const edits = fix.edits.map((e) => {
      const at = relocate(e.uri, e.range);
      return at && (at.uri === e.uri || at.content) ? { ...e, uri: at.uri, range: at.content ?? at.range } : undefined;
    });
    if (edits.every((e) => e !== undefined)) result.push({ ...fix, edits: edits as typeof fix.edits });
  }
  return result;
}
