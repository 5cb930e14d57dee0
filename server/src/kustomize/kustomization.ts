import * as path from 'node:path';
import { parseDocument } from 'yaml';

/** The names kustomize looks for in a folder, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export const isKustomizationFile = (file: string) => (KUSTOMIZATION_NAMES as readonly string[]).includes(path.basename(file));

/** A patch a kustomization applies: a file or inline text, strategic merge or JSON 6902. */
export interface PatchRef {
  /** Absolute path of the patch file; undefined for an inline patch. */
  file: string | undefined;
  /** The inline text; undefined for a file. */
  inline: string | undefined;
  target: PatchTarget | undefined;
}

export interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** What one kustomization file says about the files it reads. */
export interface Kustomization {
  /** Absolute path of the kustomization file. */
  file: string;
  dir: string;
  /** `kind: Component`: never built alone. */
  component: boolean;
  /** Resources, bases and components that are folders or files of the workspace (absolute). */
  resources: string[];
  components: string[];
  /** Remote bases and resources (`github.com/…`, `https://…`): never fetched. */
  remote: string[];
  patches: PatchRef[];
  /** Every other local file the kustomization reads (generators, replacements, configurations). */
  otherFiles: string[];
  /** `helmCharts` / `helmGlobals`: inflating them needs `--enable-helm`. */
  helmCharts: boolean;
  /** The file is not a YAML map kustomize can read. */
  error?: string;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|(?:github\.com|gitlab\.com|bitbucket\.org)\/)|\?(?:ref|version|timeout|submodules)=/i;

export const isRemote = (reference: string) => REMOTE.test(reference);

/** Reads a kustomization file's text; paths are resolved against its folder. */
export function parseKustomization(file: string, text: string): Kustomization {
  const dir = path.dirname(file);
  const result: Kustomization = {
    file,
    dir,
    component: false,
    resources: [],
    components: [],
    remote: [],
    patches: [],
    otherFiles: [],
    helmCharts: false,
  };
  let data: unknown;
  try {
    const document = parseDocument(text, { uniqueKeys: false });
    if (document.errors.length > 0) return { ...result, error: document.errors[0].message };
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ...result, error: (error as Error).message };
  }
  if (data === null || data === undefined) return result;
  if (typeof data !== 'object' || Array.isArray(data)) return { ...result, error: 'a kustomization is a YAML map' };
  const k = data as Record<string, unknown>;
  result.component = k.kind === 'Component';
  const local = (entry: unknown): string | undefined => {
    if (typeof entry !== 'string' || entry.trim() === '') return undefined;
    if (isRemote(entry)) {
      result.remote.push(entry);
      return undefined;
    }
    return path.resolve(dir, entry);
  };
  for (const entry of [...list(k.resources), ...list(k.bases)]) {
    const resolved = local(entry);
    if (resolved) result.resources.push(resolved);
  }
  for (const entry of list(k.components)) {
    const resolved = local(entry);
    if (resolved) result.components.push(resolved);
  }
  for (const entry of [...list(k.patches), ...list(k.patchesJson6902)]) {
    if (!entry || typeof entry !== 'object') continue;
    const p = entry as Record<string, unknown>;
    const target = targetOf(p.target);
    if (typeof p.path === 'string') result.patches.push({ file: local(p.path), inline: undefined, target });
    else if (typeof p.patch === 'string') result.patches.push({ file: undefined, inline: p.patch, target });
  }
  for (const entry of list(k.patchesStrategicMerge)) {
    if (typeof entry !== 'string') continue;
    // An entry is a file name, or a whole patch written inline.
    if (/\n/.test(entry.trim()) || /^\s*apiVersion\s*:/.test(entry))
      result.patches.push({ file: undefined, inline: entry, target: undefined });
    else result.patches.push({ file: local(entry), inline: undefined, target: undefined });
  }
  result.patches = result.patches.filter((p) => p.file !== undefined || p.inline !== undefined);
  for (const generator of [...list(k.configMapGenerator), ...list(k.secretGenerator)]) {
    if (!generator || typeof generator !== 'object') continue;
    const g = generator as Record<string, unknown>;
    for (const entry of list(g.files))
      if (typeof entry === 'string') pushLocal(result, local(entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry));
    for (const entry of [...list(g.envs), g.env]) pushLocal(result, local(entry));
  }
  for (const key of ['crds', 'configurations', 'generators', 'transformers', 'validators']) {
    for (const entry of list(k[key])) if (typeof entry === 'string' && !entry.includes('\n')) pushLocal(result, local(entry));
  }
  for (const entry of list(k.replacements)) {
    if (entry && typeof entry === 'object' && typeof (entry as Record<string, unknown>).path === 'string') {
      pushLocal(result, local((entry as Record<string, unknown>).path));
    }
  }
  const openapi = k.openapi as Record<string, unknown> | undefined;
  if (openapi && typeof openapi === 'object' && typeof openapi.path === 'string') pushLocal(result, local(openapi.path));
  result.helmCharts = list(k.helmCharts).length > 0 || k.helmGlobals !== undefined || k.helmChartInflationGenerator !== undefined;
  return result;
}

function pushLocal(result: Kustomization, file: string | undefined): void {
  if (file) result.otherFiles.push(file);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function targetOf(value: unknown): PatchTarget | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const t = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { kind: text(t.kind), name: text(t.name), namespace: text(t.namespace) };
}
