import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface ScanOptions {
  /** Folder names never entered. */
  excludeDirs: ReadonlySet<string>;
  maxFileSize: number;
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = {
  excludeDirs: new Set(['node_modules', '.git']),
  maxFileSize: 2 * 1024 * 1024,
};

export interface ScanResult {
  files: string[];
  skipped: Array<{ path: string; reason: string }>;
}

export const isYamlFile = (name: string): boolean => /\.ya?ml$/i.test(name);

/**
 * The manifest files under the given paths: every *.yaml / *.yml, except excluded folders, files
 * over the size limit and the templates/ of Helm charts (read through rendering instead).
 * Folders reached twice through links are read once.
 */
export async function scanPaths(paths: string[], options: ScanOptions = DEFAULT_SCAN_OPTIONS): Promise<ScanResult> {
  const result: ScanResult = { files: [], skipped: [] };
  const seenDirs = new Set<string>();

  const visitDir = async (dir: string): Promise<void> => {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch (error) {
      result.skipped.push({ path: dir, reason: (error as Error).message });
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      result.skipped.push({ path: dir, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
      return;
    }
    const isChart = entries.some((e) => e.name === 'Chart.yaml' && !e.isDirectory());
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      let stat;
      try {
        stat = entry.isSymbolicLink() ? await fs.stat(full) : entry;
      } catch {
        continue; // a dangling link
      }
      if (stat.isDirectory()) {
        if (options.excludeDirs.has(entry.name) || (isChart && entry.name === 'templates')) continue;
        await visitDir(full);
      } else if (stat.isFile() && isYamlFile(entry.name)) {
        await addFile(full);
      }
    }
  };

  const addFile = async (file: string): Promise<void> => {
    try {
      const { size } = await fs.stat(file);
      if (size > options.maxFileSize) {
        result.skipped.push({ path: file, reason: `larger than ${options.maxFileSize} bytes` });
        return;
      }
      result.files.push(file);
    } catch (error) {
      result.skipped.push({ path: file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
  };

  for (const p of paths) {
    const stat = await fs.stat(p); // a missing path is the caller's error to report
    if (stat.isDirectory()) await visitDir(p);
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
