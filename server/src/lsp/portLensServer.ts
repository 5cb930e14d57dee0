import * as path from 'node:path';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  ResponseError,
  CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Position } from '../model/source';
import { preferredEdits } from '../analysis/fixes/applyFixes';
import { applySeverity } from '../analysis/portLens';
import type { Finding } from '../analysis/rules/findings';
import { ModelCache } from '../cache/modelCache';
import { WorkspaceSession, type FileChange, type OpenDocument } from '../workspace/session';
import type { RootConfig } from '../workspace/inputSource';
import { isInside } from '../workspace/paths';
import { AdaptiveDelay } from './adaptiveDelay';
import { FIX_ALL_KIND, SOURCE, toCodeAction, toDiagnostic, toWorkspaceEdit, type VersionOf } from './convert';
import { DEFAULT_SETTINGS, toSettings, type Settings } from './settings';
import { codeLenses, endpoints, explainParamsOf, explainRequest } from './explain';
import {
  ENDPOINTS_REQUEST,
  EXPLAIN_COMMAND,
  EXPLAIN_REQUEST,
  OPEN_HELM_SETTINGS_COMMAND,
  STATUS_NOTIFICATION,
  type StatusParams,
} from './protocol';
import { CHANGED_NOTIFICATION, MAP_NAMESPACES_REQUEST, MAP_REQUEST, MAP_ROOTS_REQUEST } from './protocol';
import { mapCodeLenses, mapNamespacesRequest, mapRequest, mapRootsRequest, pickWorld } from './map';
import { worldsOf } from '../kustomize/kustomizeSource';
import { ignoreEdit } from '../model/suppressionComments';

const LANGUAGES = new Set(['yaml', 'helm']);
/** Bounds of the wait after an edit, which follows the cost of the last analysis (see AdaptiveDelay). */
const DEBOUNCE_MIN_MS = 5;
const DEBOUNCE_MAX_MS = 150;
const CHART_DEBOUNCE_MS = 300;
const CONFIGURATION_TIMEOUT_MS = 3000;

const CHANGE: Record<FileChangeType, FileChange> = {
  [FileChangeType.Created]: 'created',
  [FileChangeType.Changed]: 'changed',
  [FileChangeType.Deleted]: 'deleted',
};

/**
 * The protocol layer: feeds the workspace session (the core's scan, render and analysis) with the
 * editor's folders, settings, documents and file events, and answers LSP requests from it.
 */
