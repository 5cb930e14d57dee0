import type { PortLens } from '../analysis/portLens';
import type { Finding } from '../analysis/rules/findings';
import type { ScanOptions } from '../files';
import type { HelmOptions } from '../helm/chartRenderer';
import type { KustomizeOptions } from '../kustomize/buildRoot';
import type { Position } from '../model/source';
import type { EntryKind, WorkspaceHost } from './host';

/** Options of a build step that may be turned off; `off` says why (`the workspace is not trusted`). */
export type Switchable<T> = T | { off: string };

export const isOff = <T extends object>(value: Switchable<T>): value is { off: string } => 'off' in value;

/** A folder the session reads (a workspace folder, or a path given to the CLI) and how. */
export interface RootConfig {
  /** Absolute path of a folder, or of a single file given to the CLI. */
  path: string;
  files: ScanOptions;
  helm: Switchable<HelmOptions>;
  /** Absent: Kustomize roots are not built. */
  kustomize?: Switchable<KustomizeOptions>;
}

export type BuildOutcome = 'rendered' | 'unchanged' | 'failed' | 'cancelled';

/** What a source is given for one generation of the workspace (one scan to the next). */
export interface SourceContext {
  readonly host: WorkspaceHost;
  /** The analysis this generation fills; sources put their models in with `setModel`/`removeFile`. */
  readonly lens: PortLens;
  /** Unsaved editor documents of files under `dir`: absolute path → text. */
  overlaysUnder(dir: string): ReadonlyMap<string, string>;
  log(message: string): void;
}

/**
 * A kind of input that is not read file by file but built by a tool (Helm charts; Kustomize roots),
 * into models mapped back to the files the user edits. One instance lives for one generation:
 * the session makes a new one with a fresh `SourceContext` at every scan.
 *
 * Lifecycle: `claimsFolder`/`claimsFile` during the walk → `prepare` → `units` → `build` of every
 * unit (the session runs them in parallel, up to the core count) → `adjust` and `hoverNote` while
 * answering → `unitsOf` when a file changes (its units are built again, debounced, the build under
 * way cancelled). A unit that cannot be built leaves one finding (a diagnostic on its root file).
 */
export interface InputSource {
  /** Names units in messages: `Helm chart`. */
  readonly noun: string;
  /**
   * A folder the walk reaches, with its entries: true when the folder is this source's own and
   * its files are not manifests (the walk then does not go into it).
   */
  claimsFolder(dir: string, entries: ReadonlyArray<{ name: string; kind: EntryKind }>, root: RootConfig): boolean;
  /** A file given as a path that stands for a unit (`Chart.yaml`): true when claimed. */
  claimsFile(file: string, root: RootConfig): boolean;
  /** After the walk, before plain files are loaded (e.g. read kustomization files). */
  prepare?(): Promise<void>;
  /** The units to build (a chart's folder), after the walk; logs those it leaves out and why. */
  units(): string[];
  /** Builds one unit into the lens; adds the URIs whose findings changed to `changed`. */
  build(unit: string, changed: Set<string>, signal?: AbortSignal): Promise<BuildOutcome>;
  /** Whether `file` is this source's (a chart template): never read as a plain manifest. */
  owns(file: string): boolean;
  /** The units that read `file` and are built again when it changes. */
  unitsOf(file: string): string[];
  /** Whether a file created, changed or deleted on disk changes which units there are. */
  needsRescan(file: string, change: 'created' | 'changed' | 'deleted'): boolean;
  /** Maps findings on built output back to what the user edits (fixes, related locations). */
  adjust(findings: Finding[]): Finding[];
  /** Markdown added to a hover, when `position` is on something this source built. */
  hoverNote(uri: string, position: Position): string | undefined;
  /**
   * Findings the source judged in analyses of its own (a Kustomize root's world), on `uri`; and
   * every URI that has some. Sources that put everything into the lens have none.
   */
  findings?(uri: string): Finding[];
  findingUris?(): string[];
  /** A plain manifest changed in the lens (or left it): answers the URIs whose findings changed. */
  plainChanged?(uri: string): Set<string>;
  /** Every unit of every source of the scan is built: the lens holds all of their models now. */
  built?(): void;
  /** Units whose build fails now and whose findings are those of their last good build. */
  staleUnits?(): number;
}

export type SourceFactory = (context: SourceContext) => InputSource;
