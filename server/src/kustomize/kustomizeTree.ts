import * as path from 'node:path';
import { parseKustomization, type Kustomization } from './kustomization';
import { relativeInside } from '../workspace/paths';

/** A kustomization that no other one uses: what `kubectl kustomize` is run on. */
export interface KustomizeRoot {
  kustomization: Kustomization;
  /** The root folder relative to the workspace, `/`-separated: how messages name it (`overlays/prod`). */
  name: string;
  /** Every file the build reads, as far as the kustomization files say: kustomizations, resources, patches. */
  files: Set<string>;
  /** Remote bases anywhere in the tree: the root is not built (nothing is fetched). */
  remote: string[];
  /** Some kustomization of the tree inflates Helm charts. */
  helmCharts: boolean;
}

/**
 * The kustomizations of a workspace and how they use each other: the roots to build, and the
 * files they read (which are therefore not indexed as plain manifests).
 */
export class KustomizeTree {
  readonly kustomizations = new Map<string, Kustomization>();
  readonly roots: KustomizeRoot[] = [];
  /** Every file some kustomization reads, the kustomization files included. */
  readonly usedFiles = new Set<string>();

  /** `files`: the kustomization files; `read` gives a file's text (undefined when unreadable). */
  constructor(files: readonly string[], read: (file: string) => string | undefined, workspaceFolders: readonly string[]) {
    for (const file of files) {
      const dir = path.dirname(file);
      if (this.kustomizations.has(dir)) continue; // kustomize reads the first name it finds; two are its error
      const text = read(file);
      if (text !== undefined) this.kustomizations.set(dir, parseKustomization(file, text));
    }
    const used = new Set<string>();
    for (const k of this.kustomizations.values()) {
      this.usedFiles.add(k.file);
      for (const ref of [...k.resources, ...k.components]) {
        if (this.kustomizations.has(ref)) used.add(ref);
        else this.usedFiles.add(ref);
      }
      for (const patch of k.patches) if (patch.file) this.usedFiles.add(patch.file);
      k.otherFiles.forEach((f) => this.usedFiles.add(f));
    }
    for (const k of [...this.kustomizations.values()].sort((a, b) => a.dir.localeCompare(b.dir))) {
      if (used.has(k.dir) || k.component) continue;
      this.roots.push(this.rootOf(k, workspaceFolders));
    }
  }

  /** The roots whose build reads `file`. */
  rootsUsing(file: string): KustomizeRoot[] {
    return this.roots.filter((r) => r.files.has(file));
  }

  private rootOf(kustomization: Kustomization, workspaceFolders: readonly string[]): KustomizeRoot {
    const root: KustomizeRoot = {
      kustomization,
      name: rootName(kustomization.dir, workspaceFolders),
      files: new Set(),
      remote: [],
      helmCharts: false,
    };
    const seen = new Set<string>();
    const visit = (k: Kustomization) => {
      if (seen.has(k.dir)) return;
      seen.add(k.dir);
      root.files.add(k.file);
      root.remote.push(...k.remote);
      root.helmCharts ||= k.helmCharts;
      for (const ref of [...k.resources, ...k.components]) {
        const inner = this.kustomizations.get(ref);
        if (inner) visit(inner);
        else root.files.add(ref);
      }
      for (const patch of k.patches) if (patch.file) root.files.add(patch.file);
      k.otherFiles.forEach((f) => root.files.add(f));
    };
    visit(kustomization);
    return root;
  }
}

/** `overlays/prod`: the folder relative to the workspace folder holding it (`.` for the folder itself). */
export function rootName(dir: string, workspaceFolders: readonly string[]): string {
  for (const folder of workspaceFolders) {
    const relative = relativeInside(folder, dir);
    if (relative !== undefined) return relative === '' ? '.' : relative;
  }
  return dir.split(path.sep).join('/');
}
