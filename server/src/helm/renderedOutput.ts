/** One document of `helm template` output. */
export interface RenderedDocument {
  /** The `# Source:` path, `<chart>/templates/…`, when helm wrote one. */
  source: string | undefined;
  lines: string[];
}

const SOURCE = /^#\s*Source:\s*(\S.*?)\s*$/;

/** Splits helm's output at `---` lines; empty documents are dropped. */
export function splitRenderedOutput(output: string): RenderedDocument[] {
  const documents: RenderedDocument[] = [];
  let lines: string[] = [];
  const finish = () => {
    while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
    if (lines.some((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))) {
      const source = lines.map((l) => SOURCE.exec(l)?.[1]).find((s) => s !== undefined);
      documents.push({ source, lines });
    }
    lines = [];
  };
  for (const line of output.split(/\r?\n/)) {
    if (/^---(\s|$)/.test(line)) finish();
    else lines.push(line);
  }
  finish();
  return documents;
}
