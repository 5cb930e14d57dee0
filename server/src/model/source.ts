import { TextDocument } from 'vscode-languageserver-textdocument';

/** A position as LSP counts it: 0-based line, 0-based UTF-16 code unit within the line. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Half-open offsets [start, end) into the document text (UTF-16 code units). */
export interface Span {
  start: number;
  end: number;
}

/** The text of one file; offset ↔ position conversion is TextDocument's (CRLF-aware). */
export class SourceText {
  private readonly doc: TextDocument;

  constructor(
    readonly uri: string,
    readonly text: string,
  ) {
    this.doc = TextDocument.create(uri, 'yaml', 0, text);
  }

  position(offset: number): Position {
    return this.doc.positionAt(offset);
  }

  range(span: Span): Range {
    return { start: this.doc.positionAt(span.start), end: this.doc.positionAt(span.end) };
  }

  offset(position: Position): number {
    return this.doc.offsetAt(position);
  }

  /** Offset of the first character of the line holding `offset`. */
  lineStart(offset: number): number {
    return this.doc.offsetAt({ line: this.doc.positionAt(offset).line, character: 0 });
  }
}

export function containsPosition(range: Range, position: Position): boolean {
  if (position.line < range.start.line || position.line > range.end.line) return false;
  if (position.line === range.start.line && position.character < range.start.character) return false;
  if (position.line === range.end.line && position.character > range.end.character) return false;
  return true;
}
