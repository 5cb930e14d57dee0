import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * The seed check through a client that shares no code with the server's libraries: JSON-RPC
 * framed by hand over the child's stdio, as a minimal editor plugin would do it.
 */
class RawClient {
  private readonly child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/server.js'), '--stdio']);
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: any) => void>();
  readonly notifications: Array<{ method: string; params: any }> = [];
  private listeners: Array<() => void> = [];

  constructor() {
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const headerEnd = this.buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())![1]);
        if (this.buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
        this.buffer = this.buffer.subarray(headerEnd + 4 + length);
        this.receive(message);
      }
    });
  }

  private receive(message: any): void {
    if (message.id !== undefined && message.method)
      this.write({ jsonrpc: '2.0', id: message.id, result: null }); // server → client request
    else if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
    else this.notifications.push(message);
    this.listeners.splice(0).forEach((l) => l());
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  request(method: string, params: object): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: object): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  async waitFor(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 20000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise<void>((resolve) => {
        this.listeners.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  lastDiagnostics(uri: string): any[] | undefined {
    return this.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri).at(-1)?.params
      .diagnostics;
  }

  kill(): void {
    this.child.kill();
  }
}

test('seed check through an independent client: diagnostic, hover, quick-fix, edit', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-raw-'));
  cpSync(path.resolve(__dirname, '../../examples/gitlab'), dir, { recursive: true });
  const client = new RawClient();
  t.after(() => {
    client.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const uri = `file://${dir}/networkpolicies.yaml`;
  const text = readFileSync(path.join(dir, 'networkpolicies.yaml'), 'utf8');
  await client.request('initialize', { processId: null, rootUri: `file://${dir}`, capabilities: {} });
  client.notify('initialized', {});
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await client.waitFor(() => (client.lastDiagnostics(uri) ?? []).length === 1);
  const [diagnostic] = client.lastDiagnostics(uri)!;
  assert.equal(diagnostic.code, 'netpol-port-unmatched');

  const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: diagnostic.range.start });
  assert.match(hover.contents.value, /gitlab-ssh/);

  const actions = await client.request('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  });
  const preferred = actions.find((a: any) => a.isPreferred);
  assert.deepEqual(
    preferred.edit.changes[uri].map((e: any) => e.newText),
    ['22'],
  );

  const lines = text.split('\n');
  const { line, character } = diagnostic.range.start;
  lines[line] = lines[line].slice(0, character) + '22' + lines[line].slice(diagnostic.range.end.character);
  client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: lines.join('\n') }] });
  await client.waitFor(() => (client.lastDiagnostics(uri) ?? []).length === 0);
});
