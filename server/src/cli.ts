import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { URI } from 'vscode-uri';
import type { Range } from './model/source';
import { applyEdits, preferredEdits } from './analysis/fixes/applyFixes';
import { isProblem, type Finding } from './analysis/rules/findings';
import type { PortLens } from './analysis/portLens';
import { formatJson, formatText } from './cli/report';
import { EXPLAIN_ARGS, EXPLAIN_USAGE, ExplainUsageError, explainOptionsOf, runExplain } from './cli/explain';
import { formatSarif } from './cli/sarif';
import { MAP_ARGS, MAP_USAGE, MapUsageError, mapOptionsOf, runMap } from './cli/map';
import { DEFAULT_SCAN_OPTIONS, readManifestText } from './files';
import { defaultCacheFolder, ModelCache } from './cache/modelCache';
import { DEFAULT_HELM_OPTIONS, type HelmOptions } from './helm/chartRenderer';
import { WorkspaceSession } from './workspace/session';
import { isInside } from './workspace/paths';
import { DEFAULT_KUSTOMIZE_OPTIONS, type KustomizeOptions } from './kustomize/buildRoot';
import { worldsOf } from './kustomize/kustomizeSource';
import type { KustomizeWorlds } from './kustomize/kustomizeWorlds';

declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

const USAGE = `Usage: port-lens check [PATH…] [--format text|json|sarif] [--fix] [--no-helm] [--no-kustomize] [--no-cache]
       port-lens explain --from SOURCE --to DEST [--root ROOT] [--format text|json] [PATH…]
       port-lens map [PATH…] [--namespace NS] [--root ROOT] [--format mermaid|dot|html|json]

Checks the Kubernetes manifests under each PATH (default: .) for NetworkPolicy and Service
ports that match no pod port. Helm charts (folders with a Chart.yaml) are rendered with
\`helm template\` and reported on their template lines; Kustomize roots (kustomizations no
other one uses) are built with \`kubectl kustomize\` and reported on the base or patch line
that wrote the value. Exit 0: no warning or error; 1: at
least one; 2: usage or I/O error.

  --format text|json|sarif   output format (default: text)
  --fix                      apply every preferred fix in place, then report what is left
  --no-helm                  do not render Helm charts
  --helm PATH                the helm executable (default: helm on the PATH)
  --values FILE              a values file for every chart, after its values.yaml (repeatable)
  --release NAME             the release name (default: release)
  --namespace NS             the release namespace (default: default)
  --chart-namespace DIR=NS   the release namespace of the chart in DIR alone (repeatable)
  --helm-timeout SECONDS     stop a chart's rendering after this long (default: 10)
  --no-kustomize             do not build Kustomize roots (the files they read are not checked)
  --kubectl PATH             the kubectl (or kustomize) executable (default: kubectl on the PATH)
  --kustomize-timeout SECONDS  stop a root's build after this long (default: 10)
  --enable-helm              let Kustomize inflate helmCharts (may download charts)
  --no-cache                 parse every file; without it, files read before are taken from
                             the cache in $XDG_CACHE_HOME/k8s-port-lens (~/.cache/k8s-port-lens)
  -h, --help                 show this help
  --version                  print the version

"port-lens explain --help" describes explain, "port-lens map --help" the port map.`;

class UsageError extends Error {}

interface CheckOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  /** Undefined: charts are not rendered. */
  helm: HelmOptions | undefined;
  /** Undefined: Kustomize roots are not built. */
  kustomize: KustomizeOptions | undefined;
  /** Take the models of files read before from the cache. */
  cache: boolean;
}

/** The Helm options `check` and `explain` share. */
const HELM_ARGS = {
  'no-helm': { type: 'boolean', default: false },
  helm: { type: 'string' },
  values: { type: 'string', multiple: true, default: [] as string[] },
  release: { type: 'string' },
  namespace: { type: 'string' },
  'chart-namespace': { type: 'string', multiple: true, default: [] as string[] },
  'helm-timeout': { type: 'string' },
} as const;

/** The Kustomize options `check` and `explain` share. */
const KUSTOMIZE_ARGS = {
  'no-kustomize': { type: 'boolean', default: false },
  kubectl: { type: 'string' },
  'kustomize-timeout': { type: 'string' },
  'enable-helm': { type: 'boolean', default: false },
} as const;

