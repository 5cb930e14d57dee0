// The Port Map: a webview panel per namespace drawing its map, the "Ports" tree, the command
// and code lens that open a map, and the live refresh when the server's index changes.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { MAP_CSS } from '../../server/src/analysis/map/svg';
import {
  CHANGED_NOTIFICATION,
  EXPLAIN_REQUEST,
  MAP_NAMESPACES_REQUEST,
  MAP_REQUEST,
  MAP_ROOTS_REQUEST,
  SHOW_PORT_MAP_COMMAND,
  type ExplainParams,
  type ExplainResult,
  type MapNamespacesResult,
  type MapParams,
  type MapResult,
  type MapRootsResult,
} from '../../server/src/lsp/protocol';
import type { FromPanel, PanelState, ToPanel } from './portMapMessages';
import { PortsTree, type MapSource } from './portsTree';

const VIEW_TYPE = 'portLens.portMap';
const TREE_VIEW = 'portLens.ports';
const REFRESH_MS = 250;

const PANEL_CSS = `
html, body { height: 100%; margin: 0; padding: 0; }
body { display: flex; flex-direction: column; color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); }
header { display: flex; align-items: baseline; gap: 16px; padding: 8px 16px;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); }
header h1 { font-size: 14px; margin: 0; }
.legend { color: var(--vscode-descriptionForeground); font-size: 12px; }
.legend .allowed { color: var(--vscode-charts-green); } .legend .denied { color: var(--vscode-charts-red); }
#graph { flex: 0 1 auto; min-height: 0; overflow: auto; padding: 8px 16px; }
#graph svg { max-width: 100%; height: auto; }
#details { flex: 0 1 auto; max-height: 45%; overflow: auto; padding: 4px 16px 12px; font-size: 13px;
  border-top: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent)); }
#details h2 { font-size: 13px; } #details ul { margin: 2px 0; padding-left: 20px; }
#details a { color: var(--vscode-textLink-foreground); }
body.vscode-high-contrast .port-map .edge-line, body.vscode-high-contrast-light .port-map .edge-line { stroke-width: 3; }
body.vscode-high-contrast .port-map .group-box, body.vscode-high-contrast-light .port-map .group-box {
  stroke: var(--vscode-contrastBorder); }
`;

/** How the client is reached: the running language client, if any. */
export type ClientOf = () => LanguageClient | undefined;

export interface PortMapFeatures {
  /** Hooks a new language client (after a restart): change notifications, and a refresh once it runs. */
  attach(client: LanguageClient): void;
}

export function registerPortMap(context: vscode.ExtensionContext, clientOf: ClientOf): PortMapFeatures {
  const running = () => {
    const client = clientOf();
    return client && client.state === State.Running ? client : undefined;
  };
  const source: MapSource = {
    roots: async () => (await running()?.sendRequest<MapRootsResult>(MAP_ROOTS_REQUEST)) ?? [],
    namespaces: async (root) =>
      (await running()?.sendRequest<MapNamespacesResult>(MAP_NAMESPACES_REQUEST, root ? { root } : undefined)) ?? [],
    map: async (namespace, root) => {
      const client = running();
      if (!client) throw new Error('the language server is not running');
      return client.sendRequest<MapResult>(MAP_REQUEST, { namespace, ...(root ? { root } : {}) } satisfies MapParams);
    },
  };
  const tree = new PortsTree(source);
  const panels = new PortMapPanels(context, source, running);
  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      tree.refresh();
      panels.refresh();
    }, REFRESH_MS);
  };
  context.subscriptions.push(
    vscode.window.createTreeView(TREE_VIEW, { treeDataProvider: tree, showCollapseAll: true }),
    // From a lens or another extension: MapParams; from the Ports view's namespace row: that row.
    vscode.commands.registerCommand(
      SHOW_PORT_MAP_COMMAND,
      (arg?: MapParams | { kind: 'namespace'; namespace: MapParams; root?: string }) => {
        if (arg && 'kind' in arg) return panels.show({ namespace: arg.namespace.namespace, root: arg.root });
        return arg && 'namespace' in arg ? panels.show({ namespace: arg.namespace, root: arg.root }) : panels.pickAndShow();
      },
    ),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      // The webview's state names the namespace; the title says it too, when the state was not saved before a reload.
      deserializeWebviewPanel: async (panel, state: PanelState | undefined) => {
        const titled = targetOfTitle(panel.title);
        panels.adopt(panel, state ? { namespace: state.namespace, root: state.root ?? titled.root } : titled);
      },
    }),
    { dispose: () => clearTimeout(timer) },
  );
  return {
    attach(client) {
      client.onNotification(CHANGED_NOTIFICATION, refresh);
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Running) refresh();
      });
    },
  };
}

