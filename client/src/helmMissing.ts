import * as vscode from 'vscode';
import { OPEN_HELM_SETTINGS_COMMAND } from '../../server/src/lsp/protocol';

export const HELM_INSTALL_URL = 'https://helm.sh/docs/intro/install/';

/** Opens the user settings at `portLens.helm.path` (a machine setting: never a workspace's). */
export function openHelmSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', 'portLens.helm.path');
}

/**
 * Once a session, when the server reports that helm is missing: a notification with buttons to
 * set its path or install it. The diagnostic itself carries the same as a quick fix.
 */
export function watchForMissingHelm(source: string): vscode.Disposable {
  let shown = false;
  const commands = vscode.commands.registerCommand(OPEN_HELM_SETTINGS_COMMAND, openHelmSettings);
  const listener = vscode.languages.onDidChangeDiagnostics((event) => {
    if (shown) return;
    const missing = event.uris.some((uri) =>
      vscode.languages.getDiagnostics(uri).some((d) => d.source === source && d.code !== undefined && /helm was not found/.test(d.message)),
    );
    if (!missing) return;
    shown = true;
    void vscode.window
      .showInformationMessage('Kubernetes Port Lens: helm was not found, so Helm charts are not checked.', 'Set helm Path', 'Install helm')
      .then((choice) => {
        if (choice === 'Set helm Path') return openHelmSettings();
        if (choice === 'Install helm') return vscode.env.openExternal(vscode.Uri.parse(HELM_INSTALL_URL));
        return undefined;
      });
  });
  return vscode.Disposable.from(commands, listener);
}
