import type { WorkspaceHost } from './host';
import { nodeFileSystem } from './nodeFileSystem';
import { nodeProcessRunner } from './nodeProcessRunner';

/** The real machine: its disk and its programs. */
export const nodeHost: WorkspaceHost = { fs: nodeFileSystem, processes: nodeProcessRunner };