export class PortLensServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly session: WorkspaceSession;
  /** Settings asked for without a folder: for files outside every folder. */
  private settings: Settings = DEFAULT_SETTINGS;
  /** Each workspace folder's settings (resource-scoped settings differ per folder), by folder URI. */
  private folderSettings = new Map<string, Settings>();
  private folders: WorkspaceFolder[] = [];
  private readonly published = new Map<string, { key: string; count: number }>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly debounce = new AdaptiveDelay(DEBOUNCE_MIN_MS, DEBOUNCE_MAX_MS);
  /** Where the models of unchanged files are kept between runs (initializationOptions.cacheFolder). */
  private cacheFolder: string | undefined;
  private cacheSaved: Promise<void> = Promise.resolve();
  private capabilities = {
    configuration: false,
    watchedFiles: false,
    configurationChange: false,
    progress: false,
    versionedEdits: false,
    folderChanges: false,
    codeLensRefresh: false,
  };
  private indexing: Promise<void> = Promise.resolve();
  private configuring: Promise<void> = Promise.resolve();
  private scanning = false;
  /** The first scan is done: until then the status says indexing, never a count. */
  private scanned = false;
  private portMapLenses = false;
  /** VS Code workspace trust; other clients are trusted unless they say otherwise. */
  private trusted = true;
  /** What the code lenses of the open documents said when the client was last told to refresh them. */
  private lensKey = '';

  constructor(private readonly connection: Connection) {
    this.session = new WorkspaceSession({
      documents: {
        get: (uri) => this.openDocument(uri),
        all: () => this.documents.keys().map((uri) => this.openDocument(uri)!),
      },
      openCache: (roots) => (this.cacheFolder ? ModelCache.open(this.cacheFolder, roots) : Promise.resolve(ModelCache.none())),
      log: (message) => this.log(message),
      skipped: (file, reason) => this.log(`skipped ${file}: ${reason}`),
      onDidChange: (uris) => this.publish(uris),
      rebuildDelayMs: CHART_DEBOUNCE_MS,
    });
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => void this.guard('initialization', () => this.initialized()));
    c.onDidChangeConfiguration(() => void this.guard('configuration', () => this.reconfigure()));
    c.onDidChangeWatchedFiles((params) => void this.guard('watched files', () => this.watchedFilesChanged(params.changes)));
    c.onHover((params) => this.guard('hover', () => this.hover(params.textDocument.uri, params.position)));
    c.onDefinition((params) =>
      this.guard('definition', () => {
        this.flush();
        return this.session.lens.definition(params.textDocument.uri, params.position);
      }),
    );
    c.onCodeAction((params) => this.guard('code actions', () => this.codeActions(params)));
    c.onCodeLens((params) =>
      this.guard('code lens', () => {
        this.flush();
        return this.codeLenses(params.textDocument.uri);
      }),
    );
    const mapWorlds = () => {
      this.flush();
      return {
        index: this.session.lens.index,
        findingsOf: (uri: string) => this.findingsOf(uri),
        kustomize: worldsOf(this.session.sources),
      };
    };
    // With a `root`, the path is explained in that Kustomize root's world (a root's Port Map panel asks so).
    const answer = (params: unknown) =>
      this.guard('explain', () => {
        const world = pickWorld(mapWorlds(), explainParamsOf(params), EXPLAIN_REQUEST);
        return world instanceof ResponseError ? world : explainRequest(world.index, world.findingsOf, params, world.relocate);
      });
    c.onExecuteCommand((params) => (params.command === EXPLAIN_COMMAND ? answer(params.arguments) : null));
    c.onRequest(EXPLAIN_REQUEST, answer);
    c.onRequest(ENDPOINTS_REQUEST, () =>
      this.guard('endpoints', () => {
        this.flush();
        return endpoints(this.session.lens.index);
      }),
    );
    c.onRequest(MAP_ROOTS_REQUEST, () => this.guard('map', () => mapRootsRequest(mapWorlds())));
    c.onRequest(MAP_NAMESPACES_REQUEST, (params) => this.guard('map', () => mapNamespacesRequest(mapWorlds(), params)));
    c.onRequest(MAP_REQUEST, (params) => this.guard('map', () => mapRequest(mapWorlds(), params)));
    this.documents.onDidChangeContent((e) => this.schedule(e.document.uri));
    this.documents.onDidClose(
      (e) =>
        void this.guard('close', () => {
          this.pending.delete(e.document.uri);
          this.publish([...this.session.documentClosed(e.document.uri), e.document.uri]);
        }),
    );
    c.onShutdown(async () => {
      this.session.dispose();
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
    const options = params.initializationOptions as { trusted?: unknown; cacheFolder?: unknown; portMapLenses?: unknown } | undefined;
    this.trusted = options?.trusted !== false;
    // The Namespace and policy lenses run a client command: only a client that has it asks for them.
    this.portMapLenses = options?.portMapLenses === true;
    this.cacheFolder = typeof options?.cacheFolder === 'string' && options.cacheFolder !== '' ? options.cacheFolder : undefined;
    const root = params.rootUri ? [{ uri: params.rootUri, name: path.basename(URI.parse(params.rootUri).fsPath) }] : [];
    this.folders = params.workspaceFolders ?? root;
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
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,tpl,tgz}' }],
      });
    }
    if (this.capabilities.configurationChange) {
      await this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'portLens' });
    }
    if (this.capabilities.folderChanges) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        this.folders = [...this.folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)), ...e.added];
        void this.reconfigure(true);
      });
    }
    await this.fetchSettings();
    await this.reindex();
  }

  /**
   * Asks the client for the settings without a folder and for each folder (`scopeUri`), as
   * resource-scoped settings may differ per folder; defaults when it cannot or does not answer.
   */
  private async fetchSettings(): Promise<void> {
    const folders = this.folders;
    let answers: unknown[] = [];
    if (this.capabilities.configuration) {
      const items = [{ section: 'portLens' }, ...folders.map((f) => ({ section: 'portLens', scopeUri: f.uri }))];
      const request = this.connection.workspace.getConfiguration(items).then(
        (result: unknown) => (Array.isArray(result) ? result : []),
        () => [],
      );
      const timeout = new Promise<unknown[]>((resolve) => setTimeout(() => resolve([]), CONFIGURATION_TIMEOUT_MS).unref());
      answers = await Promise.race([request, timeout]);
    }
    this.settings = toSettings(answers[0]);
    // A client that answers one item for all (some do) gives every folder the same settings.
    this.folderSettings = new Map(
      folders.map((f, i) => [f.uri, answers[i + 1] === undefined ? this.settings : toSettings(answers[i + 1])]),
    );
  }

  /** The settings of the folder a file lies in (the innermost), or the settings without a folder. */
  private settingsFor(uri: string): Settings {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return this.settings;
    let best: WorkspaceFolder | undefined;
    for (const folder of this.folders) {
      const root = URI.parse(folder.uri).fsPath;
      if (isInside(root, parsed.fsPath) && (!best || root.length > URI.parse(best.uri).fsPath.length)) best = folder;
    }
    return (best && this.folderSettings.get(best.uri)) ?? this.settings;
  }

  /** What the session reads: each folder with its own file globs, Helm and Kustomize options. */
  private roots(): RootConfig[] {
    return this.folders.map((folder) => {
      const settings = this.folderSettings.get(folder.uri) ?? this.settings;
      const helm = !this.trusted
        ? { off: 'the workspace is not trusted' }
        : !settings.helm.enable
          ? { off: 'portLens.helm.enable is off' }
          : settings.helm;
      const kustomize = !this.trusted
        ? { off: 'the workspace is not trusted' }
        : !settings.kustomize.enable
          ? { off: 'portLens.kustomize.enable is off' }
          : settings.kustomize;
      return { path: URI.parse(folder.uri).fsPath, files: settings.files, helm, kustomize };
    });
  }

  /**
   * Settings may have changed: scans again when what is read changed, else publishes again.
   * One at a time, so that two notifications of one change (some clients send two) scan once.
   */
  private reconfigure(foldersChanged = false): Promise<void> {
    const run = async () => {
      const before = JSON.stringify(this.roots());
      await this.fetchSettings();
      if (foldersChanged || JSON.stringify(this.roots()) !== before) await this.reindex();
      else this.publish(this.session.lens.index.uris());
    };
    this.configuring = this.configuring.then(run, run);
    return this.configuring;
  }

  /** Reads every workspace folder afresh, open documents taking the place of their files. */
  private reindex(): Promise<void> {
    this.indexing = this.indexing.then(() => this.scan()).catch((error) => this.log(`indexing failed: ${(error as Error).stack}`));
    return this.indexing;
  }

  private async scan(): Promise<void> {
    this.scanning = true;
    const progress = this.capabilities.progress ? await this.connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('Kubernetes Port Lens: indexing manifests', 0, undefined, false);
    try {
      const report = await this.session.scan(this.roots(), {
        loaded: (done, total) => {
          progress?.report(Math.round((done / total) * 100), `${done}/${total} files`);
          this.status('indexing', done, total);
        },
        building: (total) => progress?.report(`rendering ${total} Helm chart(s)`),
        built: (done, total, what, outcome) => {
          progress?.report(`rendered ${done}/${total} Helm chart(s)`);
          this.log(`${what}: ${outcome}`);
        },
      });
      // The scan took the open documents as they are now: edits waiting for analysis are in.
      this.pending.clear();
      this.publish(report.changed);
      this.log(`indexed ${report.files} files and ${report.units} charts in ${report.ms} ms (${report.cacheHits} files from the cache)`);
      // Written once the diagnostics and the status are out: serializing takes a moment.
      this.cacheSaved = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => report.saveCache())
        .catch((error: Error) => this.log(`the cache could not be written: ${error.message}`));
    } finally {
      this.scanning = false;
      this.scanned = true;
      progress?.done();
    }
    this.status('ready');
  }

  /** An open document as the session sees it; `manifest` is false for languages that are not YAML. */
  private openDocument(uri: string): OpenDocument | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const manifest = LANGUAGES.has(doc.languageId) && (!uri.startsWith('untitled:') || doc.languageId === 'yaml');
    return { uri, version: doc.version, text: doc.getText(), manifest };
  }

  private hover(uri: string, position: Position): Hover | null {
    this.flush();
    const result = this.session.lens.hover(uri, position);
    const note = this.session.hoverNote(uri, position);
    if (!result && !note) return null;
    const markdown = [result?.markdown, note].filter(Boolean).join('\n\n---\n\n');
    return { contents: { kind: 'markdown', value: markdown }, range: result?.range };
  }

  private schedule(uri: string): void {
    if (this.session.documentChanged(uri)) return;
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
      const doc = this.openDocument(uri);
      if (!doc) continue;
      const accepted = doc.manifest && this.session.accepts(uri, true);
      this.session.update(uri, accepted ? doc.text : undefined).forEach((u) => changed.add(u));
    }
    this.pending.clear();
    this.publish(changed);
  }

  private async watchedFilesChanged(changes: Array<{ uri: string; type: FileChangeType }>): Promise<void> {
    await this.indexing;
    const result = this.session.filesChanged(changes.map((c) => ({ uri: c.uri, change: CHANGE[c.type] })));
    if (result === 'rescan') return this.reindex();
    this.publish(result);
  }

  /**
   * Sends the diagnostics of `uris` that differ from what was sent. Nothing before the first scan
   * and its renders are complete: a partial index would say "selects nothing" of pods not read yet.
   */
  private publish(uris: Iterable<string>): void {
    if (!this.session.ready) return;
    const changed = new Set(uris);
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
    this.refreshCodeLenses();
    if (!this.scanning && this.scanned) this.status('ready');
  }

  /** Tells the client to ask for code lenses again when one of an open document's would now say something else. */
  private refreshCodeLenses(): void {
    if (!this.capabilities.codeLensRefresh) return;
    const lenses = this.documents.keys().map((uri) => [uri, this.codeLenses(uri)]);
    const key = JSON.stringify(lenses);
    if (key === this.lensKey) return;
    this.lensKey = key;
    void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  private codeLenses(uri: string) {
    const settings = this.settingsFor(uri);
    if (!settings.enable || !settings.codeLens.enable) return [];
    const worlds = worldsOf(this.session.sources);
    const lenses = codeLenses(this.session.lens.index, uri, worlds);
    return this.portMapLenses ? [...lenses, ...mapCodeLenses(this.session.lens.index, uri, worlds)] : lenses;
  }

  /** What is published for a file: fixes retargeted to templates or values, suppressions marked, severities as its folder says. */
  private findingsOf(uri: string): Finding[] {
    const settings = this.settingsFor(uri);
    if (!settings.enable) return [];
    return applySeverity(this.session.findings(uri), settings.severity);
  }

  private status(state: 'indexing' | 'ready', done = 0, total = 0): void {
    const findings = state === 'ready' ? [...this.published.values()].reduce((n, p) => n + p.count, 0) : 0;
    const files = this.session.lens.index.fileCount;
    void this.connection.sendNotification(STATUS_NOTIFICATION, {
      state,
      done,
      total,
      files,
      findings,
      stale: this.session.staleUnits(),
    } satisfies StatusParams);
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    this.flush();
    const uri = params.textDocument.uri;
    const versionOf: VersionOf | undefined = this.capabilities.versionedEdits ? (u) => this.documents.get(u)?.version ?? null : undefined;
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
    const actions: CodeAction[] = [];
    const findings = this.findingsOf(uri);
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of params.context.diagnostics) {
        if (diagnostic.source !== SOURCE) continue;
        // The client's diagnostic may come from an older version of the text: only one the
        // analysis of the current text still reports gets fixes, and they are the current ones.
        const finding = findings.find((f) => sameProblem(f, diagnostic));
        if (!finding) continue;
        for (const fix of finding.fixes) actions.push(toCodeAction(fix, diagnostic, versionOf));
        const ignore = this.ignoreAction(uri, diagnostic, versionOf);
        if (ignore) actions.push(ignore);
        if (diagnostic.code === 'helm-render-failed' && /helm was not found/.test(String(diagnostic.message))) {
          const open = CodeAction.create(
            'Set the path of helm (portLens.helm.path)',
            { title: 'Open Settings', command: OPEN_HELM_SETTINGS_COMMAND },
            CodeActionKind.QuickFix,
          );
          open.diagnostics = [diagnostic];
          open.isPreferred = true;
          actions.push(open);
        }
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const edits = preferredEdits(findings).get(uri) ?? [];
      if (edits.length > 0)
        actions.push({ title: 'Fix all Kubernetes port problems', kind: FIX_ALL_KIND, edit: toWorkspaceEdit(edits, versionOf) });
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
    const action = CodeAction.create(
      `Ignore ${code} on this line`,
      toWorkspaceEdit([{ uri, ...edit }], versionOf),
      CodeActionKind.QuickFix,
    );
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

/** Whether a diagnostic the client holds is the finding's: same rule, range and message. */
function sameProblem(finding: Finding, diagnostic: Diagnostic): boolean {
  const a = finding.range;
  const b = diagnostic.range;
  return (
    finding.code === diagnostic.code &&
    finding.message === diagnostic.message &&
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
