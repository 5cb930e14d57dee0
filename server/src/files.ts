import { closeSync, constants as fsConstants, fstatSync, openSync, promises as fs, readdirSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import { Minimatch } from 'minimatch';

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
 * over the size limit; and the Helm charts, whose files are not read one by one. Folders reached
 * twice through links are read once; unreadable ones are reported as skipped.
 */
export async function scanPaths(paths: string[], options: ScanOptions = DEFAULT_SCAN_OPTIONS): Promise<ScanResult> {
  const result: ScanResult = { files: [], charts: [], skipped: [] };
  const seenDirs = new Set<string>();
  const filter = new FileFilter(options);

  const list = (dir: string): [string, Dirent[]] | NodeJS.ErrnoException => {
    try {
      return [realpathSync.native(dir), readdirSync(dir, { withFileTypes: true })];
    } catch (error) {
      return error as NodeJS.ErrnoException;
    }
  };
  const stat = (file: string, root: string, link: boolean): { stat: Stats } | { error: NodeJS.ErrnoException } => {
    try {
      return { stat: link ? linkTarget(file, root) : statSync(file) };
    } catch (error) {
      return { error: error as NodeJS.ErrnoException };
    }
  };

  // Synchronous calls, a folder at a time: several times faster than a round trip through the
  // thread pool for every file; the event loop is let in before each folder.
  const visitDir = async (root: string, dir: string): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    const listed = list(dir);
    if (listed instanceof Error) {
      result.skipped.push({ path: dir, reason: listed.code ?? listed.message });
      return;
    }
    const [real, entries] = listed;
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    if (entries.some((e) => e.name === 'Chart.yaml' && !e.isDirectory())) {
      result.charts.push(dir);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      const linked = entry.isSymbolicLink();
      const included = (linked || entry.isFile()) && filter.includes(relative);
      const stated = linked || included ? stat(full, root, linked) : undefined;
      if (stated && 'error' in stated) {
        result.skipped.push({ path: full, reason: stated.error.code ?? stated.error.message });
        continue; // gone, a dangling link, a loop of links, a link out of the root
      }
      const kind = stated?.stat ?? entry;
      if (kind.isDirectory()) {
        if (!filter.prunes(relative)) await visitDir(root, full);
      } else if (kind.isFile() && included && stated) {
        if (stated.stat.size > options.maxFileSize) result.skipped.push({ path: full, reason: `larger than ${options.maxFileSize} bytes` });
        else result.files.push(full);
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

/** What a link found in a scan points to; never followed out of the scanned root. */
function linkTarget(link: string, root: string): Stats {
  if (!isWithin(realpathSync.native(link), [root])) throw new Error('a link to outside the workspace folders');
  return statSync(link);
}

export interface ReadLimits {
  /** Larger files are not read (checked on the open file, before reading it). */
  maxFileSize?: number;
  /** When given, a file whose real path (links resolved) lies outside all of them is not read. */
  roots?: readonly string[];
}

type ReadResult = { text: string; bom: boolean } | { error: string };

const OUTSIDE = 'a link to outside the workspace folders';
const NOT_REGULAR = 'not a regular file';
const tooLarge = (limit: number) => `larger than ${limit} bytes`;

/**
 * Reads a manifest file as text, or says why it is not read: missing or unreadable, not a
 * regular file, over the size limit, binary (NUL bytes), not UTF-8, or reached through a link
 * out of the roots. Never throws; never blocks on a pipe; reads no more than the limit allows.
 * Synchronous: one call is a handful of system calls, and a scan makes thousands of them.
 */
export function readManifestText(file: string, limits: ReadLimits = {}): ReadResult {
  const maxFileSize = limits.maxFileSize ?? DEFAULT_SCAN_OPTIONS.maxFileSize;
  let fd: number | undefined;
  try {
    if (limits.roots && !isWithin(realpathSync(file), limits.roots)) return { error: OUTSIDE };
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { error: NOT_REGULAR };
    if (stat.size > maxFileSize) return { error: tooLarge(maxFileSize) };
    const buffer = Buffer.alloc(Math.min(stat.size, maxFileSize) + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, length);
    return length > maxFileSize ? { error: tooLarge(maxFileSize) } : manifestText(buffer.subarray(0, length));
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function manifestText(bytes: Uint8Array): ReadResult {
  if (bytes.includes(0)) return { error: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { error: 'not UTF-8 text' };
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  return { text: bom ? text.slice(1) : text, bom };
}

function isWithin(real: string, roots: readonly string[]): boolean {
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      realRoot = path.resolve(root);
    }
    const relative = path.relative(realRoot, real);
    if (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)) return true;
  }
  return false;
}
