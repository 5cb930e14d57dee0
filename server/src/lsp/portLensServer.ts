import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Connection,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Position } from '../model/source';
import { preferredEdits } from '../analysis/fixes/applyFixes';
import { PortLens, applySeverity } from '../analysis/portLens';
import { ModelCache } from '../cache/modelCache';
import { FileFilter, readManifestText, scanPaths } from '../files';
import { loadModels } from '../scan/loadModels';
import { AdaptiveDelay } from './adaptiveDelay';
import { chartDirOf, chartName } from '../helm/chartFolder';
import type { Chart } from '../helm/chartModels';
import { findTemplate, helmSourceAt } from '../helm/renderedSource';
import { ChartRenderer } from '../helm/chartRenderer';
import { ChartScheduler } from './chartScheduler';
import { ignoreEdit } from '../model/suppressionComments';
import { FIX_ALL_KIND, SOURCE, toCodeAction, toDiagnostic, toWorkspaceEdit, type DiagnosticData, type VersionOf } from './convert';
import { DEFAULT_SETTINGS, toSettings, type Settings } from './settings';
import { codeLenses, endpoints, explainRequest } from './explain';
import { ENDPOINTS_REQUEST, EXPLAIN_COMMAND, EXPLAIN_REQUEST, STATUS_NOTIFICATION, type StatusParams } from './protocol';
import { CHANGED_NOTIFICATION, MAP_NAMESPACES_REQUEST, MAP_REQUEST } from './protocol';
import { mapCodeLenses, mapNamespacesRequest, mapRequest } from './map';

const LANGUAGES = new Set(['yaml', 'helm']);
/** Bounds of the wait after an edit, which follows the cost of the last analysis (see AdaptiveDelay). */
const DEBOUNCE_MIN_MS = 5;
const DEBOUNCE_MAX_MS = 150;
const CHART_DEBOUNCE_MS = 300;
const CONFIGURATION_TIMEOUT_MS = 3000;


/**
 * The protocol layer: keeps the analysis fed with the workspace's files and open documents and
 * answers LSP requests from it. All judgement lives in the analysis core.
 */
