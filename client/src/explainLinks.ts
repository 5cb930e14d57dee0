import type { ExplainFix } from '../../server/src/lsp/protocol';

/** Client commands the explain panel's links run (its webview allows these and no other). */
export const OPEN_LOCATION_COMMAND = 'portLens.openLocation';
export const APPLY_EXPLAIN_FIX_COMMAND = 'portLens.applyExplainFix';

const FILE_LINK = /\[([^\]]*)\]\((file:\/\/[^()\s]+)\)/g;

const commandLink = (command: string, args: unknown[]) => `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;

/**
 * The server's explain Markdown with links the panel can follow: each `file:` link runs
 * `portLens.openLocation [uri, line]` (0-based line, from the `#L<n>` fragment), and each line of
 * the "Fixes" list starts with its title as a link that applies the fix (`portLens.applyExplainFix
 * [index]`), the places it edits following as "open" links.
 */
export function withCommandLinks(markdown: string, fixes: readonly ExplainFix[] = []): string {
  const open = (text: string) =>
    text.replace(FILE_LINK, (_link, label: string, target: string) => {
      const hash = target.lastIndexOf('#L');
      const uri = hash < 0 ? target : target.slice(0, hash);
      const line = hash < 0 ? 0 : Math.max(0, Number(target.slice(hash + 2)) - 1 || 0);
      return `[${label}](${commandLink(OPEN_LOCATION_COMMAND, [uri, line])})`;
    });
  let next = 0;
  return markdown
    .split('\n')
    .map((line) => {
      const fix = fixes[next];
      if (!fix || !line.startsWith(`- ${fix.title}: `)) return open(line);
      const index = next++;
      const places = line.slice(`- ${fix.title}: `.length);
      return `- [${escapeLabel(fix.title)}](${commandLink(APPLY_EXPLAIN_FIX_COMMAND, [index])}) · open: ${open(places)}`;
    })
    .join('\n');
}

const escapeLabel = (text: string) => text.replace(/[[\]\\]/g, '\\$&');
