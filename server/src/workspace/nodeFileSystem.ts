import {
  closeSync,
  constants as fsConstants,
  existsSync,
  fstatSync,
  openSync,
  promises as fs,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EntryKind, FileSystem, ReadLimits, ReadResult } from './host';
import { isInside } from './paths';

/** The default size limit of a manifest (2 MiB): `portLens.files.maxFileSize`. */
export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/** How the temporary copies of `overlayCopy` are named: no message may show such a path. */
export const OVERLAY_COPY_PREFIX = 'port-lens-copy-';

export const nodeFileSystem: FileSystem = {
  readDirectory(dir) {
    const entries = readdirSync(dir, { withFileTypes: true }).map((e) => {
      const kind: EntryKind = e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other';
      return { name: e.name, kind };
    });
    return { real: realpathSync.native(dir), entries };
  },
  stat(file) {
    const stat = statSync(file);
    return { kind: stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other', size: stat.size };
  },
  realPath: (file) => realpathSync.native(file),
  exists: (file) => existsSync(file),
  readText: readManifestText,
  readBytes: (file) => fs.readFile(file).catch(() => undefined),
  async overlayCopy(dir, overlays) {
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), OVERLAY_COPY_PREFIX));
    const copy = path.join(scratch, path.basename(dir));
    const dispose = () => fs.rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    try {
      await fs.cp(dir, copy, { recursive: true, filter: (source) => !/[\\/](?:\.git|node_modules)$/.test(source) });
      for (const [file, text] of overlays) {
        if (isInside(dir, file)) await fs.writeFile(path.join(copy, path.relative(dir, file)), text);
      }
    } catch (error) {
      await dispose();
      throw error;
    }
    return { dir: copy, dispose };
  },
};

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
  const maxFileSize = limits.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let fd: number | undefined;
  try {
    if (limits.roots && !isWithinReal(realpathSync(file), limits.roots)) return { error: OUTSIDE };
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

/** The text of a manifest's bytes, or why they are not text. */
export function manifestText(bytes: Uint8Array): ReadResult {
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

/** Whether the real path `real` lies in one of the roots, with the roots' links resolved. */
function isWithinReal(real: string, roots: readonly string[]): boolean {
  return roots.some((root) => {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      realRoot = path.resolve(root);
    }
    return isInside(realRoot, real);
  });
}
