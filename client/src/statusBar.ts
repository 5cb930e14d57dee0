import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/lsp/protocol';

const NAME = 'Kubernetes Port Lens';

/**
 * The status bar item: "indexing" until the first scan is done (never a count before it), then
 * the count of findings, a click opening the Problems panel. Hidden in a workspace that has no
 * Kubernetes manifest; shown again when the server stops.
 */
export class PortLensStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('portLens.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = NAME;
  }

  starting(): void {
    this.set('$(sync~spin) Port Lens: starting', `The ${NAME} server is starting.`);
  }

  /** Running, first scan not reported yet. */
  running(): void {
    this.set('$(sync~spin) Port Lens: indexing', `${NAME} is reading the workspace's manifests.`);
  }

  update(params: StatusParams): void {
    if (params.state === 'indexing') {
      const progress = params.total > 0 ? `${params.done}/${params.total} files` : 'indexing';
      this.set(
        `$(sync~spin) Port Lens: ${progress}`,
        `${NAME} is reading the workspace's manifests${params.total > 0 ? `: ${params.done} of ${params.total} files` : ''}.`,
      );
      return;
    }
    if (params.files === 0 && params.findings === 0) {
      this.item.hide(); // not a Kubernetes workspace
      return;
    }
    const stale = params.stale > 0 ? `, ${plural(params.stale, 'chart')} stale` : '';
    const staleNote =
      params.stale > 0
        ? `\n${plural(params.stale, 'Helm chart')} failed to render: ${params.stale === 1 ? 'its' : 'their'} findings are from the last ` +
          `good render.`
        : '';
    const files = plural(params.files, 'file');
    if (params.findings === 0) {
      this.set(`$(check) Port Lens${stale}`, `${NAME} checked ${files} and found nothing to report.${staleNote}`, params.stale > 0);
    } else {
      this.set(
        `$(shield) Port Lens: ${plural(params.findings, 'finding')}${stale}`,
        `${NAME} checked ${files} and reports ${plural(params.findings, 'finding')}.${staleNote}`,
        params.stale > 0,
      );
    }
  }

  stopped(): void {
    this.item.text = '$(error) Port Lens: stopped';
    this.item.tooltip = `The ${NAME} server is not running. Click to show the output; run "${NAME}: Restart Server" to try again.`;
    this.item.command = 'portLens.showOutput';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }

  private set(text: string, tooltip: string, warn = false): void {
    this.item.text = text;
    this.item.tooltip = `${tooltip}\nClick to open the Problems panel.`;
    this.item.command = 'workbench.actions.view.problems';
    this.item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