/** One panel per namespace, each drawing the server's latest map of it. */
class PortMapPanels {
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly source: MapSource,
    private readonly running: () => LanguageClient | undefined,
  ) {}

  async pickAndShow(): Promise<void> {
    const namespaces = await this.source.namespaces();
    if (namespaces.length === 0) {
      const message = 'Kubernetes Port Lens: no namespace to draw yet (is the language server running, and are there manifests?).';
      void vscode.window.showInformationMessage(message);
      return;
    }
    if (namespaces.length === 1) return this.show({ namespace: namespaces[0].namespace });
    const picked = await vscode.window.showQuickPick(
      namespaces.map((n) => ({
        label: n.namespace ?? UNSPECIFIED,
        description: `${n.services} Services · ${n.pods} pod templates`,
        namespace: n.namespace,
      })),
      { title: 'Show Port Map: which namespace?', placeHolder: 'namespace' },
    );
    if (picked) await this.show({ namespace: picked.namespace });
  }

  async show(target: MapTarget): Promise<void> {
    const open = this.panels.get(keyOf(target));
    if (open) {
      open.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, titleOf(target), vscode.ViewColumn.Active, this.options());
    this.adopt(panel, target);
  }

  /** Sets a new or restored panel up: its HTML, its messages, its place in the list. */
  adopt(panel: vscode.WebviewPanel, target: MapTarget): void {
    const key = keyOf(target);
    this.panels.set(key, panel);
    panel.title = titleOf(target);
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview);
    panel.onDidDispose(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    panel.webview.onDidReceiveMessage((message: FromPanel) => void this.receive(panel, target, message));
  }

  refresh(): void {
    for (const [key, panel] of this.panels) void this.send(panel, targetOfKey(key));
  }

  private async send(panel: vscode.WebviewPanel, target: MapTarget): Promise<void> {
    try {
      const map = await this.source.map(target.namespace, target.root);
      const restore = this.context.workspaceState.get<PanelState>(stateKey(target));
      await panel.webview.postMessage({ type: 'map', map, root: target.root, restore } satisfies ToPanel);
    } catch {
      // The server is not running (yet): the map comes when it is (attach's refresh).
    }
  }

  private async receive(panel: vscode.WebviewPanel, target: MapTarget, message: FromPanel): Promise<void> {
    if (message.type === 'ready') return this.send(panel, target);
    if (message.type === 'state') return this.context.workspaceState.update(stateKey(target), { ...message.state, root: target.root });
    if (message.type === 'open') {
      const at = new vscode.Position(message.line, message.character);
      const column = panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
      await vscode.window.showTextDocument(vscode.Uri.parse(message.uri), { selection: new vscode.Range(at, at), viewColumn: column });
      return;
    }
    const client = this.running();
    let reply: ToPanel;
    try {
      if (!client) throw new Error('The language server is not running.');
      const result = await client.sendRequest<ExplainResult>(EXPLAIN_REQUEST, {
        from: message.from,
        to: message.to,
        ...(target.root ? { root: target.root } : {}),
      } satisfies ExplainParams);
      reply = { type: 'explanation', edge: message.edge, markdown: result.markdown };
    } catch (error) {
      reply = { type: 'explanation', edge: message.edge, error: (error as Error).message };
    }
    await panel.webview.postMessage(reply);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const localResourceRoots = [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')];
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots };
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('hex');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', 'portMap.js'));
    const csp = [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${MAP_CSS}${PANEL_CSS}</style>
</head>
<body>
<header><h1 id="title">Port map</h1><span class="legend"><span class="allowed">━ allowed</span> · <span class="denied">━ denied</span>
 · ┅ unknown · ⚠ finding · click an edge to explain it, a box to open its line</span></header>
<main id="graph" tabindex="-1">Loading…</main>
<aside id="details" hidden aria-live="polite"></aside>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}

/** A namespace of the workspace, or of a Kustomize root's world. */
type MapTarget = { namespace: string | null; root?: string };
const keyOf = (target: MapTarget) => JSON.stringify([target.root ?? null, target.namespace]);
const targetOfKey = (key: string): MapTarget => {
  const [root, namespace] = JSON.parse(key) as [string | null, string | null];
  return root === null ? { namespace } : { namespace, root };
};
/** Where the extension keeps a copy of each panel's state (the chosen edge, the scroll). */
const stateKey = (target: MapTarget) => `portLens.portMap.state:${keyOf(target)}`;
const TITLE = 'Port Map: ';
const UNSPECIFIED = '(unspecified)';

function titleOf({ namespace, root }: MapTarget): string {
  return `${TITLE}${namespace ?? UNSPECIFIED}${root ? ` (${root})` : ''}`;
}

/** `Port Map: gitlab (overlays/prod)` → namespace gitlab of root overlays/prod. */
function targetOfTitle(title: string): MapTarget {
  const text = title.startsWith(TITLE) ? title.slice(TITLE.length) : UNSPECIFIED;
  const [, name, root] = /^(\S+)(?: \((.+)\))?$/.exec(text) ?? [text, text, undefined];
  const namespace = name === UNSPECIFIED ? null : name;
  return root ? { namespace, root } : { namespace };
}
