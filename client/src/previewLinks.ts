import * as path from 'node:path';
import { URI } from 'vscode-uri';

/** `[text](file:///…)`: the server writes every object it names so. A URI has its parentheses percent-encoded. */
const FILE_LINK = /\[([^\]]*)\]\((file:\/\/[^()\s]+)\)/g;

/**
 * Rewrites the server's `file:` links into links VS Code's Markdown preview can follow. The
 * preview renders no `file:` link (markdown-it refuses the scheme) and follows only links without
 * a scheme; in a document that lives in no folder (the explanations' own scheme) it resolves a
 * link starting with `/` against the first workspace folder. So each link becomes the path from
 * that folder, climbing out of it with `..` where needed, `#L<line>` kept. With no folder open
 * (or a folder that is not on disk) the preview has nothing to resolve against: the text stays,
 * without the link.
 */
export function linksForPreview(markdown: string, firstFolder: string | undefined): string {
  const folder = firstFolder ? URI.parse(firstFolder) : undefined;
  return markdown.replace(FILE_LINK, (_link, text: string, target: string) => {
    if (folder?.scheme !== 'file') return text;
    const file = URI.parse(target);
    const relative = path.posix.relative(folder.path, file.path).split('/').map(encodeURIComponent).join('/');
    return `[${text}](/${relative}${file.fragment ? `#${file.fragment}` : ''})`;
  });
}
