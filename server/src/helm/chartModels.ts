import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { objectsOf, type FileModel, type ModelError, type ObjectRef } from '../model/manifest';
import { parseManifests } from '../model/parse';
import type { Position, Range } from '../model/source';
import { splitRenderedOutput, type RenderedDocument } from './renderedOutput';
import { TemplateProjection } from './templateProjection';
import { isInside } from '../workspace/paths';

/** A chart as rendering sees it. */
export interface Chart {
  /** Absolute folder holding Chart.yaml. */
  dir: string;
  /** `name` from Chart.yaml: the first segment of helm's `# Source:` paths. */
  name: string;
}

export interface ProjectedChart {
  /** One model per template file that produced objects, plus one on Chart.yaml for the rest. */
  models: FileModel[];
  /** Template URI → its projection, for fixes and hover. */
  projections: Map<string, TemplateProjection>;
}

export const chartFileUri = (chart: Chart) => URI.file(path.join(chart.dir, 'Chart.yaml')).toString();

/**
 * Indexes helm's output under the templates that produced it: every range of every object points
 * at the template line (the literal, or the `{{ … }}` action) that wrote it. Objects without a
 * namespace get the release namespace. Documents whose template is not in the chart folder
 * (a vendored `.tgz`, or a `# Source:` leading outside the chart) are kept on Chart.yaml.
 */
export function projectRender(
  chart: Chart,
  output: string,
  namespace: string,
  readTemplate: (file: string) => string | undefined,
): ProjectedChart {
  const byFile = new Map<string, RenderedDocument[]>();
  const elsewhere: RenderedDocument[] = [];
  for (const document of splitRenderedOutput(output)) {
    const file = document.source === undefined ? undefined : templateFile(chart, document.source);
    if (file === undefined) elsewhere.push(document);
    else byFile.set(file, [...(byFile.get(file) ?? []), document]);
  }

  const models: FileModel[] = [];
  const projections = new Map<string, TemplateProjection>();
  for (const [file, documents] of byFile) {
    const text = readTemplate(file);
    if (text === undefined) {
      elsewhere.push(...documents);
      continue;
    }
    const uri = URI.file(file).toString();
    const projection = new TemplateProjection(text, documents);
    projections.set(uri, projection);
    models.push(remapModel(parseManifests(uri, projection.text), projection, namespace));
  }
  const chartUri = chartFileUri(chart);
  // Each document after its own `---`, so that its `# Source:` comment stays with it.
  const rest = parseManifests(chartUri, elsewhere.map((d) => `---\n${d.lines.join('\n')}`).join('\n'));
  models.push(remapModel(rest, undefined, namespace));
  return { models, projections };
}

/** The file a `# Source:` path names, if it lies inside the chart folder. */
export function templateFile(chart: Chart, source: string): string | undefined {
  const [first, ...rest] = source.split('/');
  if (first !== chart.name || rest.length === 0) return undefined;
  const file = path.resolve(chart.dir, ...rest);
  return isInside(chart.dir, file) ? file : undefined;
}

/** Moves every range of the model to the template; without a projection, to the file's start. */
function remapModel(model: FileModel, projection: TemplateProjection | undefined, namespace: string): FileModel {
  const zero: Position = { line: 0, character: 0 };
  const mapRange = (r: Range): Range => (projection ? projection.mapRange(r) : { start: zero, end: zero });
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (!value || typeof value !== 'object' || value instanceof Map) return value;
    if (isRange(value)) return mapRange(value);
    if (key === 'keyInsertion') return projection ? moveInsertion(value as { at: Position; prefix: string }, projection) : undefined;
    if (key === 'dedent') return projection ? moveDedent(value as { lines: Position[]; width: number }, projection) : undefined;
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const moved = walk(v, k);
      if (moved !== undefined) copy[k] = moved;
    }
    return copy;
  };
  const moved = walk(model) as FileModel;
  const refs: ObjectRef[] = objectsOf(moved).map((o) => o.ref);
  // Cluster-wide policies (CiliumClusterwideNetworkPolicy, Calico's GlobalNetworkPolicy) have no namespace.
  const clusterWide = ['Namespace', 'CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy'];
  for (const ref of refs) if (!clusterWide.includes(ref.kind) && ref.namespace === undefined) ref.namespace = namespace;
  moved.errors = moved.errors.map((e: ModelError) => ({ ...e, message: `${e.message} (in helm's output)` }));
  return moved;
}

function isRange(value: object): value is Range {
  const r = value as Range;
  return typeof r.start?.line === 'number' && typeof r.end?.line === 'number' && Object.keys(value).length === 2;
}

/** The new key goes after the same line of the template, indented as the template indents it. */
function moveInsertion(insertion: { at: Position; prefix: string }, projection: TemplateProjection) {
  const at = projection.toTemplate(insertion.at, 'end');
  const shift = projection.indentShift(insertion.at.line);
  const match = /^(\r?\n)( *)$/.exec(insertion.prefix);
  if (!match) return { at, prefix: insertion.prefix };
  return { at, prefix: match[1] + ' '.repeat(Math.max(0, match[2].length + shift)) };
}

/** Un-indenting works on the template only where its lines are indented as they were rendered. */
function moveDedent(dedent: { lines: Position[]; width: number }, projection: TemplateProjection) {
  if (dedent.lines.some((l) => projection.indentShift(l.line) !== 0)) return undefined;
  return { lines: dedent.lines.map((l) => projection.toTemplate(l, 'start')), width: dedent.width };
}
