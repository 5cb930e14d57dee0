import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits, nonOverlapping, preferredEdits } from '../../server/src/analysis/fixes/applyFixes';
import type { TextEdit } from '../../server/src/analysis/rules/findings';
import { PortLens } from '../../server/src/analysis/portLens';
import type { Position, Range } from '../../server/src/model/source';

/** A workspace of in-memory files, by URI, plus positions to ask hover and definition about. */
export interface FuzzCase {
  /** What was generated, for a failure report. */
  label: string;
  files: Record<string, string>;
  probes: Array<{ file: number; position: Position }>;
}

export class InvariantError extends Error {}

function fail(message: string): never {
  throw new InvariantError(message);
}

/** A range is inside its document when both ends are real positions (converting to an offset and back keeps them) in order. */
function assertInside(docs: Map<string, TextDocument>, uri: string, range: Range, what: string): void {
  const doc = docs.get(uri) ?? fail(`${what} names ${uri}, which is not a file of the workspace`);
  const start = doc.offsetAt(range.start);
  const end = doc.offsetAt(range.end);
  const same = (p: Position, q: Position) => p.line === q.line && p.character === q.character;
  if (!same(doc.positionAt(start), range.start) || !same(doc.positionAt(end), range.end)) {
    fail(`${what} ${JSON.stringify(range)} lies outside ${uri} (${doc.lineCount} lines)`);
  }
  if (start > end) fail(`${what} ${JSON.stringify(range)} ends before it starts`);
}

/** The edits of one fix touch disjoint stretches of text: nothing is dropped when they are applied together. */
function assertDisjoint(docs: Map<string, TextDocument>, edits: TextEdit[], what: string): void {
  const byUri = new Map<string, TextEdit[]>();
  for (const edit of edits) byUri.set(edit.uri, [...(byUri.get(edit.uri) ?? []), edit]);
  for (const [uri, list] of byUri) {
    const kept = nonOverlapping(docs.get(uri)!.getText(), list);
    if (kept.length !== list.length) fail(`${what}: its edits overlap in ${uri}: ${JSON.stringify(list)}`);
  }
}

function analyse(files: Record<string, string>): PortLens {
  const lens = new PortLens();
  for (const [uri, text] of Object.entries(files)) lens.setFile(uri, text);
  return lens;
}

/** Every file with the preferred fixes of the whole workspace applied: what fix-all on each file and `--fix` write. */
export function fixAll(files: Record<string, string>, lens = analyse(files)): Record<string, string> {
  const edits = preferredEdits(lens.allFindings());
  return Object.fromEntries(Object.entries(files).map(([uri, text]) => [uri, applyEdits(text, edits.get(uri) ?? [])]));
}

const syntaxBroken = (lens: PortLens, uri: string) => lens.findings(uri).some((f) => f.code === 'yaml-syntax');

/**
 * The properties every input must keep; throws an InvariantError (or whatever escaped the core):
 * - analysis, hover and definition throw nothing, whatever the text and position;
 * - every finding, related location, hover and definition range lies inside its document;
 * - every fix's edits lie inside a workspace file and are disjoint, so the whole fix applies;
 * - fixing is idempotent: after the preferred fixes of every file are applied once (fix-all,
 *   `--fix`), the re-analysed workspace offers no preferred edit that changes any file. The one
 *   exception is by design: a quoted number (port-value-invalid) is not judged until it is
 *   unquoted, so when the first pass unquoted one, a second pass may fix what that revealed,
 *   and a third must change nothing (fixes converge, never oscillate);
 * - fixes never break YAML: a file that parsed before still parses after its fixes;
 * - an information finding never has a preferred fix.
 */
export function checkCase(c: FuzzCase): void {
  const docs = new Map(Object.entries(c.files).map(([uri, text]) => [uri, TextDocument.create(uri, 'yaml', 0, text)]));
  const uris = [...docs.keys()];
  const lens = analyse(c.files);
  for (const finding of lens.allFindings()) {
    const what = `finding ${finding.code} "${finding.message.slice(0, 80)}"`;
    assertInside(docs, finding.uri, finding.range, what);
    for (const related of finding.related) assertInside(docs, related.uri, related.range, `related location of ${what}`);
    // SPEC §3: a fix of an information finding is offered, never applied by fix-all.
    if (finding.severity === 'information' && finding.fixes.some((f) => f.isPreferred))
      fail(`${what} is information but has a preferred fix`);
    for (const fix of finding.fixes) {
      for (const edit of fix.edits) assertInside(docs, edit.uri, edit.range, `edit of fix "${fix.title}"`);
      assertDisjoint(docs, fix.edits, `fix "${fix.title}"`);
    }
  }
  for (const { file, position } of c.probes) {
    const uri = uris[file % uris.length];
    const hover = lens.hover(uri, position);
    if (hover) assertInside(docs, uri, hover.range, 'hover range');
    for (const location of lens.definition(uri, position)) assertInside(docs, location.uri, location.range, 'definition');
  }

  const once = fixAll(c.files, lens);
  const onceLens = analyse(once);
  for (const uri of uris) {
    if (!syntaxBroken(lens, uri) && syntaxBroken(onceLens, uri)) {
      fail(`the preferred fixes broke the YAML of ${uri}:\n${difference(c.files[uri], c.files[uri], once[uri])}`);
    }
  }
  // An invalid value (a quoted number) is not judged further, so unquoting it may reveal a finding
  // that a second pass fixes; otherwise one pass fixes everything it can.
  const revealing = lens.allFindings().some((f) => f.code === 'port-value-invalid' && f.fixes.some((fix) => fix.isPreferred));
  const twice = fixAll(once, onceLens);
  const thrice = revealing ? fixAll(twice) : twice;
  for (const uri of uris) {
    if (!revealing && twice[uri] !== once[uri])
      fail(`fixing twice differs from fixing once in ${uri}:\n${difference(c.files[uri], once[uri], twice[uri])}`);
    if (thrice[uri] !== twice[uri]) fail(`fixing a third time still changes ${uri}:\n${difference(c.files[uri], twice[uri], thrice[uri])}`);
  }
}

/** The lines around the first place where `a` and `b` differ, with the original text's lines beside them. */
function difference(original: string, a: string, b: string): string {
  const [o, x, y] = [original, a, b].map((t) => t.split('\n'));
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const around = (lines: string[]) => lines.slice(Math.max(0, i - 8), i + 4).join('\n');
  return `--- original\n${around(o)}\n--- fixed once\n${around(x)}\n--- fixed twice\n${around(y)}`;
}
