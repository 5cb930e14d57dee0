import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  NotificationType,
  ResponseError,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ENDPOINTS_REQUEST,
  EXPLAIN_COMMAND,
  EXPLAIN_REQUEST,
  STATUS_NOTIFICATION,
  type EndpointsResult,
  type ExplainParams,
  type ExplainResult,
  type StatusParams,
} from '../../server/src/lsp/protocol';
import { ExplainPanel } from './explainPanel';
import { PortLensStatus } from './statusBar';
import { watchForMissingHelm } from './helmMissing';
import { registerPortMap, type PortMapFeatures } from './portMap';
import { localRuleLink, ruleHeadings } from './ruleDocs';

const NAME = 'Kubernetes Port Lens';
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 3 * 60 * 1000;
const statusNotification = new NotificationType<StatusParams>(STATUS_NOTIFICATION);

/**
 * The library pops up its own notifications, some of them forced, on every start and connection
 * failure. This client keeps those in the output channel and reports each failure once, itself.
 */
class PortLensClient extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }
}

let output: vscode.LogOutputChannel;
let status: PortLensStatus;
let client: PortLensClient | undefined;
let lifecycle: Promise<void> = Promise.resolve();
let portMap: PortMapFeatures;
let explainPanel: ExplainPanel;

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel(NAME, { log: true });
  status = new PortLensStatus();
  context.subscriptions.push(
    output,
    status,
    watchForMissingHelm('k8s-port-lens'),
    vscode.commands.registerCommand('portLens.restartServer', () => restart(context)),
    vscode.commands.registerCommand('portLens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('portLens.explainConnection', (params?: ExplainParams) => explainConnection(params)),
    (explainPanel = new ExplainPanel((params) => askExplain(params))),
    // The server reads trust once, from its initialization options.
    vscode.workspace.onDidGrantWorkspaceTrust(() => restart(context)),
  );
  portMap = registerPortMap(context, () => client);
  void restart(context);
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  return enqueue(async () => {
    await stop();
    await start(context);
  });
}

/** Runs start/stop steps one after another, so a restart never overlaps another. */
function enqueue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step);
  return lifecycle;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  showStarting();
  if (!fs.existsSync(module)) {
    reportFailure(`the language server could not start: ${module} is missing (the extension is not built).`);
    return;
  }
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };

  let failed = false;
  let reason = '';
  const fail = (message: string) => {
    if (failed || client !== next) return;
    failed = true;
    reportFailure(message);
  };
  const crashes: number[] = [];
  const errorHandler: ErrorHandler = {
    error: (_error, _message, count) => {
      if (count !== undefined && count <= 3) return { action: ErrorAction.Continue, handled: true };
      fail('the connection to the language server kept failing, so the server was stopped.');
      return { action: ErrorAction.Shutdown, handled: true };
    },
    closed: () => {
      // Only a server that was running is restarted; one that failed to start would fail again.
      if (next.state !== State.Running) return { action: CloseAction.DoNotRestart, handled: true };
      const now = Date.now();
      crashes.push(now);
      while (now - crashes[0] > CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length < MAX_CRASHES) return { action: CloseAction.Restart, handled: true };
      fail(`the language server crashed ${MAX_CRASHES} times in 3 minutes and will not be restarted.`);
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'helm' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // No `synchronize.configurationSection`: the server registers for portLens changes itself, and
    // both would send each change twice (two rescans).
    // Hovers link to Explain Connection ("show all"); no other command runs from server Markdown.
    markdown: { isTrusted: { enabledCommands: ['portLens.explainConnection'] } },
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // The server keeps the models of unchanged files between sessions in the workspace's storage.
    initializationOptions: () => ({
      trusted: vscode.workspace.isTrusted,
      cacheFolder: (context.storageUri ?? context.globalStorageUri).fsPath,
      portMapLenses: true,
    }),
    middleware: {
      workspace: {
        // What the server may run is the user's choice alone: helm.path never comes from a workspace.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => (params.items[i]?.section === 'portLens' ? withMachineHelmPath(value) : value));
        },
      },
      // Rule links open the docs/rules.md shipped with the extension, at the rule's heading.
      handleDiagnostics: (uri, diagnostics, next) =>
        next(
          uri,
          diagnostics.map((d) => withLocalRuleLink(context, d)),
        ),
      // The code lens runs the server's explain command; its answer is shown, not just returned.
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        if (command === EXPLAIN_COMMAND && result) await showExplanation(result as ExplainResult, args[0] as ExplainParams);
        return result;
      },
    },
    initializationFailedHandler: (error) => {
      // Codes -32099..-32000 are the connection's own (e.g. a server that died); others come from the server.
      if (error instanceof ResponseError && (error.code < -32099 || error.code > -32000)) reason = `: ${error.message}`;
      return false;
    },
    errorHandler,
  };
  const next = new PortLensClient('portLens', NAME, serverOptions, clientOptions);
  client = next;
  portMap.attach(next);
  next.onNotification(statusNotification, (params) => {
    if (client === next) status.update(params);
  });
  next.onDidChangeState(({ newState }) => {
    if (client !== next) return;
    if (newState === State.Starting) showStarting();
    else if (newState === State.Running) showRunning();
    else if (newState === State.StartFailed) fail(`the language server could not start${reason}.`);
  });
  try {
    await next.start();
  } catch {
    // Logged to the output channel by the client and reported through StartFailed.
  }
}

