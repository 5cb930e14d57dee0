import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { PortLens } from '../analysis/portLens';
import { emptyModel, type FileModel, type ModelError } from '../model/manifest';
import type { Range } from '../model/source';
import { chartFileUri, projectRender, type Chart } from './chartModels';
import { renderErrorLocation, withUserPaths, type RenderErrorLocation } from './renderError';
import { addContent, chartContents, chartFiles, chartName, contentKey, isTemplatePath, valuesFilesFor } from './chartFolder';
import { RenderedCharts } from './renderedCharts';
import type { WorkspaceHost } from '../workspace/host';
import type { BuildOutcome } from '../workspace/inputSource';
import { nodeHost } from '../workspace/nodeHost';
import { isInside } from '../workspace/paths';
import type { ChartRelease } from './chartRelease';

export interface HelmOptions {
  /** The helm executable. */
  path: string;
  releaseName: string;
  namespace: string;
  /** Extra values files: absolute, or relative to the chart folder (globs allowed). */
  valuesFiles: readonly string[];
  timeoutSeconds: number;
  /** Per chart folder, the release namespace and name that replace the global ones (see releaseOptions). */
  charts?: Readonly<Record<string, ChartRelease>>;
}

export const DEFAULT_HELM_OPTIONS: HelmOptions = {
  path: 'helm',
  releaseName: 'release',
  namespace: 'default',
  valuesFiles: [],
  timeoutSeconds: 10,
};

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
  /** Charts that fail to render now: their findings are those of their last good render. */
  readonly stale = new Set<string>();
  /** The chart whose Chart.yaml says helm is missing (one for the workspace). */
  private helmMissingOn: string | undefined;

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
  async render(
    dir: string,
    options: HelmOptions,
    changed: Set<string>,
    overlays: ReadonlyMap<string, string> = new Map(),
    signal?: AbortSignal,
  ): Promise<RenderOutcome> {
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
      for (const file of valuesFiles)
        args.push('--values', scratch && isInside(dir, file) ? path.join(renderDir, path.relative(dir, file)) : file);
      const timeoutMs = options.timeoutSeconds * 1000;
      const result = await this.host.processes.run({
        command: options.path,
        args,
        cwd: renderDir,
        title: 'helm template',
        timeoutMs,
        maxOutputBytes: MAX_OUTPUT_BYTES,
        signal,
      });
      if (!result.ok) {
        if (result.reason === 'cancelled') return 'cancelled';
        const helmSays = withUserPaths(result.message, dir, renderDir);
        this.log(`helm template ${dir}: ${helmSays}`);
        if (result.reason === 'missing')
          this.failWithoutHelm(
            chart,
            chartYaml,
            `helm was not found ("${options.path}"): install helm or set portLens.helm.path`,
            key,
            changed,
          );
        else
          this.fail(chart, chartYaml, `helm template failed: ${helmSays}`, key, changed, renderErrorLocation(chart, helmSays, dir, read));
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
      this.stale.delete(dir);
      if (this.helmMissingOn === dir) this.helmMissingOn = undefined;
      this.rendered.set({
        chart,
        release: options.releaseName,
        namespace: options.namespace,
        projections: projected.projections,
        templates: [...templates.values()],
        values,
      });
      this.replace(dir, projected.models, key, changed);
      return 'rendered';
    } finally {
      await scratch?.dispose();
    }
  }

  /**
   * A chart helm could not render: the error goes on the line helm names (a template or values
   * file), else on Chart.yaml. The findings of the chart's last good render stay, marked stale.
   */
  private fail(chart: Chart, chartYaml: string, message: string, key: string, changed: Set<string>, at?: RenderErrorLocation): void {
    const uri = at?.uri ?? chartFileUri(chart);
    const error: ModelError = { message, range: at?.range ?? firstLineOf(chartYaml), kind: 'render' };
    const previous = this.rendered.has(chart.dir) ? this.state.get(chart.dir) : undefined;
    if (!previous) {
      this.replace(chart.dir, [modelOfErrors(uri, [error])], key, changed);
      return;
    }
    this.stale.add(chart.dir);
    const models = [...previous.uris].map((u) => this.lens.index.file(u) ?? emptyModel(u));
    if (!previous.uris.has(uri)) models.push(emptyModel(uri));
    const kept = models.map((m) => ({ ...m, errors: [...m.errors.filter((e) => e.kind !== 'render'), ...(m.uri === uri ? [error] : [])] }));
    this.replace(chart.dir, kept, key, changed);
  }

  /** No helm: one information finding for the workspace, on the first chart that found out. */
  private failWithoutHelm(chart: Chart, chartYaml: string, message: string, key: string, changed: Set<string>): void {
    this.rendered.delete(chart.dir);
    this.stale.delete(chart.dir);
    // The first chart in path order carries it, whichever render ends first.
    const carrier = this.helmMissingOn;
    if (carrier === undefined || chart.dir < carrier) {
      this.helmMissingOn = chart.dir;
      const state = carrier === undefined ? undefined : this.state.get(carrier);
      if (carrier !== undefined && state)
        this.replace(carrier, [modelOfErrors(chartFileUri({ dir: carrier, name: '' }), [])], state.key, changed);
    }
    const errors: ModelError[] =
      this.helmMissingOn === chart.dir ? [{ message, range: firstLineOf(chartYaml), kind: 'render', severity: 'information' }] : [];
    this.replace(chart.dir, [modelOfErrors(chartFileUri(chart), errors)], key, changed);
  }

  private replace(dir: string, models: FileModel[], key: string, changed: Set<string>): void {
    const lens = this.lens;
    const next = new Set(models.map((m) => m.uri));
    for (const uri of this.state.get(dir)?.uris ?? []) if (!next.has(uri)) lens.removeFile(uri).forEach((u) => changed.add(u));
    for (const model of models) lens.setModel(model).forEach((u) => changed.add(u));
    this.state.set(dir, { uris: next, key });
  }
}

function modelOfErrors(uri: string, errors: ModelError[]): FileModel {
  return { ...emptyModel(uri), errors };
}

function firstLineOf(text: string): Range {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return { start: { line: 0, character: 0 }, end: { line: 0, character: firstLine.length } };
}

const textOf = (content: string | Uint8Array | undefined) =>
  content === undefined || typeof content === 'string'
    ? content
    : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
