import { URI } from 'vscode-uri';
import type { ModelCache } from '../cache/modelCache';
import type { FileModel } from '../model/manifest';
import type { FileSystem } from '../workspace/host';
import { nodeFileSystem } from '../workspace/nodeFileSystem';

export interface LoadOptions {
  cache: ModelCache;
  fs?: FileSystem;
  /** Files larger than this are skipped (the scan's limit; the file may have grown since). */
  maxFileSize?: number;
  /** The text of a file open in the editor, which takes the place of the file on disk. */
  openText?: (uri: string) => string | undefined;
  skipped?: (file: string, reason: string) => void;
  progress?: (done: number, total: number) => void;
}

/** Reads and parses (or takes from the cache) the model of every file, in the order given. */
export async function loadModels(files: readonly string[], options: LoadOptions): Promise<FileModel[]> {
  const uris = files.map((file) => URI.file(file).toString());
  const read = (i: number): { text: string } | { error: string } => {
    const open = options.openText?.(uris[i]);
    if (open !== undefined) return { text: open };
    return (options.fs ?? nodeFileSystem).readText(files[i], { maxFileSize: options.maxFileSize });
  };
  const models: FileModel[] = [];
  for (let i = 0; i < files.length; i++) {
    const result = read(i);
    if ('error' in result) options.skipped?.(files[i], result.error);
    else {
      models.push(options.cache.model(uris[i], result.text));
    }
    if ((i + 1) % 50 === 0 || i + 1 === files.length) {
      options.progress?.(i + 1, files.length);
      // Reading and parsing are synchronous: let requests and notifications in now and then.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return models;
}
