/**
 * `npm run bench`: generates workspaces of 1 000 and 10 000 files under the system's temporary
 * folder and measures, each in its own process, the floors (read only; yaml.parseAllDocuments),
 * the language server over stdio (cold index, warm start from its cache, edit → publish latency,
 * peak RSS) and the CLI; prints the ratios against the targets and writes docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, type ClientCapabilities, type Diagnostic } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { TestClient } from '../protocol/lspClient';
import { generateWorkspace, type GeneratedWorkspace, type Planted } from './generate';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const EDITS = 200;
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
  peakRssMb: number;
  cliColdMs: number;
  cliWarmMs: number;
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
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'floor.ts'), mode, root], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`floor ${mode} failed: ${out.stderr}`);
  return JSON.parse(out.stdout).ms;
}

function runCli(root: string, cacheHome: string, ws: GeneratedWorkspace): number {
  const started = performance.now();
  const out = spawnSync(process.execPath, [CLI, 'check', root, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome }, maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  const problems = (JSON.parse(out.stdout) as Array<{ severity: string }>).filter((f) => f.severity !== 'information').length;
  if (out.status !== 1 || problems !== ws.planted.length) throw new Error(`CLI: exit ${out.status}, ${problems} problems, ${ws.planted.length} planted\n${out.stderr}`);
  return ms;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function bench(files: number): Promise<Result> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `port-lens-bench-${files}-`));
  const root = path.join(dir, 'workspace');
  const cacheFolder = path.join(dir, 'server-cache');
  const cacheHome = path.join(dir, 'xdg-cache');
  try {
    log(`${files} files: generating in ${root}`);
    const ws = generateWorkspace(root, files);
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
    result.peakRssMb = cold.peakRssMb();
    log(`  edits p50 ${fmt(edits.editP50)} p95 ${fmt(edits.editP95)} max ${fmt(edits.editMax)} ms; dependency p50 ${fmt(edits.dependencyP50)} max ${fmt(edits.dependencyMax)} ms; peak RSS ${fmt(result.peakRssMb)} MB`);
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
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') } });
  };
  for (const p of targets) await open(p.file);
  await open(ws.dependency.file);
  await sleep(500);

  const change = async (file: string, line: number, character: number, from: string, to: string, done: () => boolean): Promise<number> => {
    const version = versions.get(file)! + 1;
    versions.set(file, version);
    const started = performance.now();
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: uriOf(file), version },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: character + from.length } }, text: to }],
    });
    await client.until(done, `publish after an edit of ${file}`);
    return performance.now() - started;
  };

  const latencies: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const p = targets[Math.floor(i / 2) % targets.length];
    const fixing = i % 2 === 0;
    latencies.push(await change(p.file, p.line, p.character, fixing ? p.wrong : p.right, fixing ? p.right : p.wrong, () => hasPlanted(client, p) !== fixing));
    await sleep(20);
  }

  const dep = ws.dependency;
  const warned = (file: string) => (client.diagnostics.get(uriOf(file)) ?? []).some(isProblem);
  const dependency: number[] = [];
  for (let i = 0; i < 10; i++) {
    dependency.push(await change(dep.file, dep.line, dep.character, dep.name, dep.renamed, () => dep.dependents.every(warned)));
    await sleep(20);
    dependency.push(await change(dep.file, dep.line, dep.character, dep.renamed, dep.name, () => !dep.dependents.some(warned)));
    await sleep(20);
  }
  return {
    editP50: percentile(latencies, 50),
    editP95: percentile(latencies, 95),
    editMax: Math.max(...latencies),
    dependencyP50: percentile(dependency, 50),
    dependencyMax: Math.max(...dependency),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await sleep(100);
}
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const log = (line: string) => process.stdout.write(line + '\n');

interface Target {
  what: string;
  value: (r: Record<number, Result>) => number;
  limit: number;
  unit: string;
}

function report(results: Record<number, Result>, sizes: number[]): string {
  const large = sizes.at(-1)!;
  const small = sizes[0];
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
    ['server: warm start from its cache (ms)', (r) => fmt(r.warmMs)],
    ['edit → publish p50 / p95 / max (ms)', (r) => `${fmt(r.editP50)} / ${fmt(r.editP95)} / ${fmt(r.editMax)}`],
    ['Deployment port rename → 6 files re-published, p50 / max (ms)', (r) => `${fmt(r.dependencyP50)} / ${fmt(r.dependencyMax)}`],
    ['server peak RSS: cold + edits / warm (MB)', (r) => `${fmt(r.peakRssMb)} / ${fmt(r.warmRssMb)}`],
    ['CLI: cold / with its cache (ms)', (r) => `${fmt(r.cliColdMs)} / ${fmt(r.cliWarmMs)}`],
  ];
  const header = `| | ${sizes.map((n) => `${n} files`).join(' | ')} |\n| --- | ${sizes.map(() => '---:').join(' | ')} |`;
  const table = [header, ...rows.map(([name, get]) => `| ${name} | ${sizes.map((n) => get(results[n])).join(' | ')} |`)].join('\n');

  const targets: Target[] = [
    { what: `cold index / parseAllDocuments floor (${large})`, value: (r) => r[large].coldMs / r[large].parseFloorMs, limit: 0.15, unit: '×' },
    { what: `for comparison: cold index / the same floor with yaml's browser build (${large})`, value: (r) => r[large].coldMs / r[large].parseBrowserFloorMs, limit: 0.15, unit: '×' },
    { what: `warm start / read-only floor (${large})`, value: (r) => r[large].warmMs / r[large].readFloorMs, limit: 3, unit: '×' },
    { what: `edit → publish p95 (${large})`, value: (r) => r[large].editP95, limit: 50, unit: 'ms' },
    { what: `peak RSS (${large})`, value: (r) => r[large].peakRssMb, limit: 300, unit: 'MB' },
  ];
  if (small !== large) {
    const scale = (what: string, get: (r: Result) => number) => targets.push({ what: `${what}: ${large} / ${small} files`, value: (r) => get(r[large]) / get(r[small]), limit: (11 * large) / small / 10, unit: '×' });
    scale('cold index', (r) => r.coldMs);
    scale('warm start', (r) => r.warmMs);
    scale('edit p95', (r) => r.editP95);
    scale('peak RSS', (r) => r.peakRssMb);
    scale('CLI cold', (r) => r.cliColdMs);
  }
  const lines = targets.map((t) => {
    const value = t.value(results);
    return `| ${t.what} | ${value.toFixed(t.unit === '×' ? 3 : 1)} ${t.unit} | ≤ ${t.limit} ${t.unit} | ${value <= t.limit ? 'met' : `**missed** by ${(value / t.limit).toFixed(2)}×`} |`;
  });
  return `${table}\n\n| target | measured | limit | |\n| --- | ---: | ---: | --- |\n${lines.join('\n')}\n`;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}; load average when the run started ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`;
}

async function main(): Promise<void> {
  const sizes = SIZES.length > 0 ? SIZES : [1000, 10000];
  const where = machine();
  log(`machine: ${where}`);
  const results: Record<number, Result> = {};
  for (const n of sizes) results[n] = await bench(n);
  const text = report(results, sizes);
  log('\n' + text);
  if (SIZES.length === 0) {
    const docs = path.join(ROOT, 'docs/benchmarks.md');
    const before = existsSync(docs) ? readFileSync(docs, 'utf8') : '';
    const marker = '<!-- bench:results -->';
    const results = `${marker}\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${where}.\n\n${text}${marker}`;
    const updated = before.includes(marker) ? before.replace(new RegExp(`${marker}[\\s\\S]*${marker}`), results) : `${before}\n${results}\n`;
    writeFileSync(docs, updated);
    log(`written to ${path.relative(process.cwd(), docs)}`);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
