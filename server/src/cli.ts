import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { URI } from 'vscode-uri';
import { applyEdits, preferredEdits } from './analysis/applyFixes';
import { isProblem, type Finding } from './analysis/findings';
import { PortLens } from './analysis/portLens';
import { formatJson, formatText } from './cli/report';
import { formatSarif } from './cli/sarif';
import { readManifestText, scanPaths } from './files';

declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';

const USAGE = `Usage: port-lens check [PATH…] [--format text|json|sarif] [--fix] [--no-helm]

Checks the Kubernetes manifests under each PATH (default: .) for NetworkPolicy and Service
ports that match no pod port. Exit 0: no warning or error; 1: at least one; 2: usage or I/O error.

  --format text|json|sarif   output format (default: text)
  --fix                      apply every preferred fix in place, then report what is left
  --no-helm                  do not render Helm charts
  -h, --help                 show this help
  --version                  print the version`;

class UsageError extends Error {}

interface CheckOptions {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
}

function parseCheckArgs(args: string[]): CheckOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      fix: { type: 'boolean', default: false },
      'no-helm': { type: 'boolean', default: false },
    },
  });
  const format = values.format as string;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`unknown format "${format}" (text, json or sarif)`);
  return { paths: positionals.length > 0 ? positionals : ['.'], format, fix: values.fix as boolean };
}

interface LoadedFile {
  path: string;
  uri: string;
  text: string;
  bom: boolean;
}

async function load(paths: string[], lens: PortLens): Promise<{ files: Map<string, LoadedFile>; notes: string[] }> {
  for (const p of paths) {
    try {
      await fs.stat(p);
    } catch {
      throw new IoError(`${p}: no such file or directory`);
    }
  }
  const scan = await scanPaths(paths);
  const files = new Map<string, LoadedFile>();
  const notes = scan.skipped.map((s) => `skipped ${s.path}: ${s.reason}`);
  for (const file of scan.files) {
    const absolute = path.resolve(file);
    const uri = URI.file(absolute).toString();
    let read;
    try {
      read = await readManifestText(absolute);
    } catch (error) {
      notes.push(`skipped ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      continue;
    }
    if ('error' in read) {
      notes.push(`skipped ${file}: ${read.error}`);
      continue;
    }
    files.set(uri, { path: absolute, uri, text: read.text, bom: read.bom });
    lens.setFile(uri, read.text);
  }
  return { files, notes };
}

class IoError extends Error {}

async function check(options: CheckOptions): Promise<number> {
  let lens = new PortLens();
  let { files, notes } = await load(options.paths, lens);
  if (options.fix) {
    let fixed = 0;
    for (const [uri, edits] of preferredEdits(lens.allFindings())) {
      const file = files.get(uri);
      if (!file) continue;
      const text = applyEdits(file.text, edits);
      if (text === file.text) continue;
      await fs.writeFile(file.path, (file.bom ? '\ufeff' : '') + text);
      fixed++;
    }
    if (fixed > 0) {
      lens = new PortLens();
      ({ files, notes } = await load(options.paths, lens));
    }
  }
  const findings: Finding[] = lens.allFindings();
  const cwd = process.cwd();
  for (const note of notes) process.stderr.write(`port-lens: ${note}\n`);
  const output = options.format === 'json' ? formatJson(findings, cwd) : options.format === 'sarif' ? formatSarif(findings, cwd, VERSION) : formatText(findings, cwd);
  process.stdout.write(output + '\n');
  return findings.some(isProblem) ? 1 : 0;
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
    if (command !== 'check') throw new UsageError(`unknown command "${command}"`);
    if (rest.includes('-h') || rest.includes('--help')) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    return await check(parseCheckArgs(rest));
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`port-lens: ${(error as Error).message}\n`);
    if (usage) process.stderr.write(`Run "port-lens --help" for usage.\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
