import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { PortLens } from '../analysis/portLens';
import { emptyModel, type FileModel, type ModelError } from '../model/manifest';
import { chartFileUri, projectRender, templateFile, type Chart } from './chartModels';
import { addContent, chartContents, chartFiles, chartName, contentKey, isTemplatePath, valuesFilesFor } from './chartFolder';
import { RenderedCharts } from './renderedCharts';
import type { FileSystem, WorkspaceHost } from '../workspace/host';
import type { BuildOutcome } from '../workspace/inputSource';
import { nodeHost } from '../workspace/nodeHost';
import { isInside } from '../workspace/paths';

export interface HelmOptions {
  /** The helm executable. */
  path: string;
  releaseName: string;
  namespace: string;
  /** Extra values files: absolute, or relative to the chart folder (globs allowed). */
  valuesFiles: readonly string[];
  timeoutSeconds: number;
}

export const DEFAULT_HELM_OPTIONS: HelmOptions = { path: 'helm', releaseName: 'release', namespace: 'default', valuesFiles: [], timeoutSeconds: 10 };

const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

export type RenderOutcome = BuildOutcome;

/**
 * Renders charts with helm and keeps their output in the analysis: one model per template, the
 * rest and any failure on Chart.yaml. A chart that fails is skipped with one finding saying why.
 */
export class ChartRenderer {
  readonly rendered = new RenderedCharts();
  /** Chart folder → the URIs its last render put into the analysis, and what that render read. */
  private readonly state = new Map<string, { uris: Set<string>; key: string }>();

  constructor(
    private readonly lens: PortLens,
    private readonly log: (message: string) => void = () => undefined,
    private readonly host: WorkspaceHost = nodeHost,
  ) {}

  /**
   * Renders the chart in `dir` unless nothing it reads changed since the last render. `overlays`
   * holds unsaved documents (absolute path → text); a render that `signal` aborts changes nothing.
   * Adds the URIs whose findings changed to `changed`.
   */
  async render(dir: string, options: HelmOptions, changed: Set<string>, overlays: ReadonlyMap<string, string> = new Map(), signal?: AbortSignal): Promise<RenderOutcome> {
    const fs = this.host.fs;
    const files = await chartFiles(dir, fs);
    const valuesFiles = valuesFilesFor(dir, files, options.valuesFiles, fs);
    const contents = await chartContents(dir, files, overlays, fs);
    // Values files outside the chart folder are not among its files, but a render reads them too.
    for (const file of valuesFiles) if (!contents.has(file)) await addContent(contents, file, overlays, fs);
    const key = contentKey(contents, options);
    if (this.state.get(dir)?.key === key) return 'unchanged';
    const read = (file: string) => textOf(contents.get(file));

    const chartYaml = read(path.join(dir, 'Chart.yaml')) ?? '';
    const name = chartName(chartYaml);
    const chart: Chart = { dir, name: name ?? path.basename(dir) };
    if (!name) {
      this.fail(chart, chartYaml, 'Chart.yaml names no chart (`name:` is missing), so helm cannot render it', key, changed);
      return 'failed';
    }

    const scratch = overlays.size > 0 ? await fs.overlayCopy(dir, overlays) : undefined;
    try {
      const renderDir = scratch?.dir ?? dir;
      const args = ['template', options.releaseName, renderDir, '--namespace', options.namespace];
      for (const file of valuesFiles) args.push('--values', scratch && isInside(dir, file) ? path.join(renderDir, path.relative(dir, file)) : file);
      const timeoutMs = options.timeoutSeconds * 1000;
      const result = await this.host.processes.run({ command: options.path, args, cwd: renderDir, title: 'helm template', timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES, signal });
      if (!result.ok) {
        if (result.reason === 'cancelled') return 'cancelled';
        this.log(`helm template ${dir}: ${result.message}`);
        const missing = result.reason === 'missing';
        const message = missing ? `helm was not found ("${options.path}"): install helm or set portLens.helm.path` : `helm template failed: ${result.message}`;
        this.fail(chart, chartYaml, message, key, changed, missing, errorLocation(chart, result.message, fs));
        return 'failed';
      }

      const templates = new Map<string, string>();
      for (const file of files.filter(isTemplatePath).map((f) => path.join(dir, f))) {
        const text = read(file);
        if (text !== undefined) templates.set(file, text);
      }
      const projected = projectRender(chart, result.stdout, options.namespace, (file) => templates.get(file));
      const values = [];
      for (const file of [path.join(dir, 'values.yaml'), ...valuesFiles]) {
        const text = read(file);
        if (text !== undefined) values.push({ uri: URI.file(file).toString(), text });
      }
      this.rendered.set({ chart, release: options.releaseName, namespace: options.namespace, projections: projected.projections, templates: [...templates.values()], values });
      this.replace(dir, projected.models, key, changed);
      return 'rendered';
    } finally {
      await scratch?.dispose();
    }
  }

  private fail(chart: Chart, chartYaml: string, message: string, key: string, changed: Set<string>, missingHelm = false, at?: ModelError['at']): void {
    this.rendered.delete(chart.dir);
    const uri = chartFileUri(chart);
    const firstLine = chartYaml.split(/\r?\n/, 1)[0] ?? '';
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
    const model: FileModel = { ...emptyModel(uri), errors: [{ message, range, kind: 'render', ...(missingHelm ? { severity: 'information' as const } : {}), ...(at ? { at } : {}) }] };
    this.replace(chart.dir, [model], key, changed);
  }

  private replace(dir: string, models: FileModel[], key: string, changed: Set<string>): void {
    const lens = this.lens;
    const next = new Set(models.map((m) => m.uri));
    for (const uri of this.state.get(dir)?.uris ?? []) if (!next.has(uri)) lens.removeFile(uri).forEach((u) => changed.add(u));
    for (const model of models) lens.setModel(model).forEach((u) => changed.add(u));
    this.state.set(dir, { uris: next, key });
  }
}

/**
 * The template line helm's error names: `(chart/templates/x.yaml:6)`, `(…:6:11)`,
 * `template: chart/templates/x.yaml:6:11:` or `YAML parse error on chart/templates/x.yaml`.
 */
export function errorLocation(chart: Chart, message: string, fs: FileSystem = nodeHost.fs): ModelError['at'] {
  const match = /(?:\(|template: |error on )([^\s():]+)(?::(\d+))?(?::(\d+))?/.exec(message);
  const file = match ? templateFile(chart, match[1]) : undefined;
  if (!match || !file || !fs.exists(file)) return undefined;
  const line = match[2] ? Math.max(0, Number(match[2]) - 1) : 0;
  const character = match[3] ? Math.max(0, Number(match[3]) - 1) : 0;
  return { uri: URI.file(file).toString(), range: { start: { line, character }, end: { line, character } } };
}

const textOf = (content: string | Uint8Array | undefined) =>
  content === undefined || typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
