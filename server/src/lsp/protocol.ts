// Custom LSP messages between the extension and its server, for both sides. Kept free of value
// imports, so that the client bundles these few names and nothing else of the server.
import type { MapNamespace, PortMap } from '../analysis/map/portMap';

export type { MapEdge, MapNamespace, PortMap } from '../analysis/map/portMap';

/** Server → client notification: progress of the workspace scan and its result. */
export const STATUS_NOTIFICATION = 'portLens/status';

export interface StatusParams {
  state: 'indexing' | 'ready';
  /** Files scanned so far (while indexing). */
  done: number;
  /** Files to scan in all (while indexing). */
  total: number;
  /** Manifest files indexed. */
  files: number;
  /** Findings currently reported across the workspace, every severity (rules set to `off` excluded). */
  findings: number;
  /** Helm charts that fail to render now, whose findings are those of their last good render. */
  stale: number;
}

/** Client command (a code action on "helm was not found"): opens the settings at `portLens.helm.path`. */
export const OPEN_HELM_SETTINGS_COMMAND = 'portLens.openHelmSettings';

/** Server command (also the code lens command): arguments `[ExplainParams]`, result ExplainResult. */
export const EXPLAIN_COMMAND = 'portLens.explain';
/** Client → server request: ExplainParams → ExplainResult. */
export const EXPLAIN_REQUEST = 'portLens/explain';
/** Client → server request: no params → EndpointsResult, the choices of the quick picks. */
export const ENDPOINTS_REQUEST = 'portLens/endpoints';

export interface ExplainParams {
  /** `namespace/Kind/name`, `namespace/*` or `external`. */
  from: string;
  /** `namespace/service:port` or `namespace/Kind/name:port`. */
  to: string;
  /** A Kustomize root (`overlays/prod`, from portLens/mapRoots): explain in its world, links on the base and patch lines. */
  root?: string;
}

export interface ExplainResult {
  from: string;
  to: string;
  verdict: 'allowed' | 'denied' | 'unknown';
  /** The answer as Markdown, every object named a link to its file and line. */
  markdown: string;
  /** The fixes the answer lists (its "Fixes" lines, in order), with their edits: a client may offer to apply them. */
  fixes?: ExplainFix[];
}

export interface ExplainFix {
  title: string;
  edits: Array<{
    uri: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }>;
}

export interface Endpoint {
  name: string;
  description: string;
}

export interface EndpointsResult {
  sources: Endpoint[];
  destinations: Endpoint[];
}

/** Client → server request: no params or `{root}` → MapNamespace[], the namespaces a port map can draw (cheap: counts only). */
export const MAP_NAMESPACES_REQUEST = 'portLens/mapNamespaces';
/** Client → server request: MapParams → PortMap (docs/map.md, with `uri` where the CLI's JSON has `file`). */
export const MAP_REQUEST = 'portLens/map';
/** Server → client notification, no params: the index changed (an edit, a scan, a render); maps drawn are stale. */
export const CHANGED_NOTIFICATION = 'portLens/changed';
/** The client command the Namespace and NetworkPolicy code lenses run, arguments `[MapParams]`. */
export const SHOW_PORT_MAP_COMMAND = 'portLens.showPortMap';

export interface MapParams {
  /** The namespace to draw; null for objects that name none. */
  namespace: string | null;
  /** A Kustomize root (`overlays/prod`, from portLens/mapRoots): draw its world instead of the plain manifests. */
  root?: string;
}

/** Client → server request: no params → MapRootsResult, the Kustomize roots whose worlds a map can draw. */
export const MAP_ROOTS_REQUEST = 'portLens/mapRoots';
export type MapRootsResult = Array<{ name: string; built: boolean }>;

export type MapNamespacesResult = MapNamespace[];
export type MapResult = PortMap;
