import * as vscode from 'vscode';
import type { ExplainFix, ExplainParams, ExplainResult } from '../../server/src/lsp/protocol';
import { APPLY_EXPLAIN_FIX_COMMAND, OPEN_LOCATION_COMMAND, withCommandLinks } from './explainLinks';

/**
 * The answer of Explain Connection, in a panel beside the YAML (never in its place). VS Code's
 * Markdown preview runs no command link, so the answer is rendered by the Markdown extension into
 * a webview of its own, which allows exactly two commands: open a location, apply a listed fix.
 */
export class ExplainPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: { params: ExplainParams; fixes: ExplainFix[] } | undefined;
  private readonly commands: vscode.Disposable[];

  /** `ask` answers an explain request again (after a fix, the panel shows the new verdict). */
  constructor(private readonly ask: (params: ExplainParams) => Promise<ExplainResult | undefined>) {
    this.commands = [
      vscode.commands.registerCommand(OPEN_LOCATION_COMMAND, (uri: string, line: number) => openLocation(uri, line)),
      vscode.commands.registerCommand(APPLY_EXPLAIN_FIX_COMMAND, (index: number) => this.applyFix(index)),
    ];
  }

  async show(result: ExplainResult, params: ExplainParams): Promise<void> {
    this.shown = { params, fixes: result.fixes ?? [] };
    // A "/" reads as a path separator in a title; the division slash looks the same.
    const title = `${result.from} → ${result.to}`.replace(/\//g, '\u2215');
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'portLens.explain',
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableCommandUris: [OPEN_LOCATION_COMMAND, APPLY_EXPLAIN_FIX_COMMAND], enableFindWidget: true },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside);
    }
    this.panel.title = title;
    this.panel.webview.html = await page(this.panel.webview, withCommandLinks(result.markdown, result.fixes));
  }

  private async applyFix(index: number): Promise<void> {
    const fix = this.shown?.fixes[index];
    if (!fix || !this.shown) return;
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) {
      const { start, end } = e.range;
      edit.replace(vscode.Uri.parse(e.uri), new vscode.Range(start.line, start.character, end.line, end.character), e.newText);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Kubernetes Port Lens: the fix "${fix.title}" could not be applied.`);
      return;
    }
    const again = await this.ask(this.shown.params);
    if (again) await this.show(again, this.shown.params);
  }

  dispose(): void {
    this.panel?.dispose();
    this.commands.forEach((c) => c.dispose());
  }
}

async function openLocation(uri: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const at = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(at, at) });
}

/** The Markdown as HTML, by the Markdown extension VS Code ships; plain text if it is not there. */
async function page(webview: vscode.Webview, markdown: string): Promise<string> {
  let body: string;
  try {
    body = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
  } catch {
    body = `<pre>${markdown.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`;
  }
  const csp = `default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline'; img-src ${webview.cspSource} data:;`;
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style>body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); line-height: 1.5; padding: 0 16px; }
a { color: var(--vscode-textLink-foreground); } code { font-family: var(--vscode-editor-font-family); }</style>
</head><body>${body}</body></html>`;
}