export class PortLensServer {
  private readonly documents = new TextDocuments(TextDocument);
  private lens = new PortLens();
  private settings: Settings = DEFAULT_SETTINGS;
  /** The include/exclude globs of `settings.files`, compiled once per settings change. */
  private filter = new FileFilter(DEFAULT_SETTINGS.files);
  private folders: WorkspaceFolder[] = [];
  private readonly published = new Map<string, { key: string; count: number }>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly debounce = new AdaptiveDelay(DEBOUNCE_MIN_MS, DEBOUNCE_MAX_MS);
  /** Where the models of unchanged files are kept between runs (initializationOptions.cacheFolder). */
  private cacheFolder: string | undefined;
  private cacheSaved: Promise<void> = Promise.resolve();
  private capabilities = { configuration: false, watchedFiles: false, configurationChange: false, progress: false, versionedEdits: false, folderChanges: false, codeLensRefresh: false };
  private indexing: Promise<void> = Promise.resolve();
  private scanning = false;
  private portMapLenses = false;
  /** VS Code workspace trust; other clients are trusted unless they say otherwise. */
  private trusted = true;
  private renderer = new ChartRenderer(this.lens);
  /** Chart folders found by the last scan. */
  private charts = new Set<string>();
  private readonly chartScheduler = new ChartScheduler((dir, signal) => this.renderChart(dir, signal), CHART_DEBOUNCE_MS);

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.guard('initialization', () => this.initialized()));
    c.onDidChangeConfiguration(() => void this.guard('configuration', () => this.reconfigure()));
    c.onDidChangeWatchedFiles((params) => void this.guard('watched files', () => this.watchedFilesChanged(params.changes)));
    c.onHover((params) => this.guard('hover', () => this.hover(params.textDocument.uri, params.position)));
    c.onDefinition((params) => this.guard('definition', () => {
      this.flush();
      return this.lens.definition(params.textDocument.uri, params.position);
    }));
    c.onCodeAction((params) => this.guard('code actions', () => this.codeActions(params)));
    c.onCodeLens((params) => this.guard('code lens', () => {
      this.flush();
      if (!this.settings.enable) return [];
      const lenses = codeLenses(this.lens.index, params.textDocument.uri);
      return this.portMapLenses ? [...lenses, ...mapCodeLenses(this.lens.index, params.textDocument.uri)] : lenses;
    }));
    const answer = (params: unknown) => this.guard('explain', () => {
      this.flush();
      return explainRequest(this.lens.index, (uri) => this.findingsOf(uri), params);
    });
    c.onExecuteCommand((params) => (params.command === EXPLAIN_COMMAND ? answer(params.arguments) : null));
    c.onRequest(EXPLAIN_REQUEST, answer);
    c.onRequest(ENDPOINTS_REQUEST, () => this.guard('endpoints', () => {
      this.flush();
      return endpoints(this.lens.index);
    }));
    c.onRequest(MAP_NAMESPACES_REQUEST, () => this.guard('map', () => {
      this.flush();
      return mapNamespacesRequest(this.lens.index);
    }));
    c.onRequest(MAP_REQUEST, (params) => this.guard('map', () => {
      this.flush();
      return mapRequest(this.lens.index, (uri) => this.findingsOf(uri), params);
    }));
    this.documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    this.documents.onDidClose((e) => void this.guard('close', () => (this.chartOf(e.document.uri) ? this.schedule(e.document.uri) : this.reloadFromDisk(e.document.uri))));
    c.onShutdown(async () => {
      this.chartScheduler.cancelAll();
      await this.cacheSaved; // a server stopped right after indexing still leaves its cache
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.capabilities = {
      configuration: caps.workspace?.configuration === true,
      watchedFiles: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      configurationChange: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      progress: caps.window?.workDoneProgress === true,
      versionedEdits: caps.workspace?.workspaceEdit?.documentChanges === true,
      folderChanges: caps.workspace?.workspaceFolders === true,
      codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    };
    this.trusted = (params.initializationOptions as { trusted?: unknown } | undefined)?.trusted !== false;
    // The Namespace and policy lenses run a client command: only a client that has it asks for them.
    this.portMapLenses = (params.initializationOptions as { portMapLenses?: unknown } | undefined)?.portMapLenses === true;
    const cacheFolder = (params.initializationOptions as { cacheFolder?: unknown } | undefined)?.cacheFolder;
    this.cacheFolder = typeof cacheFolder === 'string' && cacheFolder !== '' ? cacheFolder : undefined;
    this.folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(URI.parse(params.rootUri).fsPath) }] : []);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [EXPLAIN_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'k8s-port-lens' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.capabilities.watchedFiles) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,tpl,tgz}' }] });
    }
    if (this.capabilities.configurationChange) {
      await this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'portLens' });
    }
    if (this.capabilities.folderChanges) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        this.folders = [...this.folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)), ...e.added];
        void this.reindex();
      });
    }
    this.useSettings(await this.fetchSettings());
    await this.reindex();
  }

  /** Settings from the client; defaults when it cannot or does not answer. */
  private async fetchSettings(): Promise<Settings> {
    if (!this.capabilities.configuration) return DEFAULT_SETTINGS;
    const request = this.connection.workspace.getConfiguration({ section: 'portLens' }).then(toSettings, () => DEFAULT_SETTINGS);
    const timeout = new Promise<Settings>((resolve) => setTimeout(() => resolve(DEFAULT_SETTINGS), CONFIGURATION_TIMEOUT_MS).unref());
    return Promise.race([request, timeout]);
  }

  private useSettings(settings: Settings): void {
    this.settings = settings;
    this.filter = new FileFilter(settings.files);
  }

  private async reconfigure(): Promise<void> {
    const before = JSON.stringify([this.settings.files, this.settings.helm]);
    this.useSettings(await this.fetchSettings());
    if (JSON.stringify([this.settings.files, this.settings.helm]) !== before) await this.reindex();
    else this.publish(this.lens.index.uris());
  }

  /** Reads every workspace folder afresh, open documents taking the place of their files. */
  private reindex(): Promise<void> {
    this.indexing = this.indexing.then(() => this.scan()).catch((error) => this.log(`indexing failed: ${(error as Error).stack}`));
    return this.indexing;
  }

  private async scan(): Promise<void> {
    this.scanning = true;
    try {
      await this.scanFolders();
    } finally {
      this.scanning = false;
    }
    this.status('ready');
  }

  private async scanFolders(): Promise<void> {
    const started = Date.now();
    const progress = this.capabilities.progress ? await this.connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Kubernetes Port Lens: indexing manifests', 0, undefined, false);
    const roots = this.folders.map((f) => URI.parse(f.uri).fsPath).filter((p) => existsSync(p));
    // The cache is read while the folders are walked.
    const opening = this.cacheFolder ? ModelCache.open(this.cacheFolder, roots) : Promise.resolve(ModelCache.none());
    const scan = await scanPaths(roots, this.settings.files);
    for (const skipped of scan.skipped) this.log(`skipped ${skipped.path}: ${skipped.reason}`);
    const cache = await opening;
    /** Open documents whose text the load took, at the version it took. */
    const loadedVersions = new Map<string, number>();
    const models = await loadModels(scan.files, {
      cache,
      maxFileSize: this.settings.files.maxFileSize,
      openText: (uri) => {
        const doc = this.documents.get(uri);
        if (doc) loadedVersions.set(uri, doc.version);
        return doc?.getText();
      },
      skipped: (file, reason) => this.log(`skipped ${file}: ${reason}`),
      progress: (done, total) => {
        progress?.report(Math.round((done / total) * 100), `${done}/${total} files`);
        this.status('indexing', done, total);
      },
    });
    const lens = new PortLens();
    lens.load(models);

    this.chartScheduler.cancelAll();
    const renderer = new ChartRenderer(lens, (message) => this.log(message));
    this.charts = new Set(scan.charts);
    if (scan.charts.length > 0 && !this.helmAllowed()) this.log(`${scan.charts.length} Helm chart(s) not rendered: ${this.trusted ? 'portLens.helm.enable is off' : 'the workspace is not trusted'}`);
    else {
      if (scan.charts.length > 0) progress?.report(`rendering ${scan.charts.length} Helm chart(s)`);
      await renderer.renderAll(scan.charts, this.settings.helm, new Set(), (dir) => this.overlaysOf(dir), (dir, outcome, done) => {
        progress?.report(`rendered ${done}/${scan.charts.length} Helm chart(s)`);
        this.log(`chart ${dir}: ${outcome}`);
      });
    }

    // With no await from here to the swap, no edit can fall between: open documents the load did
    // not take (untitled, outside the folders, over the size limit) or that changed since it did.
    for (const doc of this.documents.all()) {
      if (loadedVersions.get(doc.uri) !== doc.version && this.accepts(doc.uri, doc.languageId)) lens.setFile(doc.uri, doc.getText());
    }
    const stale = [...this.lens.index.uris()].filter((uri) => !lens.index.file(uri));
    this.lens = lens;
    this.renderer = renderer;
    this.pending.clear();
    this.publish([...lens.index.uris(), ...stale]);
    progress?.done();
    this.log(`indexed ${lens.index.fileCount} files and ${scan.charts.length} charts in ${Date.now() - started} ms (${cache.hits} files from the cache)`);
    // Written once the diagnostics and the status are out: serializing takes a moment.
    this.cacheSaved = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => cache.save())
      .catch((error: Error) => this.log(`the cache could not be written: ${error.message}`));
  }

  private helmAllowed(): boolean {
    return this.trusted && this.settings.helm.enable;
  }

  /** The chart folder a document belongs to, if it is a file of a chart. */
  private chartOf(uri: string): string | undefined {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? chartDirOf(parsed.fsPath) : undefined;
  }

  /** Unsaved documents of a chart, laid over its files when it is rendered. */
  private overlaysOf(dir: string): Map<string, string> {
    const overlays = new Map<string, string>();
    for (const doc of this.documents.all()) {
      const file = URI.parse(doc.uri);
      if (file.scheme === 'file' && !path.relative(dir, file.fsPath).startsWith('..')) overlays.set(file.fsPath, doc.getText());
    }
    return overlays;
  }

  private async renderChart(dir: string, signal: AbortSignal): Promise<void> {
    await this.indexing;
    if (!this.helmAllowed() || signal.aborted) return;
    const renderer = this.renderer;
    const changed = new Set<string>();
    const outcome = await renderer.render(dir, this.settings.helm, changed, this.overlaysOf(dir), signal);
    if (renderer !== this.renderer) return; // the workspace was indexed afresh meanwhile
    this.log(`chart ${dir}: ${outcome}`);
    this.publish(changed);
  }

  /** For committed `helm template` output: which template wrote the object, linked when it is here. */
  private renderedSourceNote(uri: string, position: Position): string | undefined {
    const model = this.lens.index.file(uri);
    const source = model && helmSourceAt(model, position);
    if (!source) return undefined;
    // Chart names are read only here: hovers over committed renders are rare, scans are not.
    const charts: Chart[] = [...this.charts].map((dir) => ({ dir, name: chartName(readText(path.join(dir, 'Chart.yaml'))) ?? '' }));
    const template = findTemplate(source, charts);
    return template ? `Rendered by Helm from [${source}](${URI.file(template).toString()})` : `Rendered by Helm from \`${source}\``;
  }

  private hover(uri: string, position: Position): Hover | null {
    this.flush();
    const result = this.lens.hover(uri, position);
    const note = this.renderer.rendered.hoverNote(uri, position) ?? this.renderedSourceNote(uri, position);
    if (!result && !note) return null;
    const markdown = [result?.markdown, note].filter(Boolean).join('\n\n---\n\n');
    return { contents: { kind: 'markdown', value: markdown }, range: result?.range };
  }

  /** Does this document belong to the analysis? Plain YAML in the workspace, not a chart template. */
  private accepts(uri: string, languageId?: string): boolean {
    if (languageId !== undefined && !LANGUAGES.has(languageId)) return false;
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return parsed.scheme === 'untitled' && languageId === 'yaml';
    const file = parsed.fsPath;
    if (chartDirOf(file)) return false;
    const folder = this.folders.map((f) => URI.parse(f.uri).fsPath).find((root) => !path.relative(root, file).startsWith('..'));
    return folder === undefined ? languageId !== undefined : this.filter.includes(path.relative(folder, file));
  }

  /** For a file of a chart: re-render that chart (if the scan found it) and say so. */
  private rerenderChartOf(uri: string): boolean {
    const chart = this.chartOf(uri);
    if (chart && this.charts.has(chart)) this.chartScheduler.schedule(chart);
    return chart !== undefined;
  }

  private schedule(uri: string): void {
    if (this.rerenderChartOf(uri)) return;
    this.pending.add(uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.guard('analysis', () => this.debounce.measure(() => this.flush())), this.debounce.ms);
  }

  /** Analyses every document edited since the last flush; requests call it so they see the latest text. */
  private flush(): void {
    clearTimeout(this.timer);
    if (this.pending.size === 0) return;
    const changed = new Set<string>();
    for (const uri of this.pending) {
      const doc = this.documents.get(uri);
      if (!doc) continue;
      const affected = this.accepts(uri, doc.languageId) ? this.lens.setFile(uri, doc.getText()) : this.lens.removeFile(uri);
      affected.forEach((u) => changed.add(u));
    }
    this.pending.clear();
    this.publish(changed);
  }

  private async reloadFromDisk(uri: string): Promise<void> {
    this.pending.delete(uri);
    const file = URI.parse(uri);
    let changed: Set<string>;
    const roots = this.folders.map((f) => URI.parse(f.uri).fsPath);
    const read = file.scheme === 'file' && this.accepts(uri) ? readManifestText(file.fsPath, { maxFileSize: this.settings.files.maxFileSize, roots }) : undefined;
    if (read && 'error' in read) this.log(`skipped ${file.fsPath}: ${read.error}`);
    if (read && !('error' in read)) changed = this.lens.setFile(uri, read.text);
    else changed = this.lens.removeFile(uri);
    this.publish([...changed, uri]);
  }

  private async watchedFilesChanged(changes: Array<{ uri: string; type: FileChangeType }>): Promise<void> {
    await this.indexing;
    if (changes.some((c) => c.type !== FileChangeType.Changed && c.uri.endsWith('/Chart.yaml'))) return this.reindex();
    for (const change of changes) {
      if (this.rerenderChartOf(change.uri)) continue;
      if (this.documents.get(change.uri)) continue; // the editor's text wins over the disk
      if (change.type === FileChangeType.Deleted) this.publish([...this.lens.removeFile(change.uri), change.uri]);
      else await this.reloadFromDisk(change.uri);
    }
  }

  private publish(uris: Iterable<string>): void {
    const changed = new Set(uris);
    // Any change to the index may change what a Service port's lens says, in any file.
    if (changed.size > 0 && this.capabilities.codeLensRefresh) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (changed.size > 0) void this.connection.sendNotification(CHANGED_NOTIFICATION);
    for (const uri of changed) {
      const findings = this.findingsOf(uri).filter((f) => !f.suppressed);
      const diagnostics = findings.map(toDiagnostic);
      const key = JSON.stringify(diagnostics);
      if (this.published.get(uri)?.key === key) continue;
      if (diagnostics.length === 0 && !this.published.has(uri)) continue;
      this.published.set(uri, { key, count: diagnostics.length });
      void this.connection.sendDiagnostics({ uri, version: this.documents.get(uri)?.version, diagnostics });
    }
    if (!this.scanning) this.status('ready');
  }

  /** What is published for a file: fixes retargeted to templates or values, suppressions marked, severities as configured. */
  private findingsOf(uri: string) {
    if (!this.settings.enable) return [];
    return applySeverity(this.lens.suppress(uri, this.renderer.rendered.adjust(this.lens.findings(uri), this.lens)), this.settings.severity);
  }

  private status(state: 'indexing' | 'ready', done = 0, total = 0): void {
    const findings = state === 'ready' ? [...this.published.values()].reduce((n, p) => n + p.count, 0) : 0;
    void this.connection.sendNotification(STATUS_NOTIFICATION, { state, done, total, files: this.lens.index.fileCount, findings } satisfies StatusParams);
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    this.flush();
    const uri = params.textDocument.uri;
    const versionOf: VersionOf | undefined = this.capabilities.versionedEdits ? (u) => this.documents.get(u)?.version ?? null : undefined;
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== SOURCE) continue;
        const data = diagnostic.data as DiagnosticData | undefined;
        for (const fix of data?.fixes ?? []) actions.push(toCodeAction(fix, diagnostic, versionOf));
        const ignore = this.ignoreAction(uri, diagnostic, versionOf);
        if (ignore) actions.push(ignore);
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const findings = this.findingsOf(uri);
      const edits = preferredEdits(findings).get(uri) ?? [];
      if (edits.length > 0) actions.push({ title: 'Fix all Kubernetes port problems', kind: FIX_ALL_KIND, edit: toWorkspaceEdit(edits, versionOf) });
    }
    return actions;
  }

  /** "Ignore <code> on this line": writes or extends the line's `# port-lens: ignore` comment. */
  private ignoreAction(uri: string, diagnostic: Diagnostic, versionOf: VersionOf | undefined): CodeAction | undefined {
    const code = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    const doc = this.documents.get(uri);
    if (!code || code === 'suppression-unused' || !doc) return undefined;
    const line = diagnostic.range.start.line;
    const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const edit = ignoreEdit(text, line, code);
    const action = CodeAction.create(`Ignore ${code} on this line`, toWorkspaceEdit([{ uri, ...edit }], versionOf), CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    return action;
  }

  /** Runs a handler so that an error in one file or request is logged and answered, never fatal. */
  private guard<T>(what: string, run: () => T): T | null {
    try {
      const result = run();
      if (result instanceof Promise) return result.catch((error) => this.fail(what, error)) as T;
      return result;
    } catch (error) {
      return this.fail(what, error);
    }
  }

  private fail(what: string, error: unknown): null {
    this.log(`${what} failed: ${(error as Error)?.stack ?? error}`);
    return null;
  }

  private log(message: string): void {
    this.connection.console.log(message);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
