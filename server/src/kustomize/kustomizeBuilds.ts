import type { PortLens } from '../analysis/portLens';
import type { ProcessRunner } from '../workspace/host';
import { BuiltRoot } from './builtRoot';
import { buildRoot, type KustomizeOptions } from './buildRoot';
import type { KustomizeRoot, KustomizeTree } from './kustomizeTree';
import { KustomizeWorlds } from './kustomizeWorlds';
import { rootName } from './kustomizeTree';

export type BuildOutcome = 'built' | 'failed' | 'cancelled';

export interface BuildInputs {
  tree: KustomizeTree;
  options: KustomizeOptions;
  /** A file's text: the open document when there is one, else the file on disk. */
  read: (file: string) => string | undefined;
  /** Open documents that differ from the disk (absolute path → text), laid over a temporary copy. */
  overlays: ReadonlyMap<string, string>;
  /** Workspace folders, to name files in messages. */
  folders: readonly string[];
}

/** Builds Kustomize roots and keeps each one's world (SPEC §9). */
export class KustomizeBuilds {
  readonly worlds: KustomizeWorlds;

  constructor(
    plain: PortLens,
    private readonly runner: ProcessRunner,
    private readonly log: (message: string) => void = () => undefined,
  ) {
    this.worlds = new KustomizeWorlds(plain);
  }

  async build(root: KustomizeRoot, inputs: BuildInputs, signal?: AbortSignal): Promise<BuildOutcome> {
    const result = await buildRoot(this.runner, root, inputs.options, inputs.overlays, signal);
    if (!result.ok) {
      if (result.reason === 'cancelled') return 'cancelled';
      this.log(`kubectl kustomize ${root.name}: ${result.message}`);
      const quiet = result.reason === 'missing' || result.reason === 'remote';
      const message = result.reason === 'failed' ? `kubectl kustomize failed: ${result.message}` : result.message;
      const firstLine = inputs.read(root.kustomization.file)?.split(/\r?\n/, 1)[0] ?? '';
      this.worlds.fail(root, message, quiet ? 'information' : 'warning', firstLine);
      return 'failed';
    }
    if (signal?.aborted) return 'cancelled';
    const display = (file: string) => rootName(file, inputs.folders);
    const built = new BuiltRoot(root, result.output, result.sourceOf, inputs.read, (dir) => inputs.tree.kustomizations.get(dir), display);
    this.worlds.set(built);
    return 'built';
  }
}