function kustomizeOptionsOf(values: Record<string, unknown>): KustomizeOptions | undefined {
  const timeout =
    values['kustomize-timeout'] === undefined ? DEFAULT_KUSTOMIZE_OPTIONS.timeoutSeconds : Number(values['kustomize-timeout']);
  if (!(timeout > 0)) throw new UsageError(`--kustomize-timeout must be a number of seconds above 0`);
  if (values['no-kustomize']) return undefined;
  const given = values.kubectl as string | undefined;
  // The build runs in a temporary folder: a relative path is the current directory's.
  const executable = given && /[/\\]/.test(given) ? path.resolve(given) : given;
  return { path: executable ?? DEFAULT_KUSTOMIZE_OPTIONS.path, timeoutSeconds: timeout, enableHelm: values['enable-helm'] as boolean };
}

/** `--no-cache`, for check and explain. */
const CACHE_ARGS = { 'no-cache': { type: 'boolean', default: false } } as const;

function parseCheckArgs(args: string[]): CheckOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      fix: { type: 'boolean', default: false },
      ...HELM_ARGS,
      ...KUSTOMIZE_ARGS,
      ...CACHE_ARGS,
    },
  });
  const format = values.format as string;
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError(`unknown format "${format}" (text, json or sarif)`);
  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    fix: values.fix as boolean,
    helm: helmOptionsOf(values),
    kustomize: kustomizeOptionsOf(values),
    cache: !values['no-cache'],
  };
}

