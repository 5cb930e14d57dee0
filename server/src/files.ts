import * as path from 'node:path';
import { Minimatch } from 'minimatch';
import type { DirectoryListing, FileStat, FileSystem, FileSystemError, ReadLimits, ReadResult } from './workspace/host';
import { DEFAULT_MAX_FILE_SIZE, nodeFileSystem } from './workspace/nodeFileSystem';
import { isInside } from './workspace/paths';

export interface ScanOptions {
  include: readonly string[];
  exclude: readonly string[];
  maxFileSize: number;
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = {
  include: ['**/*.yaml', '**/*.yml'],
  exclude: ['**/node_modules/**', '**/.git/**'],
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
};

export interface ScanResult {
  files: string[];
  /** Folders and files the input sources claimed (a chart's folder): not read file by file. */
  claimed: string[];
  skipped: Array<{ path: string; reason: string }>;
}

/** How a scan reads the disk and which folders it leaves to the input sources. */
export interface ScanHooks {
  fs?: FileSystem;
  /** A folder (with its entries) that an input source reads itself: the walk does not go into it. */
  claimsFolder?: (dir: string, entries: DirectoryListing['entries']) => boolean;
  /** A file given as a path that stands for such a folder (`Chart.yaml`). */
  claimsFile?: (file: string) => boolean;
}

/** Glob tests on paths relative to the scanned root, `/`-separated. */
export class FileFilter {
  // Compiled once: compiling a glob costs far more than matching it.
  private readonly include: Minimatch[];
  private readonly exclude: Minimatch[];

  constructor(options: ScanOptions) {
    this.include = options.include.map((g) => new Minimatch(g, { dot: true }));
    this.exclude = options.exclude.map((g) => new Minimatch(g, { dot: true }));
  }

  includes(relative: string): boolean {
    const p = toPosix(relative);
    return this.include.some((g) => g.match(p)) && !this.exclude.some((g) => g.match(p));
  }

  /** A folder is pruned when everything below it is excluded (`**\/node_modules/**`). */
  prunes(relativeDir: string): boolean {
    const probe = `${toPosix(relativeDir)}/\0probe`;
    return this.exclude.some((g) => g.match(probe));
  }
}

const toPosix = (p: string) => p.split(path.sep).join('/');

/**
 * The manifest files under the given paths: the included globs, except excluded ones and files
 * over the size limit; folders an input source claims (Helm charts) are not read file by file.
 * Folders reached twice through links are read once; unreadable ones are reported as skipped.
 */
export async function scanPaths(paths: string[], options: ScanOptions = DEFAULT_SCAN_OPTIONS, hooks: ScanHooks = {}): Promise<ScanResult> {
  const fs = hooks.fs ?? nodeFileSystem;
  const result: ScanResult = { files: [], claimed: [], skipped: [] };
  const seenDirs = new Set<string>();
  const filter = new FileFilter(options);
  const failure = (error: unknown) => (error as FileSystemError).code ?? (error as Error).message;

  const list = (dir: string): DirectoryListing | { error: string } => {
    try {
      return fs.readDirectory(dir);
    } catch (error) {
      return { error: failure(error) };
    }
  };
  const stat = (file: string, root: string, link: boolean): { stat: FileStat } | { error: string } => {
    try {
      if (link && !isInside(realRoot(root), fs.realPath(file))) return { error: 'a link to outside the workspace folders' };
      return { stat: fs.stat(file) };
    } catch (error) {
      return { error: failure(error) };
    }
  };
  const realRoots = new Map<string, string>();
  const realRoot = (root: string) => {
    let real = realRoots.get(root);
    if (real === undefined) realRoots.set(root, (real = fs.realPath(root)));
    return real;
  };

  // Synchronous calls, a folder at a time: several times faster than a round trip through the
  // thread pool for every file; the event loop is let in before each folder.
  const visitDir = async (root: string, dir: string): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    const listed = list(dir);
    if ('error' in listed) {
      result.skipped.push({ path: dir, reason: listed.error });
      return;
    }
    if (seenDirs.has(listed.real)) return;
    seenDirs.add(listed.real);
    if (hooks.claimsFolder?.(dir, listed.entries)) {
      result.claimed.push(dir);
      return;
    }
    for (const entry of listed.entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      const linked = entry.kind === 'symlink';
      const included = (linked || entry.kind === 'file') && filter.includes(relative);
      const stated = linked || included ? stat(full, root, linked) : undefined;
      if (stated && 'error' in stated) {
        result.skipped.push({ path: full, reason: stated.error });
        continue; // gone, a dangling link, a loop of links, a link out of the root
      }
      const kind = stated?.stat.kind ?? entry.kind;
      if (kind === 'directory') {
        if (!filter.prunes(relative)) await visitDir(root, full);
      } else if (kind === 'file' && included && stated) {
        if (stated.stat.size > options.maxFileSize) result.skipped.push({ path: full, reason: `larger than ${options.maxFileSize} bytes` });
        else result.files.push(full);
      }
    }
  };

  const addFile = (file: string): void => {
    try {
      const { size } = fs.stat(file);
      if (size > options.maxFileSize) result.skipped.push({ path: file, reason: `larger than ${options.maxFileSize} bytes` });
      else result.files.push(file);
    } catch (error) {
      result.skipped.push({ path: file, reason: failure(error) });
    }
  };

  for (const p of paths) {
    const stat = fs.stat(p); // a missing path is the caller's error to report
    if (stat.kind === 'directory') await visitDir(p, p);
    else if (hooks.claimsFile?.(p)) result.claimed.push(p);
    else addFile(p);
  }
  return result;
}

/** Reads a manifest file from disk (see `FileSystem.readText`). */
export const readManifestText = (file: string, limits: ReadLimits = {}): ReadResult => nodeFileSystem.readText(file, limits);
