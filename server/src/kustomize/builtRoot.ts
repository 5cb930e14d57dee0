import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { URI } from 'vscode-uri';
import type { FileModel } from '../model/manifest';
import { parseManifests } from '../model/parse';
import { SourceText, type Position, type Range } from '../model/source';
import type { Kustomization, PatchRef } from './kustomization';
import type { KustomizeRoot } from './kustomizeTree';
import { contentSpan, follow, mapGet, nodeAt, parseYamlDocuments, scalarText, type Found, type PathStep } from './sourceNodes';

/** Where a value of the built output was written, as far as the annotations and the files tell. */
export interface SourceSpot {
  uri: string;
  range: Range;
  /** The value is written there literally (an edit there changes the built value). */
  literal: boolean;
  /** The content of the literal scalar, what an edit replaces. */
  content?: Range;
  /** The file that wrote it, for people: `patch overlays/prod/policy-patch.yaml`. */
  writer: string;
  /** When no file writes the value literally: what kustomize did to it. */
  note?: string;
}

interface Transformation {
  file: string;
  kind: string;
}

interface BuiltObject {
  document: Document.Parsed;
  kind: string;
  name: string;
  /** The resource file, or undefined for a generated object. */
  origin: string | undefined;
  generatedBy?: { kind: string; file: string };
  transformations: Transformation[];
}

/** A patch as text that can be searched, and how its offsets map into the file that holds it. */
interface PatchText {
  ref: PatchRef;
  file: string;
  documents: Document.Parsed[];
  position: (offset: number) => Position | undefined;
  writer: string;
}

/** The virtual URI under which a root's built objects are analysed. */
export const builtUri = (root: KustomizeRoot) => URI.file(root.kustomization.dir).with({ scheme: 'kustomize' }).toString();

/**
 * One root's `kubectl kustomize` output, analysed under a virtual URI, and the way from every
 * value of it back to the base resource or patch that wrote it.
 */
export class BuiltRoot {
  readonly uri: string;
  readonly model: FileModel;
  private readonly text: SourceText;
  private readonly objects: BuiltObject[];
  private readonly files = new Map<string, { text: SourceText; documents: Document.Parsed[] } | undefined>();
  private readonly patchTexts = new Map<PatchRef, PatchText[]>();

  constructor(
    readonly root: KustomizeRoot,
    output: string,
    sourceOf: (annotationPath: string) => string,
    private readonly read: (file: string) => string | undefined,
    private readonly kustomizationAt: (dir: string) => Kustomization | undefined,
    private readonly display: (file: string) => string,
  ) {
    this.uri = builtUri(root);
    this.text = new SourceText(this.uri, output);
    this.model = parseManifests(this.uri, output);
    this.objects = parseYamlDocuments(output).map((document) => builtObject(document, sourceOf));
  }

  get name(): string {
    return this.root.name;
  }

  /** Every file the locations of this build may point into. */
  sourceFiles(): string[] {
    return [...this.root.files];
  }

  /** Where the value at `range` of the built output was written. */
  locate(range: Range): SourceSpot | undefined {
    const start = this.text.offset(range.start);
    const end = Math.max(start, this.text.offset(range.end));
    const object = this.objects.find((o) => o.document.range[0] <= start && start <= o.document.range[2]);
    if (!object) return undefined;
    const at = nodeAt(object.document.contents, start, end);
    if (!at) return this.objectSpot(object);
    const built = at.found.node;
    const wanted = at.found.key ? undefined : scalarText(built);
    const isValue = wanted !== undefined && isScalar(built);

    for (const patch of this.patchesOf(object).reverse()) {
      const found = this.inPatch(patch, object, at.path, at.found.key);
      if (!found) continue;
      const matches = at.found.key || (isValue ? scalarText(found.node) === wanted : !isScalar(found.node));
      if (matches) return this.spotIn(patch.file, found, patch.position, isValue, patch.writer);
    }
    if (object.origin) {
      const source = this.parsed(object.origin);
      const document = source?.documents.find((d) => sameObject(d, object));
      const found = document ? follow(document.contents, object.document.contents, at.path, at.found.key) : undefined;
      if (source && found) {
        const literal = isValue && isScalar(found.node) && scalarText(found.node) === wanted;
        const spot = this.spotIn(object.origin, found, (o) => source.text.position(o), literal, this.display(object.origin));
        return literal || !isValue ? spot : spot && { ...spot, literal: false, content: undefined, note: this.transformedNote(object) };
      }
    }
    const spot = this.objectSpot(object);
    return spot && { ...spot, note: this.transformedNote(object) };
  }

