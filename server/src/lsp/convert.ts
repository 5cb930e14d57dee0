import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  TextDocumentEdit,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding, Fix, TextEdit } from '../analysis/rules/findings';
import { ruleDocsUrl } from '../analysis/rules/registry';

export const SOURCE = 'k8s-port-lens';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.portLens`;

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information };

/** What a diagnostic carries so that code actions need no re-analysis. */
export interface DiagnosticData {
  fixes: Fix[];
}

export function toDiagnostic(finding: Finding): Diagnostic {
  const data: DiagnosticData = { fixes: finding.fixes };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: SOURCE,
    message: finding.message,
    relatedInformation: finding.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message })),
    data,
  };
}

/** The open version of a document, where the client supports versioned edits. */
export type VersionOf = (uri: string) => number | null | undefined;

export function toWorkspaceEdit(edits: TextEdit[], versionOf: VersionOf | undefined): WorkspaceEdit {
  const byUri = new Map<string, LspTextEdit[]>();
  for (const edit of edits) byUri.set(edit.uri, [...(byUri.get(edit.uri) ?? []), { range: edit.range, newText: edit.newText }]);
  if (versionOf) {
    return { documentChanges: [...byUri].map(([uri, e]) => TextDocumentEdit.create({ uri, version: versionOf(uri) ?? null }, e)) };
  }
  return { changes: Object.fromEntries(byUri) };
}

export function toCodeAction(fix: Fix, diagnostic: Diagnostic, versionOf: VersionOf | undefined): CodeAction {
  const action = CodeAction.create(fix.title, toWorkspaceEdit(fix.edits, versionOf), CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}
