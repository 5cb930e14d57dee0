import { isScalar, parseDocument, type Document } from 'yaml';
import { SourceText, type Range } from '../model/source';
import { actionBody } from './templateLines';

/** `{{ .Values.service.ports.http }}` → `['service', 'ports', 'http']`; anything else (pipes, functions) → undefined. */
export function valuesPathOf(action: string): string[] | undefined {
  const match = /^\$?\.Values((?:\.[A-Za-z_]\w*)+)$/.exec(actionBody(action));
  return match ? match[1].slice(1).split('.') : undefined;
}

/**
 * How often the chart's templates read the value at `keys`: the key itself, and its parents used
 * whole (`toYaml .Values.service`), both count.
 */
export function valuesUses(keys: string[], templates: Iterable<string>): number {
  let count = 0;
  for (let n = 1; n <= keys.length; n++) {
    const reference = `.Values.${keys.slice(0, n).join('.')}`.replace(/\./g, '\\.');
    const pattern = new RegExp(`${reference}(?![\\w.])`, 'g');
    for (const text of templates) count += text.match(pattern)?.length ?? 0;
  }
  return count;
}

export interface ValuesFile {
  uri: string;
  text: string;
}

/** Values files are parsed once each: fixes and hovers ask about them again and again. */
const documents = new WeakMap<ValuesFile, Document | undefined>();

function parsed(file: ValuesFile): Document | undefined {
  if (!documents.has(file)) {
    let document: Document | undefined;
    try {
      document = parseDocument(file.text, { prettyErrors: false });
    } catch {
      document = undefined;
    }
    documents.set(file, document);
  }
  return documents.get(file);
}

/** Where the scalar at `keys` is written: in the last values file that sets it (the one helm uses). */
export function valueLocation(keys: string[], files: ValuesFile[]): { uri: string; range: Range; value: string } | undefined {
  for (const file of [...files].reverse()) {
    const node = parsed(file)?.getIn(keys, true);
    if (!isScalar(node) || !node.range) continue;
    const [start, end] = node.range;
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    const source = new SourceText(file.uri, file.text);
    const range = source.range(quoted ? { start: start + 1, end: end - 1 } : { start, end });
    return { uri: file.uri, range, value: String(node.value) };
  }
  return undefined;
}
