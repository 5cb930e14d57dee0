import type { Finding, Fix, TextEdit } from '../analysis/rules/findings';
import type { PortLens } from '../analysis/portLens';
import { objectsOf, type ObjectRef } from '../model/manifest';
import { containsPosition, type Position } from '../model/source';
import { chartFileUri, type Chart } from './chartModels';
import type { TemplateProjection } from './templateProjection';
import { valueLocation, valuesPathOf, valuesUses, type ValuesFile } from './valuesKeys';

/** What a successful render left behind: the way back to templates and values. */
export interface RenderedChart {
  chart: Chart;
  release: string;
  namespace: string;
  projections: Map<string, TemplateProjection>;
  /** Every template of the chart (helpers included): where values are read. */
  templates: string[];
  /** values.yaml, then the extra values files, in helm's order. */
  values: ValuesFile[];
}

/**
 * The charts whose output is in the index. Findings on their templates get fixes that edit the
 * template where the value is literal there, or the values file where it comes straight from one
 * value read nowhere else; other fixes are dropped, and the hover says which value to change.
 */
export class RenderedCharts {
  private readonly byDir = new Map<string, RenderedChart>();
  private readonly byUri = new Map<string, RenderedChart>();
  /** Chart.yaml of each rendered chart: holds what came from templates outside the chart folder. */
  private readonly byChartFile = new Map<string, RenderedChart>();

  set(rendered: RenderedChart): void {
    this.delete(rendered.chart.dir);
    this.byDir.set(rendered.chart.dir, rendered);
    this.byChartFile.set(chartFileUri(rendered.chart), rendered);
    for (const uri of rendered.projections.keys()) this.byUri.set(uri, rendered);
  }

  has(dir: string): boolean {
    return this.byDir.has(dir);
  }

  delete(dir: string): void {
    const old = this.byDir.get(dir);
    if (!old) return;
    this.byDir.delete(dir);
    this.byChartFile.delete(chartFileUri(old.chart));
    for (const uri of old.projections.keys()) this.byUri.delete(uri);
  }

  adjust(findings: Finding[], lens: PortLens): Finding[] {
    return findings.map((finding) => {
      const fixes = finding.fixes.map((fix) => this.retarget(fix)).filter((f): f is Fix => f !== undefined);
      const rendered = this.byUri.get(finding.uri);
      const related = rendered ? [...finding.related, ...renderedAs(finding, rendered, lens)] : finding.related;
      const outside = this.byChartFile.has(finding.uri) && finding.code !== 'helm-render-failed';
      const message = outside
        ? `${sourceOf(finding, lens)}, which is not in the workspace (a packaged subchart): ${finding.message}`
        : finding.message;
      return fixes.length === finding.fixes.length && related === finding.related && !outside
        ? finding
        : { ...finding, message, fixes, related };
    });
  }

  /** Markdown for a hover on a template's `{{ … }}`: which value to change. */
  hoverNote(uri: string, position: Position): string | undefined {
    const rendered = this.byUri.get(uri);
    const found = rendered?.projections.get(uri)?.actionAt(position);
    if (!rendered || !found) return undefined;
    const keys = valuesPathOf(found.action);
    if (!keys) return `Written by \`${found.action}\`: change the value it reads, or the template.`;
    const location = valueLocation(keys, rendered.values);
    const where = location
      ? ` ([${fileName(location.uri)}](${location.uri}#L${location.range.start.line + 1}): \`${location.value}\`)`
      : '';
    return `Written by \`${found.action}\`: change \`${keys.join('.')}\` in the values${where}.`;
  }

  private retarget(fix: Fix): Fix | undefined {
    const edits: TextEdit[] = [];
    for (const edit of fix.edits) {
      // Objects from templates outside the chart folder have no text here to edit.
      if (this.byChartFile.has(edit.uri)) return undefined;
      const rendered = this.byUri.get(edit.uri);
      if (!rendered) {
        edits.push(edit);
        continue;
      }
      const target = rendered.projections.get(edit.uri)!.editTarget(edit.range);
      if (target?.kind === 'literal') edits.push(edit);
      else if (target?.kind === 'action') {
        const valuesEdit = editOfValue(target.action, edit.newText, rendered);
        if (!valuesEdit) return undefined;
        edits.push(valuesEdit);
      } else return undefined;
    }
    return { ...fix, edits };
  }
}

function editOfValue(action: string, newText: string, rendered: RenderedChart): TextEdit | undefined {
  const keys = valuesPathOf(action);
  if (!keys || valuesUses(keys, rendered.templates) !== 1) return undefined;
  const location = valueLocation(keys, rendered.values);
  return location ? { uri: location.uri, range: location.range, newText } : undefined;
}

/** The object a finding is about: the one it was reported for, or the one around its range. */
function objectOf(finding: Finding, lens: PortLens): ObjectRef | undefined {
  const owner = lens.ownerOf(finding);
  if (owner) return owner;
  const model = lens.index.file(finding.uri);
  const objects = model ? objectsOf(model).filter((o) => o.ref.kind !== 'Namespace') : [];
  return objects.find((o) => containsPosition(o.ref.range, finding.range.start))?.ref;
}

function renderedAs(finding: Finding, rendered: RenderedChart, lens: PortLens) {
  const ref = objectOf(finding, lens);
  if (!ref) return [];
  return [
    {
      uri: finding.uri,
      range: ref.nameRange,
      message:
        `rendered as ${ref.kind} ${ref.namespace}/${ref.name} by helm template ${rendered.release} --namespace ` + `${rendered.namespace}`,
    },
  ];
}

function sourceOf(finding: Finding, lens: PortLens): string {
  const ref = lens.ownerOf(finding);
  const what = ref ? `${ref.kind} ${ref.namespace}/${ref.name}` : 'An object';
  return ref?.helmSource ? `${what}, rendered from ${ref.helmSource}` : what;
}

const fileName = (uri: string) => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