  /** Where the first value or key of a line of the built output was written. */
  locateLine(line: number): SourceSpot | undefined {
    const text = this.text.text.split(/\r?\n/)[line];
    if (text === undefined) return undefined;
    const character = text.length - text.trimStart().replace(/^-\s*/, '').length;
    const at = { line, character };
    return this.locate({ start: at, end: at });
  }

  /** The object's name in its resource file (or the generating kustomization), for values no file writes. */
  private objectSpot(object: BuiltObject): SourceSpot | undefined {
    if (object.origin) {
      const source = this.parsed(object.origin);
      const document = source?.documents.find((d) => sameObject(d, object));
      const name = document ? mapGet(mapGet(document.contents, 'metadata'), 'name') : undefined;
      const node = name ?? document?.contents;
      const range = node?.range && source ? source.text.range({ start: node.range[0], end: node.range[1] }) : zeroRange;
      return { uri: URI.file(object.origin).toString(), range, literal: false, writer: this.display(object.origin) };
    }
    const file = object.generatedBy?.file ?? this.root.kustomization.file;
    const by = object.generatedBy ? `${object.generatedBy.kind} of ${this.display(file)}` : this.display(file);
    return { uri: URI.file(file).toString(), range: zeroRange, literal: false, writer: by, note: `generated by ${by}` };
  }

  private transformedNote(object: BuiltObject): string {
    const others = object.transformations.filter((t) => !/Patch/.test(t.kind));
    const kinds = [...new Set(others.map((t) => `${t.kind} (${this.display(t.file)})`))];
    return kinds.length > 0 ? `set by kustomize: ${kinds.join(', ')}` : 'set by kustomize, not written in any file';
  }

  private spotIn(
    file: string,
    found: Found,
    position: (offset: number) => Position | undefined,
    literal: boolean,
    writer: string,
  ): SourceSpot | undefined {
    const node = found.node;
    if (!node.range) return undefined;
    const start = position(node.range[0]);
    const end = position(node.range[1]);
    if (!start || !end) return undefined;
    const span = literal && !found.key ? contentSpan(node) : undefined;
    const content =
      span && position(span.start) && position(span.end) ? { start: position(span.start)!, end: position(span.end)! } : undefined;
    return { uri: URI.file(file).toString(), range: { start, end }, literal: literal && content !== undefined, content, writer };
  }

  /** The patches of the kustomizations that transformed the object, in the order they were applied. */
  private patchesOf(object: BuiltObject): PatchText[] {
    const result: PatchText[] = [];
    const seen = new Set<string>();
    for (const t of object.transformations) {
      if (!/Patch/.test(t.kind) || seen.has(t.file)) continue;
      seen.add(t.file);
      const kustomization = this.kustomizationAt(path.dirname(t.file));
      for (const ref of kustomization?.patches ?? []) result.push(...this.patchText(ref, kustomization!));
    }
    return result;
  }

  private inPatch(patch: PatchText, object: BuiltObject, steps: PathStep[], key: boolean): Found | undefined {
    const target = patch.ref.target;
    if (target && !targets(target.kind, target.name, object)) return undefined;
    for (const document of patch.documents) {
      const contents = document.contents;
      if (isSeq(contents)) {
        const found = inJsonPatch(contents.items, object, steps, key);
        if (found) return found;
      } else if (isMap(contents)) {
        if (!target && !sameObject(document, object)) continue;
        const found = follow(contents, object.document.contents, steps, key);
        if (found) return found;
      }
    }
    return undefined;
  }

  private patchText(ref: PatchRef, kustomization: Kustomization): PatchText[] {
    const cached = this.patchTexts.get(ref);
    if (cached) return cached;
    let result: PatchText[] = [];
    if (ref.file) {
      const source = this.parsed(ref.file);
      if (source)
        result = [
          {
            ref,
            file: ref.file,
            documents: source.documents,
            position: (o) => source.text.position(o),
            writer: `patch ${this.display(ref.file)}`,
          },
        ];
    } else if (ref.inline !== undefined) {
      const inline = this.inlinePatch(ref.inline, kustomization.file);
      if (inline) result = [{ ref, file: kustomization.file, ...inline, writer: `inline patch in ${this.display(kustomization.file)}` }];
    }
    this.patchTexts.set(ref, result);
    return result;
  }

  /** An inline patch, a block scalar of the kustomization: its lines are the file's lines, indented. */
  private inlinePatch(inline: string, file: string): Pick<PatchText, 'documents' | 'position'> | undefined {
    const source = this.parsed(file);
    if (!source) return undefined;
    const text = source.text.text;
    const scalar = findScalar(parseDocument(text, { uniqueKeys: false }).contents, inline);
    if (!scalar?.range) return undefined;
    const documents = parseYamlDocuments(inline);
    if (scalar.type !== 'BLOCK_LITERAL') return { documents, position: () => source.text.position(scalar.range![0]) };
    const header = source.text.position(scalar.range[0]).line;
    const lines = text.split(/\r?\n/);
    const indent =
      lines
        .slice(header + 1)
        .find((l) => l.trim() !== '')
        ?.match(/^ */)?.[0].length ?? 0;
    const inlineText = new SourceText('', inline);
    return {
      documents,
      position: (offset) => {
        const p = inlineText.position(offset);
        return { line: header + 1 + p.line, character: p.character + indent };
      },
    };
  }

