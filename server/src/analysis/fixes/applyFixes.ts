import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, TextEdit } from '../rules/findings';

/** The preferred fix of every finding that has one, as edits per file (what fix-all and `--fix` apply). */
export function preferredEdits(findings: Finding[]): Map<string, TextEdit[]> {
  const byUri = new Map<string, TextEdit[]>();
  for (const finding of findings) {
    const fix = finding.suppressed ? undefined : finding.fixes.find((f) => f.isPreferred);
    if (!fix) continue;
    for (const edit of fix.edits) {
      const list = byUri.get(edit.uri) ?? [];
      list.push(edit);
      byUri.set(edit.uri, list);
    }
  }
  return byUri;
}

/** Drops edits that overlap an earlier one (and exact duplicates), keeping the rest in document order. */
export function nonOverlapping(text: string, edits: TextEdit[]): TextEdit[] {
  const doc = TextDocument.create('', 'yaml', 0, text);
  const sorted = edits
    .map((edit) => ({ edit, start: doc.offsetAt(edit.range.start), end: doc.offsetAt(edit.range.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: TextEdit[] = [];
  let lastEnd = -1;
  for (const { edit, start, end } of sorted) {
    if (start < lastEnd || (start === lastEnd && start === end && kept.length > 0)) continue;
    kept.push(edit);
    lastEnd = end;
  }
  return kept;
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const doc = TextDocument.create('', 'yaml', 0, text);
  return TextDocument.applyEdits(doc, nonOverlapping(text, edits));
}
