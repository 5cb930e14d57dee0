/**
 * `npm run bench`: generates workspaces of both profiles (`current`, `port-heavy`) at 1 000,
 * 10 000 and 50 000 files under the system's temporary folder and measures, each in its own
 * process, the floors (read only; yaml.parseAllDocuments), the language server over stdio (cold
 * index, warm start from its cache, edit → publish latency, code lens and hover, peak RSS) and the
 * CLI; prints the ratios against the targets and, when every profile and size ran, writes
 * docs/benchmarks.md. A subset: `npm run bench -- 1000 10000` (sizes), BENCH_PROFILES=port-heavy,
 * BENCH_QUICK=1 (no comparison floors, no CLI). Then the Kustomize section (test/bench/kustomize.ts;
 * BENCH_KUSTOMIZE=0 leaves it out).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  type ClientCapabilities,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { TestClient } from '../protocol/lspClient';
import { generateProfile, PROFILES, type Dependency, type GeneratedWorkspace, type Planted, type Position, type Profile } from './generate';
import { mapLatencies, type MapTimes } from './map';
import { kustomizeBench } from './kustomize';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const DEFAULT_SIZES = [1000, 10000, 50000];
const SELECTED_PROFILES = process.env.BENCH_PROFILES?.split(',').filter((p): p is Profile => PROFILES.includes(p as Profile)) ?? [];
const QUICK = process.env.BENCH_QUICK === '1';
const EDITS = 200;
const LENS_REQUESTS = 40;
const TIMEOUT_MS = 10 * 60 * 1000;

interface Result {
  files: number;
  megabytes: number;
  readShare: number;
  planted: number;
  readFloorMs: number;
  parseFloorMs: number;
  parseBrowserFloorMs: number;
  prefilterMs: number;
  coldMs: number;
  coldRssMb: number;
  warmMs: number;
  warmRssMb: number;
  editP50: number;
  editP95: number;
  editMax: number;
  dependencyP50: number;
  dependencyMax: number;
  referencesP50: number;
  referencesP95: number;
  referencesMax: number;
  peakRssMb: number;
  mapRssMb: number;
  cliColdMs: number;
  cliWarmMs: number;
  codeLensP95: number;
  hoverP95: number;
  map: MapTimes;
}

/** What an editor would announce, less what the benchmark does not measure. */
const BENCH_CAPABILITIES: ClientCapabilities = { workspace: { configuration: true }, window: { workDoneProgress: true } };
const uriOf = (file: string) => URI.file(file).toString();
const isProblem = (d: Diagnostic) => d.severity !== undefined && d.severity <= 2;
const hasPlanted = (client: TestClient, p: Planted) =>
  (client.diagnostics.get(uriOf(p.file)) ?? []).some((d) => isProblem(d) && d.code === p.code && d.range.start.line === p.line);

/** Every planted mistake is published, and no other warning or error. */
function allPlantedPublished(client: TestClient, ws: GeneratedWorkspace): boolean {
  if (!client.ready || !ws.planted.every((p) => hasPlanted(client, p))) return false;
  const problems = [...client.diagnostics.values()].reduce((n, ds) => n + ds.filter(isProblem).length, 0);
  if (problems !== ws.planted.length) throw new Error(`${problems} warnings and errors published, ${ws.planted.length} planted`);
  return true;
}

function runFloor(mode: 'read' | 'parse' | 'parse-browser' | 'prefilter', root: string): number {
  if (QUICK && (mode === 'parse-browser' || mode === 'prefilter')) return NaN;
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'floor.ts'), mode, root], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (out.status !== 0) throw new Error(`floor ${mode} failed: ${out.stderr}`);
  return JSON.parse(out.stdout).ms;
}

