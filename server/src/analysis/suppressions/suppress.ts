import { objectsOf, type FileModel, type ObjectRef } from '../../model/manifest';
import { containsPosition, type Range } from '../../model/source';
import type { Finding } from '../rules/findings';
import { RULES } from '../rules/registry';
import type { SuppressedCode } from '../../model/suppressionComments';

/** A suppression and the findings it silences. */
interface Suppression {
  codes: SuppressedCode[];
  /** Does it cover a finding of this file? */
  covers: (finding: Finding) => boolean;
  used: Set<string>;
}

/**
 * Marks the findings of one file that its suppression comments and `port-lens.io/ignore`
 * annotations silence (`suppressed`), and adds a `suppression-unused` finding for every code a
 * suppression names that silences nothing. `findings` are the file's; `model` is its model.
 * `ownerOf` tells which object a finding was reported for, where the analysis knows.
 */
export function applySuppressions(
  findings: Finding[],
  model: FileModel | undefined,
  ownerOf: (finding: Finding) => ObjectRef | undefined = () => undefined,
): Finding[] {
  if (!model) return findings;
  const suppressions: Suppression[] = [];
  for (const comment of model.suppressions ?? []) {
    suppressions.push({ codes: comment.codes, covers: (f) => f.range.start.line === comment.target.start.line, used: new Set() });
  }
  for (const { ref } of objectsOf(model)) {
    if (!ref.ignore) continue;
    const within = (range: Range) => containsPosition(ref.range, range.start);
    suppressions.push({
      codes: ref.ignore,
      covers: (f) => ownerOf(f) === ref || (!ownerOf(f) && within(f.range)) || sameObject(ownerOf(f), ref),
      used: new Set(),
    });
  }
  if (suppressions.length === 0) return findings;

  const result = findings.map((finding) => {
    if (finding.code === 'suppression-unused') return finding;
    const by = suppressions.find((s) => s.codes.some((c) => c.code === finding.code) && s.covers(finding));
    if (!by) return finding;
    by.used.add(finding.code);
    return { ...finding, suppressed: true };
  });
  for (const suppression of suppressions) {
    for (const { code, range } of suppression.codes) {
      if (suppression.used.has(code)) continue;
      const known = code in RULES;
      result.push({
        uri: model.uri,
        range,
        severity: 'information',
        code: 'suppression-unused',
        message: known ? `Nothing to ignore: no ${code} finding here.` : `Unknown rule code "${code}": this suppression silences nothing.`,
        related: [],
        fixes: [],
      });
    }
  }
  return result;
}

/** The same object read again (a finding's owner may be a copy from another parse of the file). */
function sameObject(a: ObjectRef | undefined, b: ObjectRef): boolean {
  return a !== undefined && a.uri === b.uri && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}
