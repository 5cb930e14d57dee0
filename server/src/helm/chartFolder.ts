import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { parseDocument } from 'yaml';
import type { FileSystem } from '../workspace/host';
import { nodeFileSystem } from '../workspace/nodeFileSystem';

/** The folder of the chart a file belongs to: the outermost folder above it with a Chart.yaml (a subchart renders with its parent). */
export function chartDirOf(file: string, fs: FileSystem = nodeFileSystem): string | undefined {
  let top: string | undefined;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.exists(path.join(dir, 'Chart.yaml'))) top = dir;
  }
  return top;
}

/** `name` from Chart.yaml, which helm writes at the head of every `# Source:` path. */
export function chartName(chartYaml: string): string | undefined {
  try {
    const name = parseDocument(chartYaml, { prettyErrors: false }).get('name');
    return typeof name === 'string' && name.trim() !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

const MAX_CHART_FILES = 5000;

/** Every file of the chart, subcharts included, relative to its folder with `/` separators. */
export async function chartFiles(dir: string, fs: FileSystem = nodeFileSystem): Promise<string[]> {
  const files: string[] = [];
  const visit = async (relative: string): Promise<void> => {
    let entries;
    try {
      entries = fs.readDirectory(path.join(dir, relative)).entries;
    } catch {
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= MAX_CHART_FILES) return;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.kind === 'directory' && entry.name !== '.git' && entry.name !== 'node_modules') await visit(child);
      else if (entry.kind === 'file') files.push(child);
    }
  };
  await visit('');
  return files;
}

/** The templates a chart (and its unpacked subcharts) renders from. */
export const isTemplatePath = (relative: string) => /(^|\/)templates\/[^]*$/.test(relative);

/**
 * The values files to pass with `-f`, in the order given: absolute paths as they are, relative
 * ones and globs matched against the chart's own files; ones the chart does not have are left out.
 */
export function valuesFilesFor(dir: string, files: string[], patterns: readonly string[], fs: FileSystem = nodeFileSystem): string[] {
  const result: string[] = [];
  for (const pattern of patterns) {
    if (path.isAbsolute(pattern)) {
      if (fs.exists(pattern)) result.push(pattern);
      continue;
    }
    for (const file of files) {
      if (!isTemplatePath(file) && minimatch(file, pattern, { dot: true }) && !result.includes(path.join(dir, file)))
        result.push(path.join(dir, file));
    }
  }
  return result;
}

/** Every file of the chart as a render reads it: an open document's text, or the file's bytes. */
export async function chartContents(
  dir: string,
  files: string[],
  overlays: ReadonlyMap<string, string>,
  fs: FileSystem = nodeFileSystem,
): Promise<Map<string, string | Uint8Array>> {
  const contents = new Map<string, string | Uint8Array>();
  for (const file of files) await addContent(contents, path.join(dir, file), overlays, fs);
  return contents;
}

/** Adds one file's text (open document) or bytes; a file that cannot be read is left out. */
export async function addContent(
  contents: Map<string, string | Uint8Array>,
  file: string,
  overlays: ReadonlyMap<string, string>,
  fs: FileSystem = nodeFileSystem,
): Promise<void> {
  const content = overlays.get(file) ?? (await fs.readBytes(file));
  if (content !== undefined) contents.set(file, content);
}

/** Identifies what a render depends on: every file's path and content, and `extra`. */
export function contentKey(contents: ReadonlyMap<string, string | Uint8Array>, extra: unknown): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(extra));
  for (const [file, content] of contents) hash.update(`\0${file}\0`).update(content);
  return hash.digest('hex');
}