function runCli(root: string, cacheHome: string, ws: GeneratedWorkspace): number {
  if (QUICK) return NaN;
  const started = performance.now();
  const out = spawnSync(process.execPath, [CLI, 'check', root, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - started;
  const problems = (JSON.parse(out.stdout) as Array<{ severity: string }>).filter((f) => f.severity !== 'information').length;
  if (out.status !== 1 || problems !== ws.planted.length)
    throw new Error(`CLI: exit ${out.status}, ${problems} problems, ${ws.planted.length} planted\n${out.stderr}`);
  return ms;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function bench(profile: Profile, files: number): Promise<Result> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `port-lens-bench-${profile}-${files}-`));
  const root = path.join(dir, 'workspace');
  const cacheFolder = path.join(dir, 'server-cache');
  const cacheHome = path.join(dir, 'xdg-cache');
  try {
    log(`${profile}, ${files} files: generating in ${root}`);
    const ws = generateProfile(profile, root, files);
    const result: Partial<Result> = { files, megabytes: ws.bytes / 1e6, readShare: ws.readBytes / ws.bytes, planted: ws.planted.length };

    result.readFloorMs = runFloor('read', root);
    log(`  read floor ${fmt(result.readFloorMs)} ms`);
    result.parseFloorMs = runFloor('parse', root);
    log(`  parseAllDocuments floor ${fmt(result.parseFloorMs)} ms`);
    result.parseBrowserFloorMs = runFloor('parse-browser', root);
    log(`  parseAllDocuments floor, yaml's browser build ${fmt(result.parseBrowserFloorMs)} ms`);
    result.prefilterMs = runFloor('prefilter', root);
    log(`  read + parseManifests (prefilter) on one thread ${fmt(result.prefilterMs)} ms`);

    // Cold: an empty cache folder.
    let started = performance.now();
    const cold = new TestClient({ timeoutMs: TIMEOUT_MS });
    await cold.initialize(root, BENCH_CAPABILITIES, { cacheFolder });
    await cold.until(() => allPlantedPublished(cold, ws), 'every planted mistake (cold)');
    result.coldMs = performance.now() - started;
    result.coldRssMb = cold.peakRssMb();
    log(`  cold index ${fmt(result.coldMs)} ms, RSS ${fmt(result.coldRssMb)} MB (${cold.logs.find((l) => l.startsWith('indexed'))})`);

    const edits = await editLatencies(cold, ws);
    Object.assign(result, edits);
    Object.assign(result, await lensLatencies(cold, ws));
    log(`  code lens p95 ${fmt(result.codeLensP95!)} ms, hover p95 ${fmt(result.hoverP95!)} ms (a Service of 20 ports)`);
    // The index, edits, code lens and hover; the port maps (a feature of their own) are measured after.
    result.peakRssMb = cold.peakRssMb();
    result.map = await mapLatencies(cold);
    result.mapRssMb = cold.peakRssMb();
    log(
      `  Ports view first level p50 ${fmt(result.map.treeP50)} max ${fmt(result.map.treeMax)} ms; a namespace's map p50 ${fmt(result.map.mapP50)} max ${fmt(result.map.mapMax)} ms (largest: ${result.map.largest})`,
    );
    log(
      `  edits p50 ${fmt(edits.editP50)} p95 ${fmt(edits.editP95)} max ${fmt(edits.editMax)} ms; dependency p50 ${fmt(edits.dependencyP50)} max ${fmt(edits.dependencyMax)} ms; Service port → Ingress/route/monitor p50 ${fmt(edits.referencesP50)} p95 ${fmt(edits.referencesP95)} max ${fmt(edits.referencesMax)} ms; peak RSS ${fmt(result.peakRssMb)} MB, ${fmt(result.mapRssMb!)} MB after the port maps`,
    );
    await cold.stop();
    await waitFor(() => existsSync(cacheFolder) && readdirSync(cacheFolder).some((f) => f.endsWith('.bin')));

    started = performance.now();
    const warm = new TestClient({ timeoutMs: TIMEOUT_MS });
    await warm.initialize(root, BENCH_CAPABILITIES, { cacheFolder });
    await warm.until(() => allPlantedPublished(warm, ws), 'every planted mistake (warm)');
    result.warmMs = performance.now() - started;
    result.warmRssMb = warm.peakRssMb();
    log(`  warm start ${fmt(result.warmMs)} ms, RSS ${fmt(result.warmRssMb)} MB (${warm.logs.find((l) => l.startsWith('indexed'))})`);
    await warm.stop();

    result.cliColdMs = runCli(root, cacheHome, ws);
    result.cliWarmMs = runCli(root, cacheHome, ws);
    log(`  CLI ${fmt(result.cliColdMs)} ms cold, ${fmt(result.cliWarmMs)} ms with its cache`);
    return result as Result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fixes and re-breaks planted ports in open documents, then renames a port many policies use. */
async function editLatencies(client: TestClient, ws: GeneratedWorkspace) {
  const targets = ws.planted.filter((p) => p.wrong !== p.right).slice(0, EDITS / 2);
  const versions = new Map<string, number>();
  const open = async (file: string) => {
    if (versions.has(file)) return;
    versions.set(file, 1);
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') },
    });
  };
  for (const p of targets) await open(p.file);
  await sleep(500);

  const change = async (file: string, start: Position, from: string, to: string, done: () => boolean): Promise<number> => {
    const version = versions.get(file)! + 1;
    versions.set(file, version);
    const started = performance.now();
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [{ range: { start, end: endOf(start, from) }, text: to }],
    });
    await client.until(done, `publish after an edit of ${file}`);
    return performance.now() - started;
  };

  const latencies: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const p = targets[Math.floor(i / 2) % targets.length];
    const fixing = i % 2 === 0;
    latencies.push(
      await change(
        p.file,
        { line: p.line, character: p.character },
        fixing ? p.wrong : p.right,
        fixing ? p.right : p.wrong,
        () => hasPlanted(client, p) !== fixing,
      ),
    );
    await sleep(20);
  }

  const warned = (file: string) => (client.diagnostics.get(uriOf(file)) ?? []).some(isProblem);
  const renames = async (dep: Dependency): Promise<number[]> => {
    await open(dep.file);
    await sleep(200);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      times.push(await change(dep.file, dep.start, dep.text, dep.renamed, () => dep.dependents.every(warned)));
      await sleep(20);
      times.push(await change(dep.file, dep.start, dep.renamed, dep.text, () => !dep.dependents.some(warned)));
      await sleep(20);
    }
    return times;
  };
  const dependency = await renames(ws.dependency);
  const references = await renames(ws.serviceDependency);
  return {
    editP50: percentile(latencies, 50),
    editP95: percentile(latencies, 95),
    editMax: Math.max(...latencies),
    dependencyP50: percentile(dependency, 50),
    dependencyMax: Math.max(...dependency),
    referencesP50: percentile(references, 50),
    referencesP95: percentile(references, 95),
    referencesMax: Math.max(...references),
  };
}

