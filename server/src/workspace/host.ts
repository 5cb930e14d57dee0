/**
 * What the workspace session needs from the machine, behind small interfaces so that the whole
 * pipeline (scan, load, render, overlay, swap) runs in memory in tests: the file system and the
 * running of other programs (helm; kubectl for Kustomize). `nodeHost` is the real machine.
 */

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface DirectoryListing {
  /** The folder's real path (links resolved): a folder reached twice is read once. */
  real: string;
  entries: Array<{ name: string; kind: EntryKind }>;
}

export interface FileStat {
  kind: Exclude<EntryKind, 'symlink'>;
  size: number;
}

/** Text of a manifest, or why it is not read (see `readManifestText`). */
export type ReadResult = { text: string; bom: boolean } | { error: string };

export interface ReadLimits {
  /** Larger files are not read (checked on the open file, before reading it). */
  maxFileSize?: number;
  /** When given, a file whose real path (links resolved) lies outside all of them is not read. */
  roots?: readonly string[];
}

/** Thrown by a `FileSystem` call that fails; `code` is the errno name (`ENOENT`, …) when there is one. */
export interface FileSystemError extends Error {
  code?: string;
}

/** The file system, synchronous where a scan makes thousands of calls. Paths are absolute. */
export interface FileSystem {
  /** Throws when the folder cannot be read. */
  readDirectory(dir: string): DirectoryListing;
  /** Follows links; throws when the path does not exist. */
  stat(file: string): FileStat;
  /** Throws when the path does not exist. */
  realPath(file: string): string;
  exists(file: string): boolean;
  /** A manifest's text: never throws, never blocks on a pipe, reads no more than the limit allows. */
  readText(file: string, limits?: ReadLimits): ReadResult;
  /** A file's bytes (for chart contents), undefined when it cannot be read. */
  readBytes(file: string): Promise<Uint8Array | undefined>;
  /**
   * A temporary copy of the folder `dir` with `overlays` (absolute path → text) written over its
   * files, for a tool that must read unsaved documents. `dispose` removes it.
   */
  overlayCopy(dir: string, overlays: ReadonlyMap<string, string>): Promise<{ dir: string; dispose(): Promise<void> }>;
}

export interface ProcessRequest {
  command: string;
  args: string[];
  cwd: string;
  /** Variables set over the runner's own environment (whose home, config and cache stay empty). */
  env?: Readonly<Record<string, string>>;
  /** How the run is named in messages (`helm template`). */
  title: string;
  timeoutMs: number;
  /** stdout beyond this is not read: the process is killed and the run fails. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export type ProcessResult =
  { ok: true; stdout: string } | { ok: false; reason: 'missing' | 'failed' | 'timeout' | 'too-large' | 'cancelled'; message: string };

/**
 * Runs another program. The real runner gives it an empty home, config and cache (no user plugin,
 * repository or kubeconfig is read, nothing is written outside a temporary folder) and kills it
 * with its children on timeout, on too much output, or when `signal` aborts.
 */
export interface ProcessRunner {
  run(request: ProcessRequest): Promise<ProcessResult>;
}

export interface WorkspaceHost {
  fs: FileSystem;
  processes: ProcessRunner;
}
