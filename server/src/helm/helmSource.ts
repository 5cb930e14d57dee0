import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Finding } from '../analysis/rules/findings';
import type { Position } from '../model/source';
import { isOff, type InputSource, type RootConfig, type SourceContext } from '../workspace/inputSource';
import { chartDirOf, chartName } from './chartFolder';
import type { Chart } from './chartModels';
import { ChartRenderer, type HelmOptions } from './chartRenderer';
import { findTemplate, helmSourceAt } from './renderedSource';
import { releaseOptions } from './chartRelease';

/** Helm charts as an input source of the workspace session: a folder with a Chart.yaml is rendered with `helm template`. */
export function helmSource(context: SourceContext): InputSource {
  return new HelmSource(context);
}

class HelmSource implements InputSource {
  readonly noun = 'Helm chart';
  private readonly renderer: ChartRenderer;
  /** Chart folders the walk found, with the root each was found under. */
  private readonly charts = new Map<string, RootConfig>();
  /** The charts that are rendered, with their options. */
  private readonly renderable = new Map<string, HelmOptions>();

  constructor(private readonly context: SourceContext) {
    this.renderer = new ChartRenderer(context.lens, context.log, context.host);
  }

  claimsFolder(dir: string, entries: ReadonlyArray<{ name: string; kind: string }>, root: RootConfig): boolean {
    if (!entries.some((e) => e.name === 'Chart.yaml' && e.kind !== 'directory')) return false;
    if (!this.charts.has(dir)) this.charts.set(dir, root);
    return true;
  }

  claimsFile(file: string, root: RootConfig): boolean {
    if (path.basename(file) !== 'Chart.yaml') return false;
    if (!this.charts.has(path.dirname(file))) this.charts.set(path.dirname(file), root);
    return true;
  }

  units(): string[] {
    const notRendered = new Map<string, number>();
    for (const [dir, root] of this.charts) {
      if (isOff(root.helm)) notRendered.set(root.helm.off, (notRendered.get(root.helm.off) ?? 0) + 1);
      else this.renderable.set(dir, releaseOptions(dir, root.path, root.helm));
    }
    for (const [reason, count] of notRendered) this.context.log(`${count} Helm chart${count === 1 ? '' : 's'} not rendered (${reason})`);
    return [...this.renderable.keys()];
  }

  build(dir: string, changed: Set<string>, signal?: AbortSignal) {
    const options = this.renderable.get(dir);
    if (!options) return Promise.resolve('unchanged' as const);
    return this.renderer.render(dir, options, changed, this.context.overlaysUnder(dir), signal);
  }

  staleUnits(): number {
    return this.renderer.stale.size;
  }

  owns(file: string): boolean {
    return chartDirOf(file, this.context.host.fs) !== undefined;
  }

  unitsOf(file: string): string[] {
    const dir = chartDirOf(file, this.context.host.fs);
    return dir !== undefined && this.renderable.has(dir) ? [dir] : [];
  }

  needsRescan(file: string, change: 'created' | 'changed' | 'deleted'): boolean {
    return change !== 'changed' && path.basename(file) === 'Chart.yaml';
  }

  adjust(findings: Finding[]): Finding[] {
    return this.renderer.rendered.adjust(findings, this.context.lens);
  }

  hoverNote(uri: string, position: Position): string | undefined {
    return this.renderer.rendered.hoverNote(uri, position) ?? this.renderedSourceNote(uri, position);
  }

  /** For committed `helm template` output: which template wrote the object, linked when it is here. */
  private renderedSourceNote(uri: string, position: Position): string | undefined {
    const model = this.context.lens.index.file(uri);
    const source = model && helmSourceAt(model, position);
    if (!source) return undefined;
    const fs = this.context.host.fs;
    // Chart names are read only here: hovers over committed renders are rare, scans are not.
    const charts: Chart[] = [...this.charts.keys()].map((dir) => {
      const read = fs.readText(path.join(dir, 'Chart.yaml'));
      return { dir, name: chartName('text' in read ? read.text : '') ?? '' };
    });
    const template = findTemplate(source, charts, fs);
    return template ? `Rendered by Helm from [${source}](${URI.file(template).toString()})` : `Rendered by Helm from \`${source}\``;
  }
}
