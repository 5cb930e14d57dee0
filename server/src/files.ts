import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';

export interface ScanOptions {
  include: readonly string[];
  exclude: readonly string[];
  maxFileSize: number;
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = {
  include: ['**/*.yaml', '**/*.yml'],
  exclude: ['**/node_modules/**', '**/.git/**'],
  maxFileSize: 2 * 1024 * 1024,
};

export interface ScanResult {
  files: string[];
  /** Folders holding a Chart.yaml: read by rendering them, not file by file. */
  charts: string[];
  skipped: Array<{ path: string; reason: string }>;
}

/** Glob tests on paths relative to the scanned root, `/`-separated. */
export class FileFilter {
  constructor(private readonly options: ScanOptions) {}

  includes(relative: string): boolean {
    const p = toPosix(relative);
    return this.options.include.some((g) => minimatch(p, g, { dot: true })) && !this.options.exclude.some((g) => minimatch(p, g, { dot: true }));
  }

  /** A folder is pruned when everything below it is excluded (`**\/node_modules/**`). */
  prunes(relativeDir: string): boolean {
    const probe = `${toPosix(relativeDir)}/\0probe`;
    return this.options.exclude.some((g) => minimatch(probe, g, { dot: true }));
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/** A file of a Helm chart (a template, values, a subchart): read through rendering instead. */
export function isInChart(file: string): boolean {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'Chart.yaml'))) return true;
  }
  return false;
}

/**
 * The manifest files under the given paths: the included globs, except excluded ones and files
 * over the size limit; and the Helm charts, whose files are not read one by one. Folders reached
 * twice through links are read once; unreadable ones are reported as skipped.
 */
export async function scanPaths(paths: string[], options: ScanOptions = DEFAULT_SCAN_OPTIONS): Promise<ScanResult> {
  const result: ScanResult = { files: [], charts: [], skipped: [] };
  const seenDirs = new Set<string>();
  const filter = new FileFilter(options);

  const visitDir = async (root: string, dir: string): Promise<void> => {
    let real: string;
    let entries;
    try {
      real = await fs.realpath(dir);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      result.skipped.push({ path: dir, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
      return;
    }
    if (entries.some((e) => e.name === 'Chart.yaml' && !e.isDirectory())) {
      result.charts.push(dir);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      let stat;
      try {
        stat = entry.isSymbolicLink() ? await fs.stat(full) : entry;
      } catch {
        continue; // a dangling link
      }
      if (stat.isDirectory()) {
        if (filter.prunes(relative)) continue;
        await visitDir(root, full);
      } else if (stat.isFile() && filter.includes(relative)) {
        await addFile(full);
      }
    }
  };

  const addFile = async (file: string): Promise<void> => {
    try {
      const { size } = await fs.stat(file);
      if (size > options.maxFileSize) result.skipped.push({ path: file, reason: `larger than ${options.maxFileSize} bytes` });
      else result.files.push(file);
    } catch (error) {
      result.skipped.push({ path: file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
  };

  for (const p of paths) {
    const stat = await fs.stat(p); // a missing path is the caller's error to report
    if (stat.isDirectory()) await visitDir(p, p);
    else if (path.basename(p) === 'Chart.yaml') result.charts.push(path.dirname(p));
    else await addFile(p);
  }
  return result;
}

/** Reads a manifest file as text, or says why it cannot be one (binary content). */
export async function readManifestText(file: string): Promise<{ text: string; bom: boolean } | { error: string }> {
  const buffer = await fs.readFile(file);
  if (buffer.includes(0)) return { error: 'binary file (contains NUL bytes)' };
  const text = buffer.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff;
  return { text: bom ? text.slice(1) : text, bom };
}
