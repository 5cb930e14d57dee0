import * as path from 'node:path';
import type { Finding } from '../analysis/rules/findings';
import { applySuppressions } from '../analysis/suppressions/suppress';
import { parseManifests } from '../model/parse';
import { URI } from 'vscode-uri';
import type { Position } from '../model/source';
import { isOff, type BuildOutcome, type InputSource, type RootConfig, type SourceContext } from '../workspace/inputSource';
import type { KustomizeOptions } from './buildRoot';
import { isKustomizationFile, KUSTOMIZATION_NAMES } from './kustomization';
import { KustomizeBuilds } from './kustomizeBuilds';
import { KustomizeTree, type KustomizeRoot } from './kustomizeTree';
import type { KustomizeWorlds } from './kustomizeWorlds';

/** Kustomize roots as an input source of the workspace session (SPEC §9). */
export function kustomizeSource(context: SourceContext): InputSource {
  return new KustomizeSource(context);
}

/** The worlds of the Kustomize roots among a session's sources, for `explain --root` and the map. */
export function worldsOf(sources: readonly InputSource[]): KustomizeWorlds | undefined {
  return sources.find((s): s is KustomizeSource => s instanceof KustomizeSource)?.builds.worlds;
}

/**
 * Each root (a kustomization no other one uses) is built with kubectl into a world of its own;
 * its findings land on the base or patch that wrote the value. Every file a kustomization reads is
 * this source's: never a plain manifest, whether or not its roots are built.
 */
class KustomizeSource implements InputSource {
  readonly noun = 'Kustomize root';
  readonly builds: KustomizeBuilds;
  /** Kustomization files the walk found, with the root folder config each was found under. */
  private readonly found = new Map<string, RootConfig>();
  private tree: KustomizeTree | undefined;
  /** The texts the tree was read from: an edit of a kustomization file reads it again. */
  private treeKey = '';
  private readonly buildable = new Map<string, KustomizeOptions>();
  private cached: Map<string, Finding[]> | undefined;

  constructor(private readonly context: SourceContext) {
    this.builds = new KustomizeBuilds(context.lens, context.host.processes, context.log);
  }

  claimsFolder(dir: string, entries: ReadonlyArray<{ name: string; kind: string }>, root: RootConfig): boolean {
    const name = KUSTOMIZATION_NAMES.find((n) => entries.some((e) => e.name === n && e.kind !== 'directory'));
    if (name) this.found.set(path.join(dir, name), root);
    return false; // its YAML files are still walked: `owns` keeps the ones a kustomization reads
  }

  claimsFile(file: string, root: RootConfig): boolean {
    if (!isKustomizationFile(file)) return false;
    this.found.set(file, root);
    return true;
  }

  async prepare(): Promise<void> {
    this.readTree();
  }

  units(): string[] {
    const notBuilt = new Map<string, number>();
    for (const root of this.tree?.roots ?? []) {
      const config = this.found.get(root.kustomization.file)?.kustomize ?? { off: 'Kustomize builds are not configured' };
      if (isOff(config)) notBuilt.set(config.off, (notBuilt.get(config.off) ?? 0) + 1);
      else this.buildable.set(root.kustomization.dir, config);
    }
    for (const [reason, count] of notBuilt) this.context.log(`${count} Kustomize root${count === 1 ? '' : 's'} not built (${reason})`);
    return [...this.buildable.keys()];
  }

  async build(dir: string, changed: Set<string>, signal?: AbortSignal): Promise<BuildOutcome> {
    const options = this.buildable.get(dir);
    if (!options) return 'unchanged';
    this.readTree();
    const root = this.tree?.roots.find((r) => r.kustomization.dir === dir);
    const before = this.findingUris();
    if (!root) {
      this.builds.worlds.delete(dir);
      this.changedAll(before, changed);
      return 'unchanged';
    }
    const outcome = await this.builds.build(root, this.inputs(options), signal);
    if (outcome === 'cancelled') return 'cancelled';
    this.changedAll(before, changed);
    return outcome === 'built' ? 'rendered' : 'failed';
  }

  /** Worlds made while other units were still building catch up with the models those put in the lens. */
  built(): void {
    this.builds.worlds.sync();
    this.cached = undefined;
  }

  owns(file: string): boolean {
    return this.found.has(file) || (this.tree?.usedFiles.has(file) ?? false);
  }

  unitsOf(file: string): string[] {
    if (!this.tree) return [];
    const roots: readonly KustomizeRoot[] = this.found.has(file) ? this.tree.roots : this.tree.rootsUsing(file);
    return roots.map((r) => r.kustomization.dir).filter((dir) => this.buildable.has(dir));
  }

  needsRescan(file: string, change: 'created' | 'changed' | 'deleted'): boolean {
    return change !== 'changed' && isKustomizationFile(file);
  }

  adjust(findings: Finding[]): Finding[] {
    return findings;
  }

  hoverNote(uri: string, position: Position): string | undefined {
    return this.builds.worlds.hover(uri, position)?.markdown;
  }

  findings(uri: string): Finding[] {
    return this.byUri().get(uri) ?? [];
  }

  findingUris(): string[] {
    return [...this.byUri().keys()];
  }

  plainChanged(uri: string): Set<string> {
    const changed = new Set<string>();
    if (this.builds.worlds.roots().length === 0) return changed;
    const before = this.findingUris();
    const model = this.context.lens.index.file(uri);
    if (model) this.builds.worlds.plainChanged(model);
    else this.builds.worlds.plainRemoved(uri);
    this.changedAll(before, changed);
    return changed;
  }

  private changedAll(before: string[], changed: Set<string>): void {
    this.cached = undefined;
    before.forEach((u) => changed.add(u));
    this.findingUris().forEach((u) => changed.add(u));
  }

  private readTree(): void {
    const files = [...this.found.keys()];
    const texts = files.map((f) => this.read(f) ?? '');
    const key = JSON.stringify(texts);
    if (this.tree && key === this.treeKey) return;
    const folders = [...new Set([...this.found.values()].map((r) => r.path))];
    this.tree = new KustomizeTree(files, (f) => texts[files.indexOf(f)], folders);
    this.treeKey = key;
  }

  /** A file's text: the unsaved document's, else the file on disk. */
  private read(file: string): string | undefined {
    const open = this.context.overlaysUnder(path.dirname(file)).get(file);
    if (open !== undefined) return open;
    const read = this.context.host.fs.readText(file);
    return 'text' in read ? read.text : undefined;
  }

  private inputs(options: KustomizeOptions) {
    const tree = this.tree!;
    const folders = [...new Set([...this.found.values()].map((r) => r.path))];
    const overlays = new Map<string, string>();
    for (const folder of folders) for (const [file, text] of this.context.overlaysUnder(folder)) overlays.set(file, text);
    return { tree, options, read: (file: string) => this.read(file), overlays, folders };
  }

  private byUri(): Map<string, Finding[]> {
    if (!this.cached) {
      const byUri = new Map<string, Finding[]>();
      for (const finding of this.builds.worlds.allFindings()) byUri.set(finding.uri, [...(byUri.get(finding.uri) ?? []), finding]);
      // The bases and patches are not in the lens: their `# port-lens: ignore` comments are read here.
      this.cached = new Map();
      for (const [uri, findings] of byUri) {
        const text = this.read(URI.parse(uri).fsPath);
        this.cached.set(uri, text === undefined ? findings : applySuppressions(findings, parseManifests(uri, text)));
      }
    }
    return this.cached;
  }
}
