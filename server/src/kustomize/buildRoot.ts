import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KustomizeRoot } from './kustomizeTree';
import { runKustomize } from './runKustomize';
import type { ProcessRunner } from '../workspace/host';
import { isInside } from '../workspace/paths';

export interface KustomizeOptions {
  /** `kubectl` (runs `kubectl kustomize`) or a `kustomize` executable. */
  path: string;
  timeoutSeconds: number;
  /** Pass `--enable-helm` (helmCharts may download charts). */
  enableHelm: boolean;
}

export const DEFAULT_KUSTOMIZE_OPTIONS: KustomizeOptions = { path: 'kubectl', timeoutSeconds: 10, enableHelm: false };

const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

export type BuildResult =
  | {
      ok: true;
      output: string;
      /** Turns a path of the origin annotations (relative to the wrapping kustomization) into the user's file. */
      sourceOf: (annotationPath: string) => string;
    }
  | { ok: false; reason: 'missing' | 'failed' | 'timeout' | 'too-large' | 'cancelled' | 'remote'; message: string };

/**
 * Builds a root through a temporary kustomization that wraps it and asks for origin and
 * transformer annotations; the user's files are never written. When open documents change files
 * the build reads, it builds a temporary copy with those texts laid over it.
 */
export async function buildRoot(
  runner: ProcessRunner,
  root: KustomizeRoot,
  options: KustomizeOptions,
  overlays: ReadonlyMap<string, string> = new Map(),
  signal?: AbortSignal,
): Promise<BuildResult> {
  if (root.remote.length > 0) {
    const which =
      root.remote.length === 1 ? `the remote base ${root.remote[0]}` : `${root.remote.length} remote bases (${root.remote[0]}, …)`;
    return { ok: false, reason: 'remote', message: `it uses ${which}, and Port Lens never fetches anything` };
  }
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'port-lens-kustomize-'));
  try {
    const edited = [...root.files].some((f) => overlays.has(f));
    let rootDir = root.kustomization.dir;
    let sourceOf = (absolute: string) => absolute;
    if (edited) {
      const top = commonAncestor([...root.files]);
      const copy = path.join(scratch, 'src');
      await copyTree(root, top, copy, overlays);
      rootDir = path.join(copy, path.relative(top, rootDir));
      sourceOf = (absolute) => {
        return isInside(copy, absolute) ? path.join(top, path.relative(copy, absolute)) : absolute;
      };
    }
    const wrap = path.join(scratch, 'wrap');
    await mkdir(wrap);
    const resource = path.relative(wrap, rootDir).split(path.sep).join('/');
    const wrapper = `resources:\n  - ${JSON.stringify(resource)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`;
    await writeFile(path.join(wrap, 'kustomization.yaml'), wrapper);
    const result = await runKustomize(runner, {
      executable: options.path,
      dir: wrap,
      enableHelm: options.enableHelm,
      timeoutMs: options.timeoutSeconds * 1000,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      signal,
    });
    if (!result.ok) return { ...result, message: cleanMessage(result.message, rootDir, root.kustomization.dir, sourceOf) };
    return { ok: true, output: result.stdout, sourceOf: (p) => sourceOf(path.resolve(wrap, p)) };
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Copies what the build reads: the files the kustomizations name, and every file beside a kustomization. */
async function copyTree(root: KustomizeRoot, top: string, copy: string, overlays: ReadonlyMap<string, string>): Promise<void> {
  const files = new Set(root.files);
  for (const file of root.files) {
    if (!/(^|[/\\])(kustomization\.ya?ml|Kustomization)$/.test(file)) continue;
    const dir = path.dirname(file);
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => []))
      if (entry.isFile()) files.add(path.join(dir, entry.name));
  }
  for (const file of files) {
    const target = path.join(copy, path.relative(top, file));
    await mkdir(path.dirname(target), { recursive: true });
    const open = overlays.get(file);
    if (open !== undefined) await writeFile(target, open);
    else if ((await stat(file).catch(() => undefined))?.isFile()) await copyFile(file, target);
  }
}

function commonAncestor(files: string[]): string {
  let top = path.dirname(files[0]);
  for (const file of files) {
    while (!isInside(top, file) && top !== path.dirname(top)) top = path.dirname(top);
  }
  return top;
}

/** kubectl's message without the layer of the wrapping kustomization, naming the user's files. */
function cleanMessage(message: string, builtDir: string, rootDir: string, sourceOf: (file: string) => string): string {
  const marker = `recursed accumulation of path '${builtDir}': `;
  const at = message.indexOf(marker);
  const inner = at >= 0 ? message.slice(at + marker.length) : message;
  if (builtDir === rootDir) return inner;
  return inner
    .split(builtDir)
    .join(rootDir)
    .replace(/'(\/[^']*)'/g, (_, file: string) => `'${sourceOf(file)}'`);
}
