import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Finding, TextEdit } from '../analysis/rules/findings';

/** A path relative to the current directory with `/` separators, as every output format prints it. */
export function displayPath(uri: string, cwd: string): string {
  const relative = path.relative(cwd, URI.parse(uri).fsPath);
  return relative.split(path.sep).join('/');
}

const editJson = (cwd: string) => (edit: TextEdit) => ({ file: displayPath(edit.uri, cwd), range: edit.range, newText: edit.newText });

export function formatJson(findings: Finding[], cwd: string): string {
  const json = findings.map((f) => ({
    file: displayPath(f.uri, cwd),
    range: f.range,
    severity: f.severity,
    code: f.code,
    message: f.message,
    fixes: f.fixes.map((fix) => ({ title: fix.title, isPreferred: fix.isPreferred, edits: fix.edits.map(editJson(cwd)) })),
    related: f.related.map((r) => ({ file: displayPath(r.uri, cwd), range: r.range, message: r.message })),
    ...(f.suppressed ? { suppressed: true } : {}),
  }));
  return JSON.stringify(json, null, 2);
}

/** Suppressed findings are left out, and counted in the summary. */
export function formatText(all: Finding[], cwd: string): string {
  const findings = all.filter((f) => !f.suppressed);
  const suppressed = all.length - findings.length;
  const lines = findings.map(
    (f) => `${displayPath(f.uri, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}`,
  );
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  const summary = [
    `${count('error')} error(s)`,
    `${count('warning')} warning(s)`,
    `${count('information')} information`,
    ...(suppressed > 0 ? [`${suppressed} suppressed`] : []),
  ].join(', ');
  return [...lines, summary].join('\n');
}