  private parsed(file: string): { text: SourceText; documents: Document.Parsed[] } | undefined {
    if (!this.files.has(file)) {
      const text = this.read(file);
      this.files.set(
        file,
        text === undefined ? undefined : { text: new SourceText(URI.file(file).toString(), text), documents: parseYamlDocuments(text) },
      );
    }
    return this.files.get(file);
  }
}

const zeroRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function builtObject(document: Document.Parsed, sourceOf: (p: string) => string): BuiltObject {
  const contents = document.contents;
  const metadata = mapGet(contents, 'metadata');
  const annotations = mapGet(metadata, 'annotations');
  const object: BuiltObject = {
    document,
    kind: scalarText(mapGet(contents, 'kind')) ?? '',
    name: scalarText(mapGet(metadata, 'name')) ?? '',
    origin: undefined,
    transformations: [],
  };
  const origin = parseYamlDocuments(scalarText(mapGet(annotations, 'config.kubernetes.io/origin')) ?? '')[0]?.contents;
  const originPath = scalarText(mapGet(origin, 'path'));
  if (originPath) object.origin = sourceOf(originPath);
  else {
    const configuredIn = scalarText(mapGet(origin, 'configuredIn'));
    const kind = scalarText(mapGet(mapGet(origin, 'configuredBy'), 'kind'));
    if (configuredIn && kind) object.generatedBy = { kind, file: sourceOf(configuredIn) };
  }
  const transformations = parseYamlDocuments(scalarText(mapGet(annotations, 'alpha.config.kubernetes.io/transformations')) ?? '')[0]
    ?.contents;
  if (isSeq(transformations)) {
    for (const item of transformations.items) {
      const file = scalarText(mapGet(item, 'configuredIn'));
      const kind = scalarText(mapGet(mapGet(item, 'configuredBy'), 'kind'));
      if (file && kind) object.transformations.push({ file: sourceOf(file), kind });
    }
  }
  return object;
}

/** The same kind, and a name the build kept or extended with prefixes and suffixes. */
function sameObject(document: Document.Parsed, object: BuiltObject): boolean {
  const kind = scalarText(mapGet(document.contents, 'kind'));
  const name = scalarText(mapGet(mapGet(document.contents, 'metadata'), 'name'));
  return kind === object.kind && name !== undefined && object.name.includes(name);
}

function targets(kind: string | undefined, name: string | undefined, object: BuiltObject): boolean {
  if (kind && kind !== object.kind) return false;
  if (!name) return true;
  if (object.name.includes(name)) return true;
  try {
    return new RegExp(name).test(object.name);
  } catch {
    return false;
  }
}

/** The value of the last `add` or `replace` operation that wrote `steps` (or a part of the tree above it). */
function inJsonPatch(operations: unknown[], object: BuiltObject, steps: PathStep[], key: boolean): Found | undefined {
  for (const operation of [...operations].reverse()) {
    const op = scalarText(mapGet(operation, 'op'));
    const pointer = scalarText(mapGet(operation, 'path'));
    const value = mapGet(operation, 'value');
    if ((op !== 'add' && op !== 'replace') || pointer === undefined || !value) continue;
    const segments =
      pointer === ''
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segments.length > steps.length) continue;
    let built: unknown = object.document.contents;
    let matches = true;
    for (let i = 0; i < segments.length && matches; i++) {
      const step = steps[i];
      // `-` appends: the item is the last one, unless later operations added more.
      matches = segments[i] === String(step) || (segments[i] === '-' && isSeq(built) && step === built.items.length - 1);
      built = typeof step === 'number' ? (isSeq(built) ? built.items[step] : undefined) : mapGet(built, step);
    }
    if (!matches) continue;
    const rest = steps.slice(segments.length);
    if (rest.length === 0) return key ? undefined : { node: value, key: false };
    const found = follow(value, built, rest, key);
    if (found) return found;
  }
  return undefined;
}

function findScalar(node: unknown, value: string): (Node & { type?: string }) | undefined {
  if (isScalar(node)) return node.value === value ? node : undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      const found = findScalar(pair.value, value);
      if (found) return found;
    }
  }
  if (isSeq(node)) {
    for (const item of node.items) {
      const found = findScalar(item, value);
      if (found) return found;
    }
  }
  return undefined;
}
