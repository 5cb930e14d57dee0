import type { Range } from '../../model/source';
import type { RuleCode } from './registry';

export type Severity = 'error' | 'warning' | 'information';

export interface TextEdit {
  uri: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** Only fixes of warnings and errors are ever preferred (applied by fix-all and `--fix`). */
  isPreferred: boolean;
  edits: TextEdit[];
}

export interface RelatedLocation {
  uri: string;
  range: Range;
  message: string;
}

/** One problem the analysis reports, with everything a client needs to show and fix it. */
export interface Finding {
  uri: string;
  range: Range;
  severity: Severity;
  code: RuleCode;
  message: string;
  related: RelatedLocation[];
  fixes: Fix[];
  /** Silenced by a suppression comment or annotation: not published, never fails the CLI. */
  suppressed?: boolean;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.uri.localeCompare(b.uri) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

export function isProblem(finding: Finding): boolean {
  return !finding.suppressed && (finding.severity === 'warning' || finding.severity === 'error');
}
