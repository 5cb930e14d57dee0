/**
 * Rule links (a diagnostic's `codeDescription`) open the copy of docs/rules.md shipped in the
 * extension, at the rule's heading, instead of a web page that may not exist for this version.
 */

const RULES_DOC = /\/docs\/rules\.md$/;

/** The 1-based line of each `## <code>` heading of docs/rules.md. */
export function ruleHeadings(markdown: string): Map<string, number> {
  const lines = new Map<string, number>();
  markdown.split('\n').forEach((line, i) => {
    const heading = /^## ([a-z][a-z0-9-]*)\s*$/.exec(line);
    if (heading) lines.set(heading[1], i + 1);
  });
  return lines;
}

/**
 * The shipped file's link for a rule link (`…/docs/rules.md#<code>`): `<docsFile>#L<line>`, which
 * VS Code opens at that line. Undefined for any other link, or a code the file has no heading for.
 */
export function localRuleLink(target: { path: string; fragment: string }, headings: Map<string, number>): string | undefined {
  if (!RULES_DOC.test(target.path)) return undefined;
  const line = headings.get(target.fragment);
  return line === undefined ? undefined : `L${line}`;
}
