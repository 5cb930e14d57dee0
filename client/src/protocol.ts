// Custom LSP messages between the extension and its server. Kept free of imports so that
// both sides can agree on the shape without the client depending on server code.

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
}
