import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { PortLens } from '../analysis/portLens';
import { compareFindings, type Finding } from '../analysis/rules/findings';
import { ModelCache } from '../cache/modelCache';
import { FileFilter, scanPaths } from '../files';
import { helmSource } from '../helm/helmSource';
import { kustomizeSource } from '../kustomize/kustomizeSource';
import type { Position } from '../model/source';
import { loadModels } from '../scan/loadModels';
import type { WorkspaceHost } from './host';
import type { BuildOutcome, InputSource, RootConfig, SourceContext, SourceFactory } from './inputSource';
import { nodeHost } from './nodeHost';
import { isInside } from './paths';
import { RebuildScheduler } from './rebuildScheduler';

/** An editor's open document, whose text takes the place of the file on disk. */
export interface OpenDocument {
  uri: string;
  version: number;
  text: string;
  /** False when the editor's language for it is not one of manifests (it is then never read as one). */
  manifest?: boolean;
}

export interface OpenDocuments {
  get(uri: string): OpenDocument | undefined;
  all(): OpenDocument[];
}

export interface SessionOptions {
  host?: WorkspaceHost;
  /** The input sources built by tools; default: Helm charts. */
  sources?: readonly SourceFactory[];
  documents?: OpenDocuments;
  /** The model cache of a workspace made of these roots; default: none. */
  openCache?: (roots: string[]) => Promise<ModelCache>;
  log?: (message: string) => void;
  /** A file the scan or the load does not read, and why. */
  skipped?: (file: string, reason: string) => void;
  /** Findings changed outside a call that returns them: a unit built again after an edit. */
  onDidChange?: (uris: Set<string>) => void;
  /** Units built at once; default: the number of cores. */
  parallelism?: number;
  /** The wait between a change to a unit's file and its build; default 300 ms. */
  rebuildDelayMs?: number;
}

export interface ScanProgress {
  loaded?(done: number, total: number): void;
  building?(total: number): void;
  built?(done: number, total: number, what: string, outcome: BuildOutcome): void;
}

export interface ScanReport {
  /** Every URI whose findings may differ from before the scan (the new files and the ones gone). */
  changed: Set<string>;
  files: number;
  units: number;
  cacheHits: number;
  ms: number;
  /** Writes the model cache (a moment's work: the front end picks when). */
  saveCache(): Promise<void>;
}

export type FileChange = 'created' | 'changed' | 'deleted';

interface Generation {
  lens: PortLens;
  roots: readonly RootConfig[];
  filters: FileFilter[];
  sources: InputSource[];
}

/**
 * One workspace as both front ends see it: scan → cache → load → build (render charts) → lay open
 * documents over → swap → adjust findings. The language server and the CLI drive it; the file
 * system and the programs it runs come from a `WorkspaceHost`, so it runs in memory in tests.
 * Plain manifests are read file by file; every other input is an `InputSource`.
 */
export class WorkspaceSession {
  private readonly host: WorkspaceHost;
  private readonly factories: readonly SourceFactory[];
  private readonly documents: OpenDocuments;
  private readonly log: (message: string) => void;
  private generation: Generation = { lens: new PortLens(), roots: [], filters: [], sources: [] };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly rebuilds: RebuildScheduler<{ source: InputSource; unit: string }>;
  private readonly scheduled = new Map<InputSource, Map<string, { source: InputSource; unit: string }>>();
  /** True once a scan (and its builds) completed: before, nothing the index says is complete. */
  ready = false;

  constructor(private readonly options: SessionOptions = {}) {
    this.host = options.host ?? nodeHost;
    this.factories = options.sources ?? [helmSource, kustomizeSource];
    this.documents = options.documents ?? { get: () => undefined, all: () => [] };
    this.log = options.log ?? (() => undefined);
    this.rebuilds = new RebuildScheduler((job, signal) => this.rebuild(job.source, job.unit, signal), options.rebuildDelayMs ?? 300);
  }

  /** The analysis of the current generation. */
  get lens(): PortLens {
    return this.generation.lens;
  }

  get roots(): readonly RootConfig[] {
    return this.generation.roots;
  }

  /** The input sources of the current generation. */
  get sources(): readonly InputSource[] {
    return this.generation.sources;
  }

