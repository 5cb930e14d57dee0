// The messages between the Port Map webview and the extension, for both sides.
import type { PortMap } from '../../server/src/lsp/protocol';

/** What the webview keeps across reloads (getState/setState) and hands to the panel serializer. */
export interface PanelState {
  namespace: string | null;
  /** The Kustomize root whose world is drawn, if any. */
  root?: string;
  /** The edge whose explanation is shown. */
  edge?: string;
  scroll?: { left: number; top: number };
}

export type ToPanel =
  /** `restore`: the state the extension kept, for a webview that lost its own. */
  | { type: 'map'; map: PortMap; root?: string; restore?: PanelState }
  | { type: 'explanation'; edge: string; markdown?: string; error?: string };

export type FromPanel =
  | { type: 'ready'; namespace: string | null }
  | { type: 'state'; state: PanelState }
  | { type: 'explain'; edge: string; from: string; to: string }
  | { type: 'open'; uri: string; line: number; character: number };