/** Where `text` ends when it is written at `start`. */
function endOf(start: Position, text: string): Position {
  const lines = text.split('\n');
  return lines.length === 1
    ? { line: start.line, character: start.character + text.length }
    : { line: start.line + lines.length - 1, character: lines.at(-1)!.length };
}

/** Code lens and hover on the file whose Service has 20 ports, as an editor asks for them after each change. */
async function lensLatencies(client: TestClient, ws: GeneratedWorkspace) {
  const uri = uriOf(ws.lens.file);
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(ws.lens.file, 'utf8') },
  });
  await sleep(200);
  const lens: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < LENS_REQUESTS; i++) {
    let started = performance.now();
    const lenses = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    lens.push(performance.now() - started);
    // One lens per Service port, or one for the Service when all its ports share the verdict.
    if (lenses.length === 0 || lenses.length > ws.lens.ports.length)
      throw new Error(`${lenses.length} code lenses on ${ws.lens.file}, ${ws.lens.ports.length} Service ports`);
    started = performance.now();
    const result = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: ws.lens.ports[i % ws.lens.ports.length],
    });
    hover.push(performance.now() - started);
    if (!result) throw new Error(`no hover on a Service port of ${ws.lens.file}`);
  }
  return { codeLensP95: percentile(lens, 95), hoverP95: percentile(hover, 95) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await sleep(100);
}
const fmt = (n: number) => (Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const log = (line: string) => process.stdout.write(line + '\n');

interface Target {
  what: string;
  value: number;
  limit: number;
  unit: string;
}

function report(profile: Profile, results: Record<number, Result>, sizes: number[]): string {
  const rows: Array<[string, (r: Result) => string]> = [
    ['files', (r) => String(r.files)],
    ['megabytes', (r) => r.megabytes.toFixed(1)],
    ['bytes in documents the analysis reads', (r) => `${(r.readShare * 100).toFixed(1)} %`],
    ['planted mistakes', (r) => String(r.planted)],
    ['floor: read only (ms)', (r) => fmt(r.readFloorMs)],
    ['floor: yaml.parseAllDocuments (ms)', (r) => fmt(r.parseFloorMs)],
    ["for comparison: the same with yaml's browser build, which the bundles use (ms)", (r) => fmt(r.parseBrowserFloorMs)],
    ["for comparison: read + prefiltered, blanked parse on one thread, yaml's Node build, no index (ms)", (r) => fmt(r.prefilterMs)],
    ['server: cold index → every planted mistake published (ms)', (r) => fmt(r.coldMs)],
    ['cold index / parseAllDocuments floor', (r) => `${(r.coldMs / r.parseFloorMs).toFixed(3)} ×`],
    ['server: warm start from its cache (ms)', (r) => fmt(r.warmMs)],
    ['edit → publish p50 / p95 / max (ms)', (r) => `${fmt(r.editP50)} / ${fmt(r.editP95)} / ${fmt(r.editMax)}`],
    ['Deployment port rename → 6 files re-published, p50 / max (ms)', (r) => `${fmt(r.dependencyP50)} / ${fmt(r.dependencyMax)}`],
    [
      'Service port renamed → its Ingress, HTTPRoute and ServiceMonitor re-published, p50 / p95 / max (ms)',
      (r) => `${fmt(r.referencesP50)} / ${fmt(r.referencesP95)} / ${fmt(r.referencesMax)}`,
    ],
    ['code lens / hover p95, a Service of 20 ports (ms)', (r) => `${fmt(r.codeLensP95)} / ${fmt(r.hoverP95)}`],
    ['server peak RSS: cold + edits + code lens / warm (MB)', (r) => `${fmt(r.peakRssMb)} / ${fmt(r.warmRssMb)}`],
    ['server peak RSS after the port maps of the 20 largest namespaces (MB)', (r) => fmt(r.mapRssMb)],
    ['CLI: cold / with its cache (ms)', (r) => `${fmt(r.cliColdMs)} / ${fmt(r.cliWarmMs)}`],
    ['Ports view first level (portLens/mapNamespaces) p50 / max (ms)', (r) => `${fmt(r.map.treeP50)} / ${fmt(r.map.treeMax)}`],
    ["a namespace's port map (portLens/map, the 20 largest) p50 / max (ms)", (r) => `${fmt(r.map.mapP50)} / ${fmt(r.map.mapMax)}`],
  ];
  const header = `| ${profile} | ${sizes.map((n) => `${n} files`).join(' | ')} |\n| --- | ${sizes.map(() => '---:').join(' | ')} |`;
  const table = [header, ...rows.map(([name, get]) => `| ${name} | ${sizes.map((n) => get(results[n])).join(' | ')} |`)].join('\n');

  const targets: Target[] = [];
  const main = sizes.includes(10000) ? 10000 : sizes.at(-1)!;
  const r = results[main];
  targets.push(
    { what: `cold index / parseAllDocuments floor (${main})`, value: r.coldMs / r.parseFloorMs, limit: 0.15, unit: '×' },
    { what: `warm start / read-only floor (${main})`, value: r.warmMs / r.readFloorMs, limit: 3, unit: '×' },
    { what: `edit → publish p95 (${main})`, value: r.editP95, limit: 50, unit: 'ms' },
    { what: `Service port rename → Ingress, route, monitor p95 (${main})`, value: r.referencesP95, limit: 50, unit: 'ms' },
    { what: `code lens p95, a Service of 20 ports (${main})`, value: r.codeLensP95, limit: 50, unit: 'ms' },
    { what: `hover p95, a Service of 20 ports (${main})`, value: r.hoverP95, limit: 50, unit: 'ms' },
    { what: `peak RSS (${main})`, value: r.peakRssMb, limit: 300, unit: 'MB' },
    { what: `Ports view first level, max (${main})`, value: r.map.treeMax, limit: 50, unit: 'ms' },
    { what: `a namespace's port map, max (${main})`, value: r.map.mapMax, limit: 1000, unit: 'ms' },
  );
  const growth = (small: number, large: number, limit: number, what: string, get: (r: Result) => number) => {
    if (results[small] && results[large])
      targets.push({ what: `${what}: ${large} / ${small} files`, value: get(results[large]) / get(results[small]), limit, unit: '×' });
  };
  for (const [small, large, limit] of [
    [1000, 10000, 11],
    [10000, 50000, 5.5],
  ]) {
    growth(small, large, limit, 'cold index', (x) => x.coldMs);
    growth(small, large, limit, 'peak RSS', (x) => x.peakRssMb);
    growth(small, large, limit, 'warm start', (x) => x.warmMs);
    // Edit latency must not grow with the workspace: 1.5× leaves room for the noise of a shared machine.
    growth(small, large, 1.5, 'edit p95', (x) => x.editP95);
  }
  const lines = targets.map((t) => {
    const verdict = Number.isNaN(t.value)
      ? 'not measured'
      : t.value <= t.limit
        ? 'met'
        : `**missed** by ${(t.value / t.limit).toFixed(2)}×`;
    return `| ${t.what} | ${t.value.toFixed(t.unit === '×' ? 3 : 1)} ${t.unit} | ≤ ${t.limit} ${t.unit} | ${verdict} |`;
  });
  return `${table}\n\n| ${profile}: target | measured | limit | |\n| --- | ---: | ---: | --- |\n${lines.join('\n')}\n`;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average when the run started ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
}

async function main(): Promise<void> {
  const sizes = SIZES.length > 0 ? SIZES : DEFAULT_SIZES;
  const profiles = SELECTED_PROFILES.length > 0 ? SELECTED_PROFILES : PROFILES;
  const where = machine();
  log(`machine: ${where}`);
  const tables: string[] = [];
  for (const profile of profiles) {
    const results: Record<number, Result> = {};
    for (const n of sizes) results[n] = await bench(profile, n);
    const text = report(profile, results, sizes);
    log('\n' + text);
    tables.push(text);
  }
  if (process.env.BENCH_KUSTOMIZE !== '0') tables.push(await kustomizeBench(log));
  if (SIZES.length === 0 && SELECTED_PROFILES.length === 0 && !QUICK) {
    const docs = path.join(ROOT, 'docs/benchmarks.md');
    const before = existsSync(docs) ? readFileSync(docs, 'utf8') : '';
    const marker = '<!-- bench:results -->';
    const results = `${marker}\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${where}.\n\n${tables.join('\n')}${marker}`;
    const updated = before.includes(marker)
      ? before.replace(new RegExp(`${marker}[\\s\\S]*${marker}`), results)
      : `${before}\n${results}\n`;
    writeFileSync(docs, updated);
    log(`written to ${path.relative(process.cwd(), docs)}`);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