async function stop(): Promise<void> {
  const old = client;
  client = undefined;
  if (!old) return;
  try {
    await old.dispose();
  } catch {
    // A client that never got running has nothing to shut down.
  }
  if (old.isInDebugMode) await new Promise((resolve) => setTimeout(resolve, 1000)); // frees the inspector port
}

function reportFailure(message: string): void {
  output.error(message);
  status.stopped();
  void vscode.window
    .showErrorMessage(`${NAME}: ${message} Port checks, hovers and quick-fixes are unavailable until the server runs again.`, 'Show Output')
    .then((choice) => choice && output.show());
}

function showStarting(): void {
  status.starting();
}

function showRunning(): void {
  status.running();
}

let rulesDoc: { uri: vscode.Uri; headings: Map<string, number> } | undefined;

function withLocalRuleLink(context: vscode.ExtensionContext, diagnostic: vscode.Diagnostic): vscode.Diagnostic {
  const code = diagnostic.code;
  if (!code || typeof code !== 'object') return diagnostic;
  if (!rulesDoc) {
    const uri = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md');
    let text = '';
    try {
      text = fs.readFileSync(uri.fsPath, 'utf8');
    } catch {
      // Not shipped (a development build without docs): the links stay as the server wrote them.
    }
    rulesDoc = { uri, headings: ruleHeadings(text) };
  }
  const line = localRuleLink(code.target, rulesDoc.headings);
  if (line) diagnostic.code = { value: code.value, target: rulesDoc.uri.with({ fragment: line }) };
  return diagnostic;
}

function withMachineHelmPath(settings: unknown): unknown {
  if (!settings || typeof settings !== 'object') return settings;
  const inspected = vscode.workspace.getConfiguration('portLens').inspect<string>('helm.path');
  const helm = { ...((settings as { helm?: object }).helm ?? {}), path: inspected?.globalValue ?? inspected?.defaultValue ?? 'helm' };
  // The same for what runs Kustomize builds, and whether they may inflate Helm charts.
  const configuration = vscode.workspace.getConfiguration('portLens');
  const kubectl = configuration.inspect<string>('kustomize.path');
  const enableHelm = configuration.inspect<boolean>('kustomize.enableHelm');
  const kustomize = {
    ...((settings as { kustomize?: object }).kustomize ?? {}),
    path: kubectl?.globalValue ?? kubectl?.defaultValue ?? 'kubectl',
    enableHelm: enableHelm?.globalValue ?? false,
  };
  return { ...settings, helm, kustomize };
}

/** Asks for a source and a destination (unless given), then shows the server's answer. */
async function explainConnection(params?: ExplainParams): Promise<void> {
  const running = client;
  if (!running || running.state !== State.Running) {
    void vscode.window.showWarningMessage(`${NAME}: the language server is not running.`);
    return;
  }
  let choice = params;
  if (!choice?.from || !choice?.to) {
    const options = await running.sendRequest<EndpointsResult>(ENDPOINTS_REQUEST);
    const pick = (items: EndpointsResult['sources'], title: string, step: number) =>
      vscode.window.showQuickPick(
        items.map((e) => ({ label: e.name, description: e.description })),
        { title: `Explain Connection (${step}/2): ${title}`, placeHolder: title, matchOnDescription: true, ignoreFocusOut: true },
      );
    const from = await pick(options.sources, 'where the traffic comes from', 1);
    if (!from) return;
    if (options.destinations.length === 0) {
      void vscode.window.showInformationMessage(`${NAME}: the workspace has no Service or container port to explain a connection to.`);
      return;
    }
    const to = await pick(options.destinations, `where traffic from ${from.label} goes`, 2);
    if (!to) return;
    choice = { from: from.label, to: to.label };
  }
  try {
    await showExplanation(await running.sendRequest<ExplainResult>(EXPLAIN_REQUEST, choice), choice);
  } catch (error) {
    void vscode.window.showErrorMessage(`${NAME}: ${(error as Error).message}`);
  }
}

/** Shows the answer beside the YAML; a fix applied from it asks again, so the panel shows the new verdict. */
function showExplanation(result: ExplainResult, params: ExplainParams): Promise<void> {
  return explainPanel.show(result, params);
}

async function askExplain(params: ExplainParams): Promise<ExplainResult | undefined> {
  const running = client;
  if (!running || running.state !== State.Running) return undefined;
  try {
    return await running.sendRequest<ExplainResult>(EXPLAIN_REQUEST, params);
  } catch {
    return undefined;
  }
}