function helmOptionsOf(values: Record<string, unknown>): HelmOptions | undefined {
  const timeout = values['helm-timeout'] === undefined ? DEFAULT_HELM_OPTIONS.timeoutSeconds : Number(values['helm-timeout']);
  if (!(timeout > 0)) throw new UsageError(`--helm-timeout must be a number of seconds above 0`);
  for (const file of values.values as string[]) if (!existsSync(file)) throw new IoError(`${file}: no such values file`);
  const helm: HelmOptions = {
    path: (values.helm as string | undefined) ?? DEFAULT_HELM_OPTIONS.path,
    releaseName: (values.release as string | undefined) ?? DEFAULT_HELM_OPTIONS.releaseName,
    namespace: (values.namespace as string | undefined) ?? DEFAULT_HELM_OPTIONS.namespace,
    valuesFiles: (values.values as string[]).map((f) => path.resolve(f)),
    timeoutSeconds: timeout,
  };
  // --chart-namespace CHART_DIR=NAMESPACE, one per chart: that chart's own release namespace.
  for (const pair of values['chart-namespace'] as string[]) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--chart-namespace wants CHART_DIR=NAMESPACE, not "${pair}"`);
    helm.charts = { ...helm.charts, [path.resolve(pair.slice(0, at))]: { namespace: pair.slice(at + 1) } };
  }
  return values['no-helm'] ? undefined : helm;
}

interface Loaded {
  lens: PortLens;
  /** The Kustomize roots' worlds (none when roots are not built). */
  worlds: KustomizeWorlds | undefined;
  findings: Finding[];
  /** Every root the checked files and charts lie under: edits never leave them. */
  roots: string[];
  notes: string[];
}

/**
 * Reads the manifests, renders the charts and builds the Kustomize roots under `paths` through the
 * workspace session, and analyses them.
 */
async function analyse(options: Pick<CheckOptions, 'paths' | 'helm' | 'kustomize' | 'cache'>): Promise<Loaded> {
  for (const p of options.paths) {
    try {
      await fs.stat(p);
    } catch {
      throw new IoError(`${p}: no such file or directory`);
    }
  }
  const notes: string[] = [];
  const roots = options.paths.map((p) => path.resolve(p));
  // Notes name a file as the scan found it: relative when the path given was.
  const shown = (file: string) => {
    const i = roots.findIndex((root) => isInside(root, file));
    return i >= 0 && !path.isAbsolute(options.paths[i]) ? path.relative(process.cwd(), file) : file;
  };
  const session = new WorkspaceSession({
    openCache: options.cache ? (folders) => ModelCache.open(defaultCacheFolder(), folders) : undefined,
    log: (message) => notes.push(message),
    skipped: (file, reason) => notes.push(`skipped ${shown(file)}: ${reason}`),
  });
  const helm = options.helm ?? { off: '--no-helm' };
  const kustomize = options.kustomize ?? { off: '--no-kustomize' };
  const report = await session.scan(roots.map((root) => ({ path: root, files: DEFAULT_SCAN_OPTIONS, helm, kustomize })));
  await report.saveCache().catch((error: Error) => notes.push(`the cache could not be written: ${error.message}`));
  return { lens: session.lens, worlds: worldsOf(session.sources), findings: session.allFindings(), roots, notes };
}

class IoError extends Error {}

async function check(options: CheckOptions): Promise<number> {
  const analysis = await analyse(options);
  const { roots } = analysis;
  let { findings, notes } = analysis;
  if (options.fix && (await applyFixes(findings, roots, notes)) > 0) ({ findings, notes } = await analyse(options));
  const cwd = process.cwd();
  for (const note of notes) process.stderr.write(`port-lens: ${note}\n`);
  const output =
    options.format === 'json'
      ? formatJson(findings, cwd)
      : options.format === 'sarif'
        ? formatSarif(findings, cwd, VERSION)
        : formatText(findings, cwd);
  process.stdout.write(output + '\n');
  return findings.some(isProblem) ? 1 : 0;
}

/** Writes every preferred fix into its file (templates and values files too); returns how many files changed. */
async function applyFixes(findings: Finding[], roots: string[], notes: string[]): Promise<number> {
  let fixed = 0;
  for (const [uri, edits] of preferredEdits(findings)) {
    const file = URI.parse(uri).fsPath;
    if (!roots.some((root) => isInside(root, file))) {
      notes.push(`not fixed: ${file} lies outside the checked paths`);
      continue;
    }
    const read = readManifestText(file);
    if (!read || 'error' in read) continue;
    const text = applyEdits(read.text, edits);
    if (text === read.text) continue;
    await fs.writeFile(file, (read.bom ? '\ufeff' : '') + text);
    fixed++;
  }
  return fixed;
}

/** The world of the Kustomize root `--root` names, and where its findings lie in the user's files. */
function rootWorld(worlds: KustomizeWorlds | undefined, root: string, usageError: new (message: string) => Error) {
  const world = worlds?.world(root);
  if (!worlds || !world) {
    const names = worlds?.roots().map((r) => r.name) ?? [];
    const known = names.length > 0 ? `the roots are ${names.join(', ')}` : 'no Kustomize root was built';
    throw new usageError(`--root ${root}: no such Kustomize root (${known})`);
  }
  return { world, relocate: (uri: string, range: Range) => worlds.relocate(uri, range) };
}

async function explainCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...EXPLAIN_ARGS, ...HELM_ARGS, ...KUSTOMIZE_ARGS, ...CACHE_ARGS },
  });
  const options = explainOptionsOf(values, positionals);
  const kustomizeOptions = kustomizeOptionsOf(values);
  const { lens, worlds, findings, notes } = await analyse({
    paths: options.paths,
    helm: helmOptionsOf(values),
    kustomize: kustomizeOptions,
    cache: !values['no-cache'],
  });
  for (const note of notes) process.stderr.write(`port-lens: ${note}\n`);
  if (options.root) {
    const { world, relocate } = rootWorld(worlds, options.root, ExplainUsageError);
    const { output, code } = runExplain(world.index, world.allFindings(), options, process.cwd(), relocate);
    process.stdout.write(output + '\n');
    return code;
  }
  const { output, code } = runExplain(lens.index, findings, options, process.cwd());
  process.stdout.write(output + '\n');
  return code;
}

async function mapCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...MAP_ARGS, ...HELM_ARGS, ...KUSTOMIZE_ARGS, ...CACHE_ARGS },
  });
  const options = mapOptionsOf(values, positionals);
  // --namespace names the namespace drawn, and the release namespace of the charts rendered for it.
  // Kustomize roots are worlds of their own: without --root the map draws the plain manifests (and charts).
  const kustomize = options.root ? kustomizeOptionsOf(values) : undefined;
  const { lens, worlds, findings, notes } = await analyse({
    paths: options.paths,
    helm: helmOptionsOf(values),
    kustomize,
    cache: !values['no-cache'],
  });
  for (const note of notes) process.stderr.write(`port-lens: ${note}\n`);
  if (options.root) {
    const { world, relocate } = rootWorld(worlds, options.root, MapUsageError);
    const worldFindings = world.allFindings();
    process.stdout.write(runMap(world.index, (uri) => worldFindings.filter((f) => f.uri === uri), options, process.cwd(), relocate) + '\n');
    return 0;
  }
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) byFile.set(finding.uri, [...(byFile.get(finding.uri) ?? []), finding]);
  process.stdout.write(runMap(lens.index, (uri) => byFile.get(uri) ?? [], options, process.cwd()) + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (command === '--version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    if (command !== 'check' && command !== 'explain' && command !== 'map') throw new UsageError(`unknown command "${command}"`);
    if (rest.includes('-h') || rest.includes('--help')) {
      process.stdout.write((command === 'explain' ? EXPLAIN_USAGE : command === 'map' ? MAP_USAGE : USAGE) + '\n');
      return 0;
    }
    if (command === 'explain') return await explainCommand(rest);
    if (command === 'map') return await mapCommand(rest);
    return await check(parseCheckArgs(rest));
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      error instanceof ExplainUsageError ||
      error instanceof MapUsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`port-lens: ${(error as Error).message}\n`);
    if (usage) process.stderr.write(`Run "port-lens --help" for usage.\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