  /** Reads every root afresh into a new analysis and swaps it in; scans run one at a time. */
  scan(roots: readonly RootConfig[], progress: ScanProgress = {}): Promise<ScanReport> {
    const run = this.queue.then(() => this.runScan(roots, progress));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when the scans asked for so far are done. */
  async settled(): Promise<void> {
    await this.queue;
  }

  private async runScan(roots: readonly RootConfig[], progress: ScanProgress): Promise<ScanReport> {
    const started = Date.now();
    const fs = this.host.fs;
    const lens = new PortLens();
    const context: SourceContext = { host: this.host, lens, overlaysUnder: (dir) => this.overlaysUnder(dir), log: this.log };
    const sources = this.factories.map((make) => make(context));
    const present = roots.filter((root) => fs.exists(root.path));
    // The cache is read while the roots are walked.
    const opening = this.options.openCache?.(present.map((r) => r.path)) ?? Promise.resolve(ModelCache.none());
    const files = new Set<string>();
    for (const root of present) {
      const scan = await scanPaths([root.path], root.files, {
        fs,
        claimsFolder: (dir, entries) => sources.map((s) => s.claimsFolder(dir, entries, root)).some(Boolean),
        claimsFile: (file) => sources.map((s) => s.claimsFile(file, root)).some(Boolean),
      });
      for (const skipped of scan.skipped) this.options.skipped?.(skipped.path, skipped.reason);
      scan.files.forEach((f) => files.add(f));
    }
    for (const source of sources) await source.prepare?.();
    const plain = [...files].filter((file) => !sources.some((s) => s.owns(file)));
    const cache = await opening;

    /** Open documents whose text the load took, at the version it took. */
    const loadedVersions = new Map<string, number>();
    const models = await loadModels(plain, {
      cache,
      fs,
      maxFileSize: Math.max(0, ...present.map((r) => r.files.maxFileSize)),
      openText: (uri) => {
        const doc = this.documents.get(uri);
        if (doc) loadedVersions.set(uri, doc.version);
        return doc?.text;
      },
      skipped: (file, reason) => this.options.skipped?.(file, reason),
      progress: progress.loaded,
    });
    lens.load(models);

    this.rebuilds.cancelAll();
    this.scheduled.clear();
    const units = sources.flatMap((source) => source.units().map((unit) => ({ source, unit })));
    if (units.length > 0) progress.building?.(units.length);
    let done = 0;
    await inParallel(units, this.options.parallelism ?? os.availableParallelism(), async ({ source, unit }) => {
      const outcome = await source.build(unit, new Set());
      progress.built?.(++done, units.length, `${source.noun} ${unit}`, outcome);
    });
    for (const source of sources) source.built?.();

    // With no await from here to the swap, no edit can fall between: open documents the load did
    // not take (untitled, outside the roots, over the size limit) or that changed since it did.
    const next: Generation = { lens, roots: present, filters: present.map((r) => new FileFilter(r.files)), sources };
    for (const doc of this.documents.all()) {
      if (loadedVersions.get(doc.uri) !== doc.version && doc.manifest !== false && this.accepts(doc.uri, true, next))
        lens.setFile(doc.uri, doc.text);
    }
    const stale = [...this.generation.lens.index.uris()].filter((uri) => !lens.index.file(uri));
    const sourceUris = (g: Generation) => g.sources.flatMap((source) => source.findingUris?.() ?? []);
    const previous = sourceUris(this.generation);
    this.generation = next;
    this.ready = true;
    return {
      changed: new Set([...lens.index.uris(), ...stale, ...previous, ...sourceUris(next)]),
      files: lens.index.fileCount,
      units: units.length,
      cacheHits: cache.hits,
      ms: Date.now() - started,
      saveCache: () => cache.save(),
    };
  }

  /**
   * Whether a document is read as a plain manifest: a file of a root its globs include, not a
   * source's own (a chart template); an open document outside every root; an untitled document.
   */
  accepts(uri: string, open: boolean, generation = this.generation): boolean {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return open && parsed.scheme === 'untitled';
    const file = parsed.fsPath;
    if (generation.sources.some((s) => s.owns(file))) return false;
    const i = generation.roots.findIndex((root) => isInside(root.path, file));
    return i < 0 ? open : generation.filters[i].includes(path.relative(generation.roots[i].path, file));
  }

  /**
   * An open document changed: a source's file schedules its units' builds (their changes come
   * through `onDidChange`) and answers true; a plain manifest answers false (call `update`).
   */
  documentChanged(uri: string): boolean {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return false;
    let owned = false;
    for (const source of this.generation.sources) {
      if (!source.owns(parsed.fsPath)) continue;
      owned = true;
      for (const unit of source.unitsOf(parsed.fsPath)) this.rebuilds.schedule(this.job(source, unit));
    }
    return owned;
  }

  /** A plain manifest's new text (undefined: it is no longer one); answers the URIs whose findings changed. */
  update(uri: string, text: string | undefined): Set<string> {
    return this.plainChanged(uri, text === undefined ? this.lens.removeFile(uri) : this.lens.setFile(uri, text));
  }

  /** Sources with analyses of their own see a plain manifest's change too. */
  private plainChanged(uri: string, changed: Set<string>): Set<string> {
    for (const source of this.generation.sources) source.plainChanged?.(uri).forEach((u) => changed.add(u));
    return changed;
  }

  /** Reads a plain manifest again from disk (a document closed, a file changed); answers the URIs whose findings changed. */
  reload(uri: string): Set<string> {
    const parsed = URI.parse(uri);
    const roots = this.roots.map((r) => r.path);
    const maxFileSize = this.roots.find((r) => isInside(r.path, parsed.fsPath))?.files.maxFileSize;
    const read =
      parsed.scheme === 'file' && this.accepts(uri, false) ? this.host.fs.readText(parsed.fsPath, { maxFileSize, roots }) : undefined;
    if (read && 'error' in read) this.options.skipped?.(parsed.fsPath, read.error);
    const changed = read && !('error' in read) ? this.lens.setFile(uri, read.text) : this.lens.removeFile(uri);
    return this.plainChanged(uri, changed).add(uri);
  }

  /**
   * Files changed on disk: 'rescan' when they change which units there are (scan again),
   * else the URIs whose findings changed. Open documents win over the disk.
   */
  filesChanged(changes: ReadonlyArray<{ uri: string; change: FileChange }>): 'rescan' | Set<string> {
    const fileOf = (uri: string) => URI.parse(uri).fsPath;
    if (changes.some((c) => this.generation.sources.some((s) => s.needsRescan(fileOf(c.uri), c.change)))) return 'rescan';
    const changed = new Set<string>();
    for (const { uri, change } of changes) {
      if (this.documentChanged(uri) || this.documents.get(uri)) continue;
      const affected = change === 'deleted' ? this.plainChanged(uri, this.lens.removeFile(uri)).add(uri) : this.reload(uri);
      affected.forEach((u) => changed.add(u));
    }
    return changed;
  }

  /** A document was closed: a source's file is built again from disk, a plain manifest read again. */
  documentClosed(uri: string): Set<string> {
    return this.documentChanged(uri) ? new Set() : this.reload(uri);
  }

  /** The findings of a file, mapped by the sources to what the user edits, suppressions marked. */
  findings(uri: string): Finding[] {
    const adjusted = this.generation.sources.reduce((findings, source) => source.adjust(findings), this.lens.findings(uri));
    const own = this.generation.sources.flatMap((source) => source.findings?.(uri) ?? []);
    return this.lens.suppress(uri, own.length > 0 ? [...adjusted, ...own] : adjusted);
  }

  /** Every finding of the workspace, in a stable order. */
  allFindings(): Finding[] {
    const uris = new Set([...this.lens.index.uris(), ...this.generation.sources.flatMap((source) => source.findingUris?.() ?? [])]);
    return [...uris].flatMap((uri) => this.findings(uri)).sort(compareFindings);
  }

  /** What the sources add to a hover: which template or value wrote the object under the cursor. */
  hoverNote(uri: string, position: Position): string | undefined {
    for (const source of this.generation.sources) {
      const note = source.hoverNote(uri, position);
      if (note) return note;
    }
    return undefined;
  }

  /** Units (charts) whose build fails now, shown with the findings of their last good build. */
  staleUnits(): number {
    return this.generation.sources.reduce((n, source) => n + (source.staleUnits?.() ?? 0), 0);
  }

  /** Stops every build scheduled or under way. */
  dispose(): void {
    this.rebuilds.cancelAll();
  }

  private job(source: InputSource, unit: string) {
    let jobs = this.scheduled.get(source);
    if (!jobs) this.scheduled.set(source, (jobs = new Map()));
    let job = jobs.get(unit);
    if (!job) jobs.set(unit, (job = { source, unit }));
    return job;
  }

  private async rebuild(source: InputSource, unit: string, signal: AbortSignal): Promise<void> {
    await this.queue;
    if (signal.aborted || !this.generation.sources.includes(source)) return; // scanned afresh meanwhile
    const changed = new Set<string>();
    const outcome = await source.build(unit, changed, signal);
    if (!this.generation.sources.includes(source)) return;
    this.log(`${source.noun} ${unit}: ${outcome}`);
    if (changed.size > 0) this.options.onDidChange?.(changed);
  }

  /** Unsaved documents of files under `dir`, laid over them when a tool reads the folder. */
  private overlaysUnder(dir: string): Map<string, string> {
    const overlays = new Map<string, string>();
    for (const doc of this.documents.all()) {
      const file = URI.parse(doc.uri);
      if (file.scheme === 'file' && isInside(dir, file.fsPath)) overlays.set(file.fsPath, doc.text);
    }
    return overlays;
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(items.length, Math.max(1, limit)) }, worker));
}
