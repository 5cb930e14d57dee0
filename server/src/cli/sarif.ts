import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { Finding } from '../analysis/rules/findings';
import { RULES, RULE_CODES, ruleDocsUrl } from '../analysis/rules/registry';
import type { Range } from '../model/source';
import { displayPath } from './report';

const LEVEL: Record<Finding['severity'], Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', information: 'note' };

/** SARIF regions are 1-based; columns count UTF-16 code units, SARIF's default. */
function region(range: Range): Sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

const artifact = (uri: string, cwd: string): Sarif.ArtifactLocation => ({ uri: displayPath(uri, cwd), uriBaseId: '%SRCROOT%' });

/** A SARIF 2.1.0 log that GitHub code scanning accepts. */
export function formatSarif(findings: Finding[], cwd: string, version: string): string {
  const rules = RULE_CODES.map((code): Sarif.ReportingDescriptor => ({
    id: code,
    name: code.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: RULES[code].title },
    fullDescription: { text: RULES[code].description },
    helpUri: ruleDocsUrl(code),
    help: { text: RULES[code].description },
    defaultConfiguration: { level: LEVEL[RULES[code].severity] },
    properties: { tags: ['kubernetes', 'networkpolicy'] },
  }));
  const occurrences = new Map<string, number>();
  const results = findings.map((f): Sarif.Result => {
    const file = displayPath(f.uri, cwd);
    // Stable across edits that move lines: what is reported where, plus which repetition of it.
    const key = `${file}\0${f.code}\0${f.message}`;
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    const fingerprint = createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
    return {
      ruleId: f.code,
      ruleIndex: RULE_CODES.indexOf(f.code),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(f.uri, cwd), region: region(f.range) } }],
      relatedLocations: f.related.map((r, id) => ({
        id,
        message: { text: r.message },
        physicalLocation: { artifactLocation: artifact(r.uri, cwd), region: region(r.range) },
      })),
      partialFingerprints: { 'portLens/v1': fingerprint },
      ...(f.suppressed ? { suppressions: [{ kind: 'inSource' }] } : {}),
      fixes: f.fixes.map((fix) => ({
        description: { text: fix.title },
        artifactChanges: groupByUri(fix.edits).map(([uri, edits]) => ({
          artifactLocation: artifact(uri, cwd),
          replacements: edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
        })),
      })),
    };
  });
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'k8s-port-lens',
            informationUri: 'https://github.com/k8s-port-lens/k8s-port-lens',
            semanticVersion: version,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

function groupByUri<T extends { uri: string }>(items: T[]): Array<[string, T[]]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(item.uri, [...(map.get(item.uri) ?? []), item]);
  return [...map];
}
