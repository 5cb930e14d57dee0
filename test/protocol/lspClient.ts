import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.resolve(ROOT, 'dist/server.js');

/** A temporary copy of a folder of the repository (`examples/gitlab`), or of it at `into` inside the copy. */
export function repoCopy(source: string, into = ''): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-lsp-'));
  cpSync(path.join(ROOT, source), path.join(dir, into), { recursive: true });
  return dir;
}

/** A client that is stopped when the test ends, and then `dirs` removed. */
export function clientFor(t: { after: (fn: () => Promise<void>) => void }, ...dirs: string[]): TestClient {
  const client = new TestClient();
  t.after(async () => {
    await client.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return client;
}

/** A program in the temporary folder `dir` that touches `started`, sleeps 2 s, then runs `real`. */
export function slowProgram(real: string): { dir: string; path: string; started: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-slow-'));
  const started = path.join(dir, 'started');
  const program = path.join(dir, 'slow');
  writeFileSync(program, `#!/bin/sh\ntouch ${started}\nsleep 2\nexec ${real} "$@"\n`);
  chmodSync(program, 0o755);
  return { dir, path: program, started };
}

/** A real JSON-RPC client talking to `node dist/server.js --stdio`. */
export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every publishDiagnostics, in order of arrival. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly status: Array<{ state: string; files: number; findings: number }> = [];
  readonly logs: string[] = [];
  private readonly child: ChildProcess;
  private waiters: Array<() => void> = [];
  private readonly timeoutMs: number;
  settings: unknown = {};
  /** Settings of one workspace folder (by URI), answered for `scopeUri`; `settings` for the rest. */
  readonly folderSettings = new Map<string, unknown>();

  /** `timeoutMs`: how long `until` waits (the benchmark's big workspaces need longer). */
  constructor(options: { timeoutMs?: number } = {}) {
    this.timeoutMs = options.timeoutMs ?? 20000;
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => this.logs.push(`stderr: ${chunk}`));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.published.push(p);
      this.wake();
    });
    this.connection.onNotification('portLens/status', (p) => {
      this.status.push(p);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string }> }) =>
      params.items.map((item) =>
        item.scopeUri !== undefined && this.folderSettings.has(item.scopeUri) ? this.folderSettings.get(item.scopeUri) : this.settings,
      ),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  /** Starts the server on `rootPath` (a workspace folder, or several). */
  async initialize(
    rootPath: string | string[],
    capabilities: ClientCapabilities = FULL_CAPABILITIES,
    initializationOptions?: unknown,
  ): Promise<void> {
    const folders = (Array.isArray(rootPath) ? rootPath : [rootPath]).map((p, i) => ({
      uri: `file://${p}`,
      name: i === 0 ? 'ws' : `ws${i}`,
    }));
    const request = { processId: process.pid, rootUri: folders[0].uri, workspaceFolders: folders, capabilities, initializationOptions };
    await this.connection.sendRequest(InitializeRequest.type, request);
    await this.connection.sendNotification(InitializedNotification.type, {});
    await this.until(() => this.ready, 'the server to be ready');
  }

  /** Waits until `check` holds, re-testing on every notification; fails after a generous limit. */
  until(check: () => boolean, what = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; logs:\n${this.logs.join('\n')}`)), this.timeoutMs);
      const test = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(test);
      };
      this.waiters.push(test);
    });
  }

  async open(uri: string, text: string, languageId = 'yaml', version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** The code actions for a diagnostic, on its range; `only` as the client asks for kinds. */
  async codeActions(uri: string, diagnostic: Diagnostic, only?: string[]): Promise<CodeAction[]> {
    const context = only ? { diagnostics: [diagnostic], only } : { diagnostics: [diagnostic] };
    return (await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context,
    })) as CodeAction[];
  }

  /** The hover's Markdown at a position (undefined when there is no hover). */
  async hoverText(uri: string, position: Position): Promise<string | undefined> {
    const hover = await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    return (hover?.contents as { value: string } | undefined)?.value;
  }

  /** Answered after every notification sent before it: what those published has arrived. */
  async flush(uri: string): Promise<void> {
    await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } });
  }

  get ready(): boolean {
    return this.status.some((s) => s.state === 'ready');
  }

  /** Peak resident set size of the server process so far (VmHWM), in MB. */
  peakRssMb(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.child.kill();
  }
}

export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    workspaceFolders: true,
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  window: { workDoneProgress: true },
  textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true } },
};
